// `npm run bench [suite…]`: runs every bench/*.bench.js suite in dist (built by `npm run build`).
// A suite is named after its file (storage.bench.js is `storage`). Each suite runs in a fresh
// child process (same Node flags), so no suite's figures — RSS and GC pressure above all — carry
// the heap, caches or module graph another suite left behind.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatFigure, type BenchSuite } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);

if (args[0] === '--one') {
  // Child mode: run exactly one suite file; exit code = targets missed (capped).
  const suite = ((await import(pathToFileURL(join(here, args[1]!)).href)) as { default: BenchSuite }).default;
  if (suite.cpus !== undefined && process.env['BENCH_PINNED'] === undefined) {
    const cpuList = Array.from({ length: suite.cpus }, (_, i) => i).join(',');
    const pinned = spawnSync('taskset', ['-c', cpuList, process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...args], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_PINNED: cpuList },
    });
    if (pinned.error === undefined) process.exit(pinned.status ?? 101);
    console.log(`(taskset unavailable: ${pinned.error.message}; running unpinned)`);
  }
  let missed = 0;
  const pinnedTo = process.env['BENCH_PINNED'];
  console.log(`\n## ${suite.name}${pinnedTo === undefined ? '' : ` (pinned to CPU ${pinnedTo} with taskset)`}`);
  await suite.run((figure) => {
    if (figure.ok === false) missed++;
    console.log(formatFigure(figure));
  });
  process.exit(Math.min(missed, 100));
}

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => args.length === 0 || args.includes(f.slice(0, -'.bench.js'.length)))
  .sort();
const unknown = args.filter((w) => !files.includes(`${w}.bench.js`));
if (unknown.length > 0) {
  console.error(`unknown suite(s): ${unknown.join(', ')}`);
  process.exit(2);
}

let missed = 0;
let crashed = 0;
for (const file of files) {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--one', file], { stdio: 'inherit' });
  if (child.status === null || child.status > 100) {
    crashed++;
    console.log(`suite ${file} did not finish (${child.signal ?? `exit ${child.status}`})`);
  } else missed += child.status;
}
console.log(`${missed === 0 ? '\nall targets met' : `\n${missed} target(s) missed`}${crashed > 0 ? `; ${crashed} suite(s) crashed` : ''}`);
