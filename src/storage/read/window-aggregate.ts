import { invalid } from '../../core/errors.js';
import { floorDiv } from '../../core/time.js';
import { FIELD_TYPE_NAMES, FieldType } from '../../lineprotocol/point.js';
import type { Aggregate, ColumnValues } from '../storage.js';
import type { Column } from './column.js';
import { lowerBound } from './time-search.js';
import { anchorShapes } from '../../core/shape-anchors.js';

export interface WindowSpec {
  readonly everyNs: bigint;
  readonly offsetNs: bigint;
  /** Each window's width; every when absent. */
  readonly periodNs?: bigint | undefined;
}

/**
 * Aggregated rows of one series: one per non-empty window (or one for the whole range). The arrays
 * may be shared: between the results of consecutive series with the same windows, and
 * `timestampsNs` with `windowStopsNs` for count, sum and mean. Nobody writes them.
 */
export interface AggregateRows {
  readonly type: FieldType;
  readonly timestampsNs: BigInt64Array;
  readonly values: ColumnValues;
  readonly windowStartsNs: BigInt64Array;
  readonly windowStopsNs: BigInt64Array;
}

/**
 * Computes `aggregate` over the points of `col` in `[startNs, stopNs)`, per window when given
 * (windows `[t, t + every)` with `(t - offset) % every == 0`, clipped to the range), straight
 * from the typed arrays: each window's bounds are found by binary search, then one tight loop
 * over the values; no row objects. Empty windows are omitted; returns undefined when no point
 * falls in the range.
 */
export function aggregateColumn(
  col: Column,
  aggregate: Aggregate,
  startNs: bigint,
  stopNs: bigint,
  window: WindowSpec | undefined,
): AggregateRows | undefined {
  checkSupported(aggregate, col.type);
  const ts = col.timestampsNs;
  const i = lowerBound(ts, startNs);
  const end = lowerBound(ts, stopNs, i);
  if (i >= end) return undefined;
  if (window !== undefined && window.everyNs <= 0n) throw invalid('window every must be positive');
  if (window?.periodNs !== undefined && window.periodNs !== window.everyNs) {
    if (window.periodNs <= 0n) throw invalid('window period must be positive');
    return aggregatePeriods(col, aggregate, startNs, stopNs, window, window.periodNs, i, end);
  }

  if (window !== undefined) {
    const fast = aggregateWindowsRelative(col, aggregate, startNs, stopNs, window, i, end);
    if (fast !== undefined) return fast;
  }
  return aggregateGeneral(col, aggregate, startNs, stopNs, window, i, end);
}

/**
 * The general path: window bounds in bigint arithmetic, any time range. Exported so tests can
 * hold the fast path to it.
 */
export function aggregateGeneral(
  col: Column,
  aggregate: Aggregate,
  startNs: bigint,
  stopNs: bigint,
  window: WindowSpec | undefined,
  from: number,
  end: number,
): AggregateRows {
  const ts = col.timestampsNs;
  let i = from;
  const starts: bigint[] = [];
  const stops: bigint[] = [];
  const rowTs: bigint[] = [];
  const out = new RowValues(aggregate, col.type);
  while (i < end) {
    let ws = startNs;
    let we = stopNs;
    let j = end;
    if (window !== undefined) {
      const t = ts[i]!;
      const wStart = floorDiv(t - window.offsetNs, window.everyNs) * window.everyNs + window.offsetNs;
      const wStop = wStart + window.everyNs;
      ws = wStart > startNs ? wStart : startNs;
      we = wStop < stopNs ? wStop : stopNs;
      j = lowerBound(ts, we, i, end);
    }
    const at = out.add(col.values, i, j);
    starts.push(ws);
    stops.push(we);
    rowTs.push(at < 0 ? we : ts[at]!);
    i = j;
  }
  return rowsOf(out, rowTs, starts, stops);
}

/**
 * Windows whose width (period) differs from their spacing (every): overlapping ones (a point in
 * each window holding it) or ones with gaps (a point between windows in none). Windows without
 * points are skipped: each window's first and last points are searched from the previous
 * window's, and after a gap the windows jump to the first one still holding the next point.
 */
