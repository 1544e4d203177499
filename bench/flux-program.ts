import { collectTables, streamOf } from '../src/flux/execute/table-stream.js';
import type { Table } from '../src/flux/execute/table.js';
import { runProgram, type PackageDef } from '../src/flux/interpreter/index.js';
import { standardLibrary } from '../src/flux/stdlib/index.js';
import { streamValue } from '../src/flux/values/value.js';

/**
 * Runs Flux programs over `table`, served as `benchdata.rows()` (as storage's `from()` would hand
 * it over), and returns how many rows the results held — what the Flux benchmarks time.
 */
export function fluxProgramRunner(table: Table, nowNs: bigint): (query: string) => Promise<number> {
  const source: PackageDef = {
    path: 'benchdata',
    builtins: { rows: { signature: '() => stream[A]', call: () => streamValue(streamOf([table])) } },
  };
  const registry = standardLibrary().register(source);
  return async (query) => {
    const r = await runProgram(`import "benchdata"\n${query}`, { registry, nowNs });
    let n = 0;
    for (const res of r.results) for (const t of await collectTables(res.stream.tables)) n += t.length;
    return n;
  };
}
