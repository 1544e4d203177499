import { collectTables } from '../../execute/table-stream.js';
import { runProgram } from '../../interpreter/index.js';
import { standardLibrary } from '../index.js';

const registry = standardLibrary();

/** Test support: 2020-09-13T12:26:40Z, the `now` of `displayExpression` programs. */
export const TEST_NOW_NS = 1_600_000_000_000_000_000n;

/**
 * Test support for the value packages: evaluates one Flux expression (after `preamble`, which
 * holds imports and options) and returns Flux's `display` of it, or throws the program's error.
 */
export async function displayExpression(expr: string, preamble = ''): Promise<string> {
  const run = await runProgram(`import "array"\n${preamble}\narray.from(rows: [{v: display(v: ${expr})}])`, {
    registry,
    nowNs: TEST_NOW_NS,
  });
  const [table] = await collectTables(run.results[0]!.stream.tables);
  const v = table!.value(0, table!.cols.findIndex((c) => c.label === 'v'));
  if (v.kind !== 'string') throw new Error(`display returned ${v.kind}`);
  return v.value;
}
