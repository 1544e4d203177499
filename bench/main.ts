// `npm run bench [suite…]`: runs every bench/*.bench.js suite in dist (built by `npm run build`).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatFigure, type BenchSuite } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .sort();

let missed = 0;
for (const file of files) {
  const suite = ((await import(pathToFileURL(join(here, file)).href)) as { default: BenchSuite }).default;
  if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
  console.log(`\n## ${suite.name}`);
  await suite.run((figure) => {
    if (figure.ok === false) missed++;
    console.log(formatFigure(figure));
  });
}
console.log(missed === 0 ? '\nall targets met' : `\n${missed} target(s) missed`);
