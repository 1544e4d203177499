import { columnMonoType } from '../values/mono-type.js';
import { nullValue, type Value } from '../values/value.js';
import { columnValue, isConstant, isValid, type ColMeta, type ColumnData } from './column.js';
import { GroupKey } from './group-key.js';
import type { MemoryBudget } from './memory-budget.js';
import { takeRows } from './take-rows.js';
import { Table } from './table.js';

/**
 * Splits a table's rows by their values in `keyLabels` (labels missing from the table are
 * ignored, as Flux's group does). Each part gets the key made of those columns, in `keyLabels`
 * order, and keeps the table's schema. Parts are returned in order of first appearance. When the
 * new key columns are all in the table's current key (or the table is empty: its new key
 * values are then null unless the old key had them), the table is re-keyed without copying.
 */
export function partitionRows(table: Table, keyLabels: readonly string[], budget?: MemoryBudget): Table[] {
  const idx = keyIndices(table, keyLabels);
  const whole = wholeKey(table, idx);
  if (whole !== undefined) return [new Table(whole, table.cols, table.columns, table.length)];
  const keyCols: ColMeta[] = idx.map((j) => table.cols[j]!);
  const cols = idx.map((j) => table.columns[j]!);
  const n = table.length;
  const { groupOf, firsts } = groupIds(cols, n);
  // One group: the table itself under its new key, nothing gathered.
  if (firsts.length === 1) return [new Table(new GroupKey(keyCols, cols.map((c) => columnValue(c, 0))), table.cols, table.columns, n)];
  // Counting pass, then fill: one row-index array per group, no per-row allocation.
  const counts = new Uint32Array(firsts.length);
  for (let i = 0; i < n; i++) counts[groupOf[i]!]!++;
  const members = Array.from(counts, (c) => new Uint32Array(c));
  const fill = new Uint32Array(firsts.length);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    members[g]![fill[g]!++] = i;
  }
  const out: Table[] = [];
  for (let g = 0; g < firsts.length; g++) {
    const part = takeRows(table, members[g]!, members[g]!.length, budget);
    const key = new GroupKey(keyCols, cols.map((c) => columnValue(c, firsts[g]!)));
    out.push(new Table(key, part.cols, part.columns, part.length));
  }
  return out;
}

/**
 * The key `partitionRows(table, keyLabels)` gives the whole table when it needs no split (the
 * new key columns are all in the table's key, or it has no rows); undefined when rows must be
 * split. Lets a caller re-key without making a table.
 */
export function keyOfWhole(table: Table, keyLabels: readonly string[]): GroupKey | undefined {
  return wholeKey(table, keyIndices(table, keyLabels));
}

/** Column indices of `keyLabels` present in `table`, first occurrence of each. */
function keyIndices(table: Table, keyLabels: readonly string[]): number[] {
  const idx: number[] = [];
  for (const l of keyLabels) {
    const j = table.colIndex(l);
    if (j >= 0 && !idx.includes(j)) idx.push(j);
  }
  return idx;
}

function wholeKey(table: Table, idx: readonly number[]): GroupKey | undefined {
  if (idx.length === 0) return GroupKey.EMPTY;
  const old = table.key;
  const values: Value[] = [];
  for (const j of idx) {
    const c = table.cols[j]!;
    const k = keyPosition(old, c.label);
    if (k >= 0) values.push(old.values[k]!);
    else if (table.length === 0) values.push(nullValue(columnMonoType(c.type)));
    else return undefined;
  }
  return new GroupKey(idx.map((j) => table.cols[j]!), values);
}

/** `key.indexOf(label)` without building the key's label index for one look-up on a small key. */
function keyPosition(key: GroupKey, label: string): number {
  const cols = key.cols;
  if (cols.length > 16) return key.indexOf(label);
  for (let k = 0; k < cols.length; k++) if (cols[k]!.label === label) return k;
  return -1;
}

const NULL_CODE = Symbol('null');

/**
 * Dense group ids (order of first appearance) for the value combinations of `cols`, and the
 * first row of each group. Each column is dictionary-coded through a Map on its raw values
 * (SameValueZero: NaN equals NaN, -0 equals 0, as key equality wants), then codes combine
 * arithmetically, falling back to a string when the combined cardinality gets too large.
 * Columns holding one value are skipped.
 */
function groupIds(cols: readonly ColumnData[], n: number): { groupOf: Uint32Array; firsts: number[] } {
  let combined: (number | string)[] | undefined;
  let cardinality = 1;
  for (const col of cols) {
    // A column holding one value (an unchanged key column) splits nothing.
    if (isConstant(col, n)) continue;
    const dict = new Map<unknown, number>();
    const codes = new Uint32Array(n);
    const vals = col.values as ArrayLike<unknown>;
    for (let i = 0; i < n; i++) {
      const v = isValid(col, i) ? vals[i] : NULL_CODE;
      let c = dict.get(v);
      if (c === undefined) dict.set(v, (c = dict.size));
      codes[i] = c;
    }
    if (combined === undefined) combined = Array.from(codes);
    else if (cardinality * dict.size < 2 ** 52) {
      for (let i = 0; i < n; i++) combined[i] = (combined[i] as number) * dict.size + codes[i]!;
    } else {
      for (let i = 0; i < n; i++) combined[i] = `${combined[i]!}:${codes[i]!}`;
    }
    cardinality *= dict.size;
  }
  const groupOf = new Uint32Array(n);
  // Every column held one value: one group.
  if (combined === undefined) return { groupOf, firsts: n > 0 ? [0] : [] };
  const firsts: number[] = [];
  const ids = new Map<number | string, number>();
  for (let i = 0; i < n; i++) {
    const k = combined[i]!;
    let g = ids.get(k);
    if (g === undefined) {
      ids.set(k, (g = firsts.length));
      firsts.push(i);
    }
    groupOf[i] = g;
  }
  return { groupOf, firsts };
}
