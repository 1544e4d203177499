import { endianness } from 'node:os';
import { compareFloats, compareStrings } from '../values/compare-values.js';
import { isValid, type ColumnData } from './column.js';
import type { MemoryBudget } from './memory-budget.js';
import { runSteps, type Steps } from './steps.js';
import { sliceRows, takeRowsSteps } from './take-rows.js';
import type { Table } from './table.js';

type RowCompare = (a: number, b: number) => number;

/**
 * Compares two rows of one column: nulls first, then ascending (or descending) by value. Nulls
 * come first in both directions, as in Flux. For merging already-sorted runs; whole tables are
 * sorted by `sortTable`.
 */
export function rowComparator(col: ColumnData, desc = false): RowCompare {
  const sign = desc ? -1 : 1;
  const byValue = valueComparator(col);
  if (col.valid === null) return desc ? (a, b) => -byValue(a, b) : byValue;
  return (a, b) => {
    const va = isValid(col, a);
    const vb = isValid(col, b);
    if (!va || !vb) return va === vb ? 0 : va ? 1 : -1;
    return sign * byValue(a, b);
  };
}

function valueComparator(col: ColumnData): RowCompare {
  switch (col.type) {
    case 'float': {
      const v = col.values;
      return (a, b) => compareFloats(v[a]!, v[b]!);
    }
    case 'string': {
      const v = col.values;
      return (a, b) => compareStrings(v[a]!, v[b]!);
    }
    case 'bool': {
      const v = col.values;
      return (a, b) => v[a]! - v[b]!;
    }
    default: {
      const v = col.values;
      return (a, b) => {
        const x = v[a]!;
        const y = v[b]!;
        return x < y ? -1 : x > y ? 1 : 0;
      };
    }
  }
}

/**
 * Stable sort of a table's rows by `columns` (first column most significant), as Flux's `sort()`:
 * columns missing from the table and group-key columns (constant within the table) are skipped;
 * nulls sort first whether ascending or descending; NaN sorts after every number; -0 equals 0;
 * strings order by code point. Returns `table` itself when already sorted. The permuted columns
 * are charged to `budget`.
 *
 * Implementation: every column is turned into order-preserving unsigned keys (floats and signed
 * integers by bit tricks on their raw words, strings and bools by rank), and the row permutation
 * is LSD-radix-sorted column by column, least significant column first. Linear in rows.
 *
 * With `rows`, only those rows of the sorted table are returned (what `sliceRows` of the whole
 * sorted table gives), and only they are gathered.
 */
export function sortTable(table: Table, columns: readonly string[], desc = false, budget?: MemoryBudget, rows?: RowRange): Table {
  return runSteps(sortTableSteps(table, columns, desc, budget, rows));
}

/**
 * `sortTable` in steps (steps.ts): it yields between the columns it sorts by, between the radix
 * passes of a table too long for the shared scratch arrays, and between the columns it gathers.
 */
export function* sortTableSteps(table: Table, columns: readonly string[], desc = false, budget?: MemoryBudget, rows?: RowRange): Steps<Table> {
  const n = table.length;
  const perm = yield* sortOrderSteps(table, columns, desc);
  if (perm === undefined) return rows === undefined ? table : sliceRows(table, rows.from, rows.to);
  if (rows === undefined) return yield* takeRowsSteps(table, perm, n, budget);
  // Only the rows asked for are gathered (sort |> limit: a few of a table's many rows).
  const from = Math.max(0, Math.min(rows.from, n));
  const to = Math.max(from, Math.min(rows.to, n));
  return yield* takeRowsSteps(table, perm.subarray(from, to), to - from, budget);
}

/**
 * The row order `sortTable` puts the table in (its permutation), or undefined when the table
 * already is in that order. Nothing is gathered.
 */
export function sortOrder(table: Table, columns: readonly string[], desc = false): Uint32Array | undefined {
  return runSteps(sortOrderSteps(table, columns, desc));
}

