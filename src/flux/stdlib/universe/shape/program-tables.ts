import { collectTables } from '../../../execute/table-stream.js';
import { runProgram } from '../../../interpreter/index.js';
import { displayValue } from '../../../values/format-value.js';
import type { Value } from '../../../values/value.js';
import { standardLibrary } from '../../index.js';

/** A result table as plain data, for tests: key labels (sorted), column labels and rows. */
export interface PlainTable {
  readonly key: string[];
  readonly columns: string[];
  readonly rows: unknown[][];
}

/** The test clock: 2020-01-01T00:00:00Z. */
export const TEST_NOW_NS = 1_577_836_800_000_000_000n;

const registry = standardLibrary();

/** A cell as plain JS: null, bigint for int/uint, number, string, boolean; times as RFC3339. */
export function plainValue(v: Value): unknown {
  switch (v.kind) {
    case 'null':
      return null;
    case 'time':
    case 'duration':
      return displayValue(v);
    default:
      return 'value' in v ? v.value : displayValue(v);
  }
}

/** Runs a Flux program (test clock) and returns every table of every result, in stream order. */
export async function programTables(source: string): Promise<PlainTable[]> {
  const run = await runProgram(source, { registry, nowNs: TEST_NOW_NS });
  const out: PlainTable[] = [];
  for (const r of run.results) {
    for (const t of await collectTables(r.stream.tables)) {
      const rows: unknown[][] = [];
      for (let i = 0; i < t.length; i++) rows.push(t.cols.map((_, j) => plainValue(t.value(i, j))));
      out.push({ key: t.key.cols.map((c) => c.label).sort(), columns: t.cols.map((c) => c.label), rows });
    }
  }
  return out;
}

/** Evaluates one Flux expression (with the given preamble) to a plain value. */
export async function evalFlux(expr: string, preamble = ''): Promise<unknown> {
  const t = await programTables(`import "array"\n${preamble}\narray.from(rows: [{v: display(v: ${expr})}])`);
  return t[0]!.rows[0]![0];
}