function aggregatePeriods(
  col: Column,
  aggregate: Aggregate,
  startNs: bigint,
  stopNs: bigint,
  window: WindowSpec,
  periodNs: bigint,
  from: number,
  end: number,
): AggregateRows {
  const ts = col.timestampsNs;
  const every = window.everyNs;
  const base = window.offsetNs;
  const starts: bigint[] = [];
  const stops: bigint[] = [];
  const rowTs: bigint[] = [];
  const out = new RowValues(aggregate, col.type);
  const last = floorDiv(ts[end - 1]! - base, every);
  let lo = from;
  let hi = from;
  for (let k = floorDiv(ts[from]! - base - periodNs, every) + 1n; k <= last; k++) {
    // The first window still holding point `lo` (its stop is after the point's time).
    const first = floorDiv(ts[lo]! - base - periodNs, every) + 1n;
    if (first > k) k = first;
    const start = base + k * every;
    const stop = start + periodNs;
    lo = lowerBound(ts, start, lo, end);
    if (lo === end) break;
    hi = lowerBound(ts, stop, hi < lo ? lo : hi, end);
    if (hi === lo) continue;
    const ws = start > startNs ? start : startNs;
    const we = stop < stopNs ? stop : stopNs;
    const at = out.add(col.values, lo, hi);
    starts.push(ws);
    stops.push(we);
    rowTs.push(at < 0 ? we : ts[at]!);
  }
  return rowsOf(out, rowTs, starts, stops);
}

/** The rows a general path collected (one per window, or one for the range). */
function rowsOf(out: RowValues, rowTs: readonly bigint[], starts: readonly bigint[], stops: readonly bigint[]): AggregateRows {
  return {
    type: out.outType,
    timestampsNs: BigInt64Array.from(rowTs),
    values: out.finish(),
    windowStartsNs: BigInt64Array.from(starts),
    windowStopsNs: BigInt64Array.from(stops),
  };
}

const TWO_32 = 4294967296;
const INV_TWO_32 = 1 / TWO_32;
/** Spans below this many ns are exact as doubles (2^53), with room for one more window. */
const MAX_EXACT_SPAN = 2n ** 52n;

/**
 * The fast path for windows: times become doubles relative to the first window's start (exact
 * while the span is below 2^52 ns, about 52 days), read from the 32-bit halves of the
 * BigInt64Array, and output times are written back as halves, so no bigint is created per
 * point or per window. Returns undefined when the span is too large for doubles.
 */