function* sortOrderSteps(table: Table, columns: readonly string[], desc: boolean): Steps<Uint32Array | undefined> {
  const cols: ColumnData[] = [];
  for (const label of columns) {
    const j = table.colIndex(label);
    if (j < 0 || table.key.has(label)) continue;
    cols.push(table.columns[j]!);
  }
  const n = table.length;
  if (cols.length === 0 || n < 2) return undefined;
  if (isSorted(cols, n, desc)) return undefined;
  let perm: Uint32Array = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  // Between columns the order so far is in `perm`, this sort's own array: a safe point.
  for (let c = cols.length - 1; c >= 0; c--) {
    perm = yield* stableSortByColumn(perm, cols[c]!, desc);
    yield;
  }
  return perm;
}

/** Rows `[from, to)` of a sorted table (clamped to its length), as `sliceRows` takes them. */
export interface RowRange {
  readonly from: number;
  readonly to: number;
}

function isSorted(cols: readonly ColumnData[], n: number, desc: boolean): boolean {
  const cmps = cols.map((c) => rowComparator(c, desc));
  for (let i = 1; i < n; i++) {
    for (const cmp of cmps) {
      const r = cmp(i - 1, i);
      if (r < 0) break;
      if (r > 0) return false;
    }
  }
  return true;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** `perm` reordered stably by the column's values at the rows it lists; nulls first. */
function* stableSortByColumn(perm: Uint32Array, col: ColumnData, desc: boolean): Steps<Uint32Array> {
  const n = perm.length;
  // Nulls go first, in their current order.
  let nulls = 0;
  let rows = perm;
  if (col.valid !== null) {
    const out = new Uint32Array(n);
    for (let k = 0; k < n; k++) if (!isValid(col, perm[k]!)) out[nulls++] = perm[k]!;
    let w = nulls;
    for (let k = 0; k < n; k++) if (isValid(col, perm[k]!)) out[w++] = perm[k]!;
    if (nulls === n) return out;
    rows = out.subarray(nulls);
    perm = out;
  }
  if (!LITTLE_ENDIAN) {
    const cmp = rowComparator(col, desc);
    const sorted = Array.from(rows).sort((a, b) => cmp(a, b));
    perm.set(sorted, nulls);
    return perm;
  }
  const compact = col.type === 'time' || col.type === 'int' || col.type === 'duration' ? compactKeys(col.values, rows, desc) : undefined;
  const { hi, lo } = compact ?? sortKeys(col, desc);
  const sorted = yield* radixSort(rows, lo, hi);
  if (sorted !== rows) perm.set(sorted, nulls);
  return perm;
}

/** Rows a scratch array of the sort holds at most (4 MiB each); longer sorts allocate their own. */
const SCRATCH_MAX_ROWS = 1 << 20;
const scratchArrays: Uint32Array[] = [];
const KEY_LO = 0;
const KEY_HI = 1;
const ROWS_A = 2;
const LO_A = 3;
const HI_A = 4;
const ROWS_B = 5;
const LO_B = 6;
const HI_B = 7;

/**
 * Scratch array `slot` of at least `n` rows (contents left from its last use). The sort's keys
 * and radix buffers are reused from sort to sort (sorting is synchronous, and no slot is in two
 * uses at once): fresh arrays of a million rows cost their first touches, page faults, on every
 * sort — `group() |> aggregateWindow(…)` over the peer data faulted ~10,000 times per answer.
 */
function scratch(slot: number, n: number): Uint32Array {
  if (n > SCRATCH_MAX_ROWS) return new Uint32Array(n);
  let a = scratchArrays[slot];
  if (a === undefined || a.length < n) {
    a = new Uint32Array(Math.min(SCRATCH_MAX_ROWS, Math.max(n, 2 * (a?.length ?? 0))));
    scratchArrays[slot] = a;
  }
  return a.subarray(0, n);
}

const TWO_32 = 4294967296;
/** Spans of values below this are exact as doubles. */
const MAX_EXACT = 2 ** 53;

/**
 * For signed 64-bit values (times, ints, durations), when the listed rows' values lie within 2^53
 * of their minimum: keys (v − min) / g, with g the greatest common divisor of those offsets,
 * in one word when they fit (hi null), as `sortKeys` gives them (indexed by row; set only for the
 * listed rows). Same order, fewer bits, so fewer radix passes: times every 10 s over a day are
 * 8,640 keys of 14 bits (two passes) instead of 47 bits (five). Undefined when the span is wider.
 * Computed with doubles from the values' 32-bit halves, exactly: every offset is below 2^53.
 */
function compactKeys(values: BigInt64Array, rows: Uint32Array, desc: boolean): { hi: Uint32Array | null; lo: Uint32Array } | undefined {
  const h = new Int32Array(values.buffer, values.byteOffset, 2 * values.length);
  const m = rows.length;
  // The minimum and maximum, as (signed high word, unsigned low word).
  let minHi = h[2 * rows[0]! + 1]!;
  let minLo = h[2 * rows[0]!]! >>> 0;
  let maxHi = minHi;
  let maxLo = minLo;
  for (let k = 1; k < m; k++) {
    const r = rows[k]!;
    const vh = h[2 * r + 1]!;
    const vl = h[2 * r]! >>> 0;
    if (vh < minHi || (vh === minHi && vl < minLo)) {
      minHi = vh;
      minLo = vl;
    }
    if (vh > maxHi || (vh === maxHi && vl > maxLo)) {
      maxHi = vh;
      maxLo = vl;
    }
  }
  const span = (maxHi - minHi) * TWO_32 + (maxLo - minLo);
  if (!(span < MAX_EXACT)) return undefined;
  /** Row r's value minus the minimum: exact, below 2^53. */
  const offset = (r: number): number => (h[2 * r + 1]! - minHi) * TWO_32 + ((h[2 * r]! >>> 0) - minLo);
  let g = 0;
  for (let k = 0; k < m && g !== 1; k++) {
    let a = offset(rows[k]!);
    // Usually a multiple of g already: checked by a division (exact: both below 2^53), which
    // costs a fraction of the remainder operator on doubles.
    if (g !== 0 && Math.floor(a / g) * g === a) continue;
    // Euclid: gcd(g, a), exact on integers below 2^53.
    let b = g;
    while (b !== 0) {
      const t = a % b;
      a = b;
      b = t;
    }
    g = a;
  }
  if (g === 0) g = 1; // every value equal
  const top = span / g;
  const lo = scratch(KEY_LO, values.length);
  if (top < TWO_32) {
    for (let k = 0; k < m; k++) {
      const r = rows[k]!;
      const key = offset(r) / g;
      lo[r] = desc ? top - key : key;
    }
    return { hi: null, lo };
  }
  const hi = scratch(KEY_HI, values.length);
  for (let k = 0; k < m; k++) {
    const r = rows[k]!;
    const off = offset(r) / g;
    const key = desc ? top - off : off;
    const kh = Math.floor(key / TWO_32);
    hi[r] = kh;
    lo[r] = key - kh * TWO_32;
  }
  return { hi, lo };
}

/**
 * Order-preserving unsigned 32-bit key words per row (indexed by row): `hi` is null when one
 * word suffices. Descending order inverts the words, which keeps equal keys stable.
 */
function sortKeys(col: ColumnData, desc: boolean): { hi: Uint32Array | null; lo: Uint32Array } {
  const n = col.length;
  const flip = desc ? 0xffffffff : 0;
  switch (col.type) {
    case 'float': {
      const f = col.values;
      const words = new Uint32Array(f.buffer, f.byteOffset, 2 * n);
      const hi = scratch(KEY_HI, n);
      const lo = scratch(KEY_LO, n);
      for (let i = 0; i < n; i++) {
        let h = words[2 * i + 1]!;
        let l = words[2 * i]!;
        const v = f[i]!;
        if (v !== v) {
          h = 0xffffffff; // NaN after everything
          l = 0xffffffff;
        } else if (v === 0) {
          h = 0x80000000; // -0 and 0 are equal
          l = 0;
        } else if (h & 0x80000000) {
          h = ~h >>> 0;
          l = ~l >>> 0;
        } else {
          h = (h | 0x80000000) >>> 0;
        }
        hi[i] = (h ^ flip) >>> 0;
        lo[i] = (l ^ flip) >>> 0;
      }
      return { hi, lo };
    }
    case 'int':
    case 'time':
    case 'duration':
    case 'uint': {
      const v = col.values;
      const words = new Uint32Array(v.buffer, v.byteOffset, 2 * n);
      const signBit = col.type === 'uint' ? 0 : 0x80000000;
      const hi = scratch(KEY_HI, n);
      const lo = scratch(KEY_LO, n);
      for (let i = 0; i < n; i++) {
        hi[i] = (words[2 * i + 1]! ^ signBit ^ flip) >>> 0;
        lo[i] = (words[2 * i]! ^ flip) >>> 0;
      }
      return { hi, lo };
    }
    case 'bool': {
      const v = col.values;
      const lo = scratch(KEY_LO, n);
      for (let i = 0; i < n; i++) lo[i] = (v[i]! ^ flip) >>> 0;
      return { hi: null, lo };
    }
    case 'string': {
      // Rank the distinct strings (usually few: tags) and sort by rank.
      const v = col.values;
      const distinct = new Map<string, number>();
      for (let i = 0; i < n; i++) if (!distinct.has(v[i]!)) distinct.set(v[i]!, 0);
      const ordered = [...distinct.keys()].sort(compareStrings);
      ordered.forEach((s, r) => distinct.set(s, r));
      const lo = scratch(KEY_LO, n);
      for (let i = 0; i < n; i++) lo[i] = (distinct.get(v[i]!)! ^ flip) >>> 0;
      return { hi: null, lo };
    }
  }
}

const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;

/**
 * Stable LSD radix sort of `rows` by (hi, lo) of each row, 11 bits per pass (a bucket table
 * that stays in cache). Keys travel with the rows so every pass reads sequentially; passes whose
 * digit is the same for all rows (e.g. the high bits of nearby timestamps) are skipped.
 * Returns a scratch array (see `scratch`): the caller copies it before the next sort. Yields
 * between passes when every array it works in is its own (more rows than a scratch array holds):
 * shared scratch arrays must not change hands mid-sort.
 */
function* radixSort(rows: Uint32Array, lo: Uint32Array, hi: Uint32Array | null): Steps<Uint32Array> {
  const n = rows.length;
  const own = n > SCRATCH_MAX_ROWS;
  let r0: Uint32Array = scratch(ROWS_A, n);
  r0.set(rows);
  let l0: Uint32Array = scratch(LO_A, n);
  let h0: Uint32Array | null = hi === null ? null : scratch(HI_A, n);
  for (let k = 0; k < n; k++) {
    const r = r0[k]!;
    l0[k] = lo[r]!;
    if (h0 !== null) h0[k] = hi![r]!;
  }
  let r1: Uint32Array = scratch(ROWS_B, n);
  let l1: Uint32Array = scratch(LO_B, n);
  let h1: Uint32Array | null = hi === null ? null : scratch(HI_B, n);
  const count = new Uint32Array(BUCKETS + 1);
  const passes: [boolean, number][] = [];
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) passes.push([false, shift]);
  if (hi !== null) for (let shift = 0; shift < 32; shift += DIGIT_BITS) passes.push([true, shift]);
  for (const [useHi, shift] of passes) {
    const key = useHi ? h0! : l0;
    count.fill(0);
    for (let k = 0; k < n; k++) count[((key[k]! >>> shift) & DIGIT_MASK) + 1]!++;
    let uniform = false;
    for (let b = 1; b <= BUCKETS; b++) {
      if (count[b] === n) uniform = true;
      if (count[b] !== 0) break;
    }
    if (uniform) continue;
    for (let b = 1; b <= BUCKETS; b++) count[b]! += count[b - 1]!;
    for (let k = 0; k < n; k++) {
      const d = count[(key[k]! >>> shift) & DIGIT_MASK]!++;
      r1[d] = r0[k]!;
      l1[d] = l0[k]!;
      if (h0 !== null) h1![d] = h0[k]!;
    }
    [r0, r1] = [r1, r0];
    [l0, l1] = [l1, l0];
    if (h0 !== null) [h0, h1] = [h1!, h0];
    if (own) yield;
  }
  return r0;
}
