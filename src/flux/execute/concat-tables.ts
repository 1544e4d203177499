import type { ColMeta, ColumnData } from './column.js';
import type { GroupKey } from './group-key.js';
import type { MemoryBudget } from './memory-budget.js';
import { runSteps, type Steps } from './steps.js';
import { Table } from './table.js';
import { TableBuilder } from './table-builder.js';

/** Source arrays concatenated per `Array#concat` call (its arguments go on the stack). */
const CONCAT_BATCH = 8192;

/**
 * The rows of `tables`, in order, as one table keyed `key` (which must name columns of the
 * tables): what a TableBuilder appending each table gives, built in one step when every table
 * has the same schema. Then each column is allocated once at its final size and filled by block
 * copies (typed arrays by `set`, strings by one `Array#concat`, which also keeps the array packed),
 * instead of growing by doubling and copying cell by cell. Tables of different schemas go
 * through a TableBuilder (union of columns, nulls where one is missing).
 */
export function concatTables(key: GroupKey, tables: readonly Table[], budget?: MemoryBudget): Table {
  return runSteps(concatTablesSteps(key, tables, budget));
}

/** `concatTables` in steps (steps.ts): yields after each column it puts together. */
export function* concatTablesSteps(key: GroupKey, tables: readonly Table[], budget?: MemoryBudget): Steps<Table> {
  const first = tables[0];
  if (first === undefined || !tables.every((t) => sameSchema(t.cols, first.cols))) {
    const b = new TableBuilder(key, budget);
    for (const t of tables) b.appendTable(t);
    return b.build();
  }
  // One table: its columns as they are (columns are immutable and may be shared).
  if (tables.length === 1) return new Table(key, first.cols, first.columns, first.length);
  let n = 0;
  for (const t of tables) n += t.length;
  const hold = budget?.hold(tables);
  const columns: ColumnData[] = [];
  for (let j = 0; j < first.cols.length; j++) {
    const parts = tables.map((t) => t.columns[j]!);
    hold?.charge(concatBytes(parts, n));
    columns.push(concatColumn(first.cols[j]!, parts, n));
    yield;
  }
  const out = new Table(key, first.cols, columns, n);
  hold?.moveTo(out);
  return out;
}

function sameSchema(a: readonly ColMeta[], b: readonly ColMeta[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j++) if (a[j]!.label !== b[j]!.label || a[j]!.type !== b[j]!.type) return false;
  return true;
}

/** What a column builder would charge for the concatenation (8 bytes a slot, string chars at 2). */
function concatBytes(parts: readonly ColumnData[], n: number): number {
  const bitmap = parts.some((p) => p.valid !== null) ? (n + 7) >>> 3 : 0;
  if (parts[0]!.type !== 'string') return (parts[0]!.type === 'bool' ? n : 8 * n) + bitmap;
  // Constant columns of a storage read share one array: its characters are counted once per array.
  const chars = new Map<readonly string[], number>();
  let total = 0;
  for (const p of parts) {
    const vals = p.values as readonly string[];
    let c = chars.get(vals);
    if (c === undefined) {
      c = 0;
      for (let i = 0; i < p.length; i++) c += vals[i]!.length;
      chars.set(vals, c);
    }
    total += c;
  }
  return 8 * n + 2 * total + bitmap;
}

function concatColumn(meta: ColMeta, parts: readonly ColumnData[], n: number): ColumnData {
  const valid = concatValidity(parts, n);
  switch (meta.type) {
    case 'string': {
      const arrays = parts.map((p) => {
        const v = p.values as string[];
        return v.length === p.length ? v : v.slice(0, p.length);
      });
      let values: string[] = [];
      for (let k = 0; k < arrays.length; k += CONCAT_BATCH) values = values.concat(...arrays.slice(k, k + CONCAT_BATCH));
      return { type: 'string', length: n, valid, values };
    }
    case 'float':
      return { type: 'float', length: n, valid, values: concatTyped(new Float64Array(n), parts) };
    case 'int':
      return { type: 'int', length: n, valid, values: concatTyped(new BigInt64Array(n), parts) };
    case 'uint':
      return { type: 'uint', length: n, valid, values: concatTyped(new BigUint64Array(n), parts) };
    case 'time':
      return { type: 'time', length: n, valid, values: concatTyped(new BigInt64Array(n), parts) };
    case 'duration':
      return { type: 'duration', length: n, valid, values: concatTyped(new BigInt64Array(n), parts) };
    case 'bool':
      return { type: 'bool', length: n, valid, values: concatTyped(new Uint8Array(n), parts) };
  }
}

function concatTyped<A extends Float64Array | BigInt64Array | BigUint64Array | Uint8Array>(out: A, parts: readonly ColumnData[]): A {
  // (One element type per call; typed as Float64Array only to pick one `set` signature.)
  const target = out as unknown as Float64Array;
  let at = 0;
  for (const p of parts) {
    const v = p.values as unknown as Float64Array;
    target.set(v.length === p.length ? v : v.subarray(0, p.length), at);
    at += p.length;
  }
  return out;
}

/** The parts' validity bitmaps end to end, or null when no part has a null. */
function concatValidity(parts: readonly ColumnData[], n: number): Uint8Array | null {
  if (parts.every((p) => p.valid === null)) return null;
  const out = new Uint8Array((n + 7) >>> 3).fill(0xff);
  let at = 0;
  for (const p of parts) {
    const v = p.valid;
    if (v !== null) {
      for (let i = 0; i < p.length; i++) {
        if (((v[i >>> 3]! >>> (i & 7)) & 1) === 0) {
          const r = at + i;
          out[r >>> 3]! &= ~(1 << (r & 7));
        }
      }
    }
    at += p.length;
  }
  return out;
}