export function aggregateWindowsRelative(
  col: Column,
  aggregate: Aggregate,
  startNs: bigint,
  stopNs: bigint,
  window: WindowSpec,
  from: number,
  end: number,
): AggregateRows | undefined {
  const ts = col.timestampsNs;
  const every = window.everyNs;
  const base = floorDiv(ts[from]! - window.offsetNs, every) * every + window.offsetNs;
  if (every >= MAX_EXACT_SPAN || ts[end - 1]! - base >= MAX_EXACT_SPAN - every) return undefined;
  const everyD = Number(every);
  const clipStart = startNs > base ? Number(startNs - base) : 0;
  const clipStop = stopNs - base < MAX_EXACT_SPAN ? Number(stopNs - base) : Infinity;
  const baseHi = Number(BigInt.asIntN(32, base >> 32n));
  const baseLo = Number(BigInt.asUintN(32, base));
  const h = new Int32Array(ts.buffer, ts.byteOffset, ts.length * 2);
  const rel = (k: number): number => (h[2 * k + 1]! - baseHi) * TWO_32 + ((h[2 * k]! >>> 0) - baseLo);

  const maxRows = Math.min(end - from, Math.floor(Number(ts[end - 1]! - base) / everyD) + 1);
  // Window bounds go to scratch first: most series of a read have the same windows, and then
  // share one pair of arrays (sharedWindows). Only selectors (first, last, min, max) have a
  // time per row of their own; the other aggregates' time is the window stop.
  scratch.reserve(maxRows);
  const wsH = scratch.starts;
  const weH = scratch.stops;
  const selects = aggregate === 'first' || aggregate === 'last' || aggregate === 'min' || aggregate === 'max';
  const tsOut = selects ? new BigInt64Array(maxRows) : undefined;
  const tsH = tsOut === undefined ? undefined : new Int32Array(tsOut.buffer);
  const put = (target: Int32Array, row: number, relNs: number): void => {
    // × 2^-32 is exact (a power of two), and cheaper than a division.
    const relHi = Math.floor(relNs * INV_TWO_32);
    let lo = baseLo + (relNs - relHi * TWO_32);
    let hi = baseHi + relHi;
    if (lo >= TWO_32) {
      lo -= TWO_32;
      hi += 1;
    }
    target[2 * row] = lo | 0;
    target[2 * row + 1] = hi | 0;
  };

  // Average distance between points (any positive value keeps the search below correct).
  const avgStep = end - from > 1 ? Math.max(1, (rel(end - 1) - rel(from)) / (end - 1 - from)) : everyD;
  const out = new RowValues(aggregate, col.type);
  // Float sums and means (the downsampling case) are summed after the windows are found, from
  // their row bounds (sumWindows), several windows at a time.
  const floats = col.type === FieldType.Float && (aggregate === 'sum' || aggregate === 'mean') ? (col.values as Float64Array) : undefined;
  const rowBounds = floats === undefined ? undefined : scratch.bounds;
  let rows = 0;
  let i = from;
  let wStart = Math.floor(rel(i) / everyD) * everyD;
  /** Points in the previous window: the next one usually has as many (regular times). */
  let prevCount = 0;
  // In the loop, rel(k) is written out: a call V8 leaves out of line returns its double boxed (a
  // heap allocation per window).
  while (i < end) {
    const ri = (h[2 * i + 1]! - baseHi) * TWO_32 + ((h[2 * i]! >>> 0) - baseLo);
    // Windows ascend: the next non-empty one is usually the one right after the last.
    if (ri >= wStart + everyD) {
      wStart += everyD;
      if (ri >= wStart + everyD) wStart = Math.floor(ri / everyD) * everyD;
    }
    const ws = wStart > clipStart ? wStart : clipStart;
    const wStop = wStart + everyD;
    const we = wStop < clipStop ? wStop : clipStop;
    // First index in [i, end) at or after the window's (clipped) stop. Regular times (the usual
    // case) put it where the previous window's count (or the average step) says: check that
    // guess first, else binary search.
    let lo = i + 1;
    let hi = end;
    const guess = prevCount > 0 ? i + prevCount : i + Math.ceil((we - ri) / avgStep);
    if (
      guess > i &&
      guess <= end &&
      (h[2 * guess - 1]! - baseHi) * TWO_32 + ((h[2 * guess - 2]! >>> 0) - baseLo) < we &&
      (guess === end || (h[2 * guess + 1]! - baseHi) * TWO_32 + ((h[2 * guess]! >>> 0) - baseLo) >= we)
    ) {
      lo = hi = guess;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((h[2 * mid + 1]! - baseHi) * TWO_32 + ((h[2 * mid]! >>> 0) - baseLo) < we) lo = mid + 1;
      else hi = mid;
    }
    let at = -1;
    if (rowBounds !== undefined) rowBounds[rows] = i;
    else at = out.add(col.values, i, lo);
    put(wsH, rows, ws);
    put(weH, rows, we);
    if (tsH !== undefined) {
      tsH[2 * rows] = h[2 * at]!;
      tsH[2 * rows + 1] = h[2 * at + 1]!;
    }
    rows++;
    prevCount = lo - i;
    i = lo;
  }
  let values: ColumnValues;
  if (rowBounds !== undefined) {
    rowBounds[rows] = end;
    values = sumWindows(floats!, rowBounds, rows, aggregate === 'mean');
  } else values = out.finish();
  const { windowStartsNs, windowStopsNs } = sharedWindows(rows);
  return {
    type: out.outType,
    timestampsNs: tsOut === undefined ? windowStopsNs : tsOut.length === rows ? tsOut : tsOut.subarray(0, rows),
    values,
    windowStartsNs,
    windowStopsNs,
  };
}

/**
 * Scratch arrays of aggregateWindowsRelative (synchronous, so one set serves every call): window
 * starts and stops as int64 halves, and row bounds of float sums. Grown as needed.
 */
