import { columnValue } from '../../execute/column.js';
import { collectTables } from '../../execute/table-stream.js';
import { runProgram, type ExternalKey } from '../../interpreter/index.js';
import { stringOf } from '../../values/format-value.js';
import type { Value } from '../../values/value.js';
import { standardLibrary } from '../index.js';

/** A table in a form tests can compare with toEqual: key values and rows of plain JS values. */
export interface PlainTable {
  readonly key: Record<string, Plain>;
  readonly rows: Record<string, Plain>[];
}

export type Plain = number | string | boolean | null;

const registry = standardLibrary();

/** Plain JS form of a cell: floats as numbers, everything else (ints, times) as Flux prints it. */
export function plain(v: Value): Plain {
  if (v.kind === 'null') return null;
  if (v.kind === 'float') return v.value;
  if (v.kind === 'bool') return v.value;
  return stringOf(v);
}

/**
 * Test support: runs a Flux program (now = 2030-01-01T00:00:00Z unless given) and returns the
 * tables of its first result, in stream order.
 */
export async function runTables(
  source: string,
  options: { nowNs?: bigint; externals?: ReadonlyMap<ExternalKey<unknown>, unknown> } = {},
): Promise<PlainTable[]> {
  const run = await runProgram(source, {
    registry,
    nowNs: options.nowNs ?? 1_893_456_000_000_000_000n,
    ...(options.externals === undefined ? {} : { externals: options.externals }),
  });
  const first = run.results[0];
  if (first === undefined) return [];
  const tables = await collectTables(first.stream.tables);
  return tables.map((t) => ({
    key: Object.fromEntries(t.key.cols.map((c, i) => [c.label, plain(t.key.values[i]!)])),
    rows: Array.from({ length: t.length }, (_, i) => Object.fromEntries(t.cols.map((c, j) => [c.label, plain(columnValue(t.columns[j]!, i))]))),
  }));
}

/** The rows of every table, concatenated (for tests that do not care about grouping). */
export async function runRows(source: string, options?: Parameters<typeof runTables>[1]): Promise<Record<string, Plain>[]> {
  return (await runTables(source, options)).flatMap((t) => t.rows);
}
