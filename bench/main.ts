// `npm run bench [suite…]`: runs every bench/*.bench.js suite in dist (built by `npm run build`).
// A suite is named after its file (storage.bench.js is `storage`); only the wanted suites are
// imported, so one suite's figures (RSS above all) do not carry the others' module graphs.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatFigure, type BenchSuite } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.slice(0, -'.bench.js'.length)))
  .sort();
const unknown = wanted.filter((w) => !files.includes(`${w}.bench.js`));
if (unknown.length > 0) {
  console.error(`unknown suite(s): ${unknown.join(', ')}`);
  process.exit(2);
}

let missed = 0;
for (const file of files) {
  const suite = ((await import(pathToFileURL(join(here, file)).href)) as { default: BenchSuite }).default;
  console.log(`\n## ${suite.name}`);
  await suite.run((figure) => {
    if (figure.ok === false) missed++;
    console.log(formatFigure(figure));
  });
}
console.log(missed === 0 ? '\nall targets met' : `\n${missed} target(s) missed`);