const scratch = {
  starts: new Int32Array(0),
  stops: new Int32Array(0),
  bounds: new Int32Array(0),
  reserve(rows: number): void {
    if (this.bounds.length > rows) return;
    const n = Math.max(rows + 1, 2 * this.bounds.length);
    this.starts = new Int32Array(2 * n);
    this.stops = new Int32Array(2 * n);
    this.bounds = new Int32Array(n);
  },
};

/**
 * The last window arrays handed out. Consecutive series of a read usually have exactly the same
 * windows (every window of the range holds points): they then share these arrays, as their
 * `_time` column too, instead of three new arrays per series. Shared arrays are never written
 * (storage and Flux columns are immutable once made).
 */
let lastWindows: { windowStartsNs: BigInt64Array; windowStopsNs: BigInt64Array; starts: Int32Array; stops: Int32Array } | undefined;

/** The first `rows` windows in scratch, as arrays: the last ones handed out if equal, else copies. */
function sharedWindows(rows: number): { windowStartsNs: BigInt64Array; windowStopsNs: BigInt64Array } {
  const last = lastWindows;
  if (last !== undefined && last.windowStartsNs.length === rows && sameHalves(last.starts, last.stops, scratch.starts, scratch.stops, 2 * rows)) return last;
  const windowStartsNs = new BigInt64Array(scratch.starts.buffer.slice(0, 8 * rows));
  const windowStopsNs = new BigInt64Array(scratch.stops.buffer.slice(0, 8 * rows));
  lastWindows = {
    windowStartsNs,
    windowStopsNs,
    starts: new Int32Array(windowStartsNs.buffer),
    stops: new Int32Array(windowStopsNs.buffer),
  };
  return lastWindows;
}

/**
 * `windowStartsNs` and `windowStopsNs` made elsewhere (window-memo.ts), swapped for the last
 * window arrays handed out when those hold the same windows (as sharedWindows), else kept as the
 * ones to share next.
 */
export function shareWindows(windowStartsNs: BigInt64Array, windowStopsNs: BigInt64Array): { windowStartsNs: BigInt64Array; windowStopsNs: BigInt64Array } {
  const last = lastWindows;
  if (last !== undefined && last.windowStartsNs === windowStartsNs && last.windowStopsNs === windowStopsNs) return last;
  const starts = new Int32Array(windowStartsNs.buffer, windowStartsNs.byteOffset, 2 * windowStartsNs.length);
  const stops = new Int32Array(windowStopsNs.buffer, windowStopsNs.byteOffset, 2 * windowStopsNs.length);
  if (last !== undefined && last.windowStartsNs.length === windowStartsNs.length && sameHalves(last.starts, last.stops, starts, stops, starts.length)) return last;
  lastWindows = { windowStartsNs, windowStopsNs, starts, stops };
  return lastWindows;
}

function sameHalves(a: Int32Array, b: Int32Array, c: Int32Array, d: Int32Array, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[k] !== c[k] || b[k] !== d[k]) return false;
  return true;
}

/**
 * Per window w, the sum (or mean) of `values[bounds[w], bounds[w + 1])`, added in index order,
 * exactly as one loop per window adds them (the same double result, which the plain path must
 * match), but four windows at a time: a sum is a chain of dependent additions, and independent
 * chains overlap (four: 0.66 -> 0.53 ms for 100 series of 288 windows of 30 points, against two).
 */
function sumWindows(values: Float64Array, bounds: Int32Array, rows: number, mean: boolean): Float64Array {
  const out = new Float64Array(rows);
  let w = 0;
  for (; w + 3 < rows; w += 4) {
    const a = bounds[w]!;
    const b = bounds[w + 1]!;
    const c = bounds[w + 2]!;
    const d = bounds[w + 3]!;
    const e = bounds[w + 4]!;
    const n1 = b - a;
    const n2 = c - b;
    const n3 = d - c;
    const n4 = e - d;
    let all = n1 < n2 ? n1 : n2;
    if (n3 < all) all = n3;
    if (n4 < all) all = n4;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    for (let k = 0; k < all; k++) {
      s1 += values[a + k]!;
      s2 += values[b + k]!;
      s3 += values[c + k]!;
      s4 += values[d + k]!;
    }
    for (let k = a + all; k < b; k++) s1 += values[k]!;
    for (let k = b + all; k < c; k++) s2 += values[k]!;
    for (let k = c + all; k < d; k++) s3 += values[k]!;
    for (let k = d + all; k < e; k++) s4 += values[k]!;
    out[w] = mean ? s1 / n1 : s1;
    out[w + 1] = mean ? s2 / n2 : s2;
    out[w + 2] = mean ? s3 / n3 : s3;
    out[w + 3] = mean ? s4 / n4 : s4;
  }
  for (; w < rows; w++) {
    const a = bounds[w]!;
    const b = bounds[w + 1]!;
    let s = 0;
    for (let k = a; k < b; k++) s += values[k]!;
    out[w] = mean ? s / (b - a) : s;
  }
  return out;
}

