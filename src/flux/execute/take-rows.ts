import { columnSizeBytes, isConstant, isValid, knownConstant, markConstant, type ColumnData } from './column.js';
import { SHARED_STRING_FILLS } from './string-fills.js';
import type { MemoryBudget } from './memory-budget.js';
import type { Steps } from './steps.js';
import { Table } from './table.js';

/**
 * A column holding the rows listed in `rows` (first `count` entries), in that order. Typed-array
 * gather; the validity bitmap is built only when the source has nulls.
 */
export function gatherColumn(col: ColumnData, rows: ArrayLike<number>, count = rows.length): ColumnData {
  let valid: Uint8Array | null = null;
  if (col.valid !== null) {
    valid = new Uint8Array((count + 7) >>> 3);
    for (let k = 0; k < count; k++) if (isValid(col, rows[k]!)) valid[k >>> 3]! |= 1 << (k & 7);
  }
  switch (col.type) {
    case 'string': {
      const out = new Array<string>(count);
      const v = col.values;
      for (let k = 0; k < count; k++) out[k] = v[rows[k]!]!;
      return { type: 'string', length: count, valid, values: out };
    }
    case 'float': {
      const out = new Float64Array(count);
      const v = col.values;
      for (let k = 0; k < count; k++) out[k] = v[rows[k]!]!;
      return { type: 'float', length: count, valid, values: out };
    }
    case 'bool': {
      const out = new Uint8Array(count);
      const v = col.values;
      for (let k = 0; k < count; k++) out[k] = v[rows[k]!]!;
      return { type: 'bool', length: count, valid, values: out };
    }
    case 'uint': {
      const out = new BigUint64Array(count);
      gatherWords(col.values, out, rows, count);
      return { type: 'uint', length: count, valid, values: out };
    }
    default: {
      const out = new BigInt64Array(count);
      gatherWords(col.values, out, rows, count);
      return { type: col.type, length: count, valid, values: out } as ColumnData;
    }
  }
}

/**
 * Gathers 64-bit integers as pairs of 32-bit words: reading a BigInt64Array element allocates a
 * BigInt, which dominates a plain gather loop; copying the words does not.
 */
export function gatherWords(
  src: BigInt64Array | BigUint64Array,
  dst: BigInt64Array | BigUint64Array,
  rows: ArrayLike<number>,
  count: number,
  dstStart = 0,
): void {
  const from = new Int32Array(src.buffer, src.byteOffset, 2 * src.length);
  const to = new Int32Array(dst.buffer, dst.byteOffset + 8 * dstStart, 2 * count);
  for (let k = 0; k < count; k++) {
    const r = 2 * rows[k]!;
    to[2 * k] = from[r]!;
    to[2 * k + 1] = from[r + 1]!;
  }
}

/**
 * A table with the rows listed in `rows` (first `count` entries), same key and schema. The new
 * columns are charged to `budget` (released when they are collected).
 *
 * A key column whose every row holds the same value (as a key column usually does: a storage
 * table's tags) gives the same cells whichever rows are taken: it is sliced (typed arrays shared,
 * strings copied in one block) rather than gathered. It is checked, not assumed: a table decoded
 * from annotated CSV may hold other values in a key column than its first row's, as in Flux
 * (unless its maker marked it constant: `markConstant`).
 */
export function takeRows(table: Table, rows: ArrayLike<number>, count = rows.length, budget?: MemoryBudget): Table {
  return new Table(
    table.key,
    table.cols,
    table.columns.map((c, j) => takeColumn(table, j, rows, count, budget)),
    count,
  );
}

/** `takeRows` in steps (steps.ts): yields after each column it gathers. */
export function* takeRowsSteps(table: Table, rows: ArrayLike<number>, count = rows.length, budget?: MemoryBudget): Steps<Table> {
  const columns: ColumnData[] = [];
  for (let j = 0; j < table.columns.length; j++) {
    columns.push(takeColumn(table, j, rows, count, budget));
    yield;
  }
  return new Table(table.key, table.cols, columns, count);
}

/** Column `j` of `takeRows`' table. */
function takeColumn(table: Table, j: number, rows: ArrayLike<number>, count: number, budget: MemoryBudget | undefined): ColumnData {
  const c = table.columns[j]!;
  return accounted(
    count <= c.length && table.key.has(table.cols[j]!.label) && (knownConstant(c) || isConstant(c)) ? sliceColumn(c, 0, count) : gatherColumn(c, rows, count),
    budget,
  );
}

/** Charges a freshly produced column to `budget` for as long as it lives; returns it. */
export function accounted<C extends ColumnData>(col: C, budget: MemoryBudget | undefined): C {
  budget?.account(col, columnSizeBytes(col));
  return col;
}

/**
 * Rows [start, end) of a column, sharing the buffers (no copy unless there are nulls). A string
 * column its maker marked constant (a storage table's tags) gives the shared fill of its value
 * at the new length (`SHARED_STRING_FILLS`), not a copy: `difference()` and its kind drop each
 * table's first row, which copied every tag column of every table.
 */
export function sliceColumn(col: ColumnData, start: number, end: number): ColumnData {
  const length = Math.max(0, end - start);
  if (col.type === 'string' && col.valid === null && length > 0 && knownConstant(col)) {
    return markConstant({ type: 'string', length, valid: null, values: SHARED_STRING_FILLS.get(col.values[0]!, length) });
  }
  let valid: Uint8Array | null = null;
  if (col.valid !== null) {
    valid = new Uint8Array((length + 7) >>> 3);
    for (let k = 0; k < length; k++) if (isValid(col, start + k)) valid[k >>> 3]! |= 1 << (k & 7);
  }
  if (col.type === 'string') return { type: 'string', length, valid, values: col.values.slice(start, end) };
  return { ...col, length, valid, values: col.values.subarray(start, end) } as ColumnData;
}

/** Rows [start, end) of a table (limit, tail, window cuts). */
export function sliceRows(table: Table, start: number, end: number): Table {
  const s = Math.max(0, Math.min(start, table.length));
  const e = Math.max(s, Math.min(end, table.length));
  if (s === 0 && e === table.length) return table;
  return new Table(table.key, table.cols, table.columns.map((c) => sliceColumn(c, s, e)), e - s);
}