function checkSupported(aggregate: Aggregate, type: FieldType): void {
  const numeric = type === FieldType.Float || type === FieldType.Integer || type === FieldType.Unsigned;
  if (!numeric && (aggregate === 'sum' || aggregate === 'mean' || aggregate === 'min' || aggregate === 'max')) {
    throw invalid(`unsupported aggregate ${aggregate} for field type ${FIELD_TYPE_NAMES[type]}`);
  }
}

/** Output type of `aggregate` over a field of `type` (SeriesBatch contract in storage.ts). */
export function aggregateType(aggregate: Aggregate, type: FieldType): FieldType {
  if (aggregate === 'count') return FieldType.Integer;
  if (aggregate === 'mean') return FieldType.Float;
  return type;
}

/** Accumulates one value per window; `add` returns the index of the selected point, or -1. */
class RowValues {
  readonly outType: FieldType;
  private readonly nums: number[] = [];
  private readonly bigs: bigint[] = [];
  private readonly strs: string[] = [];

  constructor(
    private readonly aggregate: Aggregate,
    private readonly type: FieldType,
  ) {
    this.outType = aggregateType(aggregate, type);
  }

  add(values: ColumnValues, from: number, to: number): number {
    switch (this.aggregate) {
      case 'count':
        this.bigs.push(BigInt(to - from));
        return -1;
      case 'first':
        this.push(values, from);
        return from;
      case 'last':
        this.push(values, to - 1);
        return to - 1;
      case 'sum':
      case 'mean': {
        if (this.type === FieldType.Float) {
          const v = values as Float64Array;
          let s = 0;
          for (let k = from; k < to; k++) s += v[k]!;
          if (this.aggregate === 'mean') this.nums.push(s / (to - from));
          else this.nums.push(s);
        } else {
          const v = values as BigInt64Array | BigUint64Array;
          let s = 0n;
          for (let k = from; k < to; k++) s += v[k]!;
          if (this.aggregate === 'mean') this.nums.push(Number(s) / (to - from));
          else this.bigs.push(s);
        }
        return -1;
      }
      case 'min':
      case 'max': {
        const v = values as Float64Array | BigInt64Array | BigUint64Array;
        const wantMin = this.aggregate === 'min';
        let best = from;
        for (let k = from + 1; k < to; k++) {
          if (wantMin ? v[k]! < v[best]! : v[k]! > v[best]!) best = k;
        }
        this.push(values, best);
        return best;
      }
    }
  }

  private push(values: ColumnValues, k: number): void {
    switch (this.type) {
      case FieldType.Float:
      case FieldType.Boolean:
        this.nums.push((values as Float64Array | Uint8Array)[k]!);
        break;
      case FieldType.Integer:
      case FieldType.Unsigned:
        this.bigs.push((values as BigInt64Array)[k]!);
        break;
      case FieldType.String:
        this.strs.push((values as string[])[k]!);
        break;
    }
  }

  finish(): ColumnValues {
    switch (this.outType) {
      case FieldType.Float:
        return Float64Array.from(this.nums);
      case FieldType.Boolean:
        return Uint8Array.from(this.nums);
      case FieldType.Integer:
        return BigInt64Array.from(this.bigs.map((b) => BigInt.asIntN(64, b)));
      case FieldType.Unsigned:
        return BigUint64Array.from(this.bigs.map((b) => BigInt.asUintN(64, b)));
      case FieldType.String:
        return this.strs;
    }
  }
}

// One per window aggregation: one kept alive keeps its map (shape-anchors.ts).
anchorShapes(new RowValues('mean', FieldType.Float));
