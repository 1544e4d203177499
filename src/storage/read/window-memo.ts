import { FieldType } from '../../lineprotocol/point.js';
import type { Aggregate, ColumnValues } from '../storage.js';
import type { CachedSource, ColumnCache } from './column-cache.js';
import { allocValues, sliceColumn, subValues, type Column } from './column.js';
import { aggregateColumn, shareWindows, type AggregateRows, type WindowSpec } from './window-aggregate.js';
import { lowerBound } from './time-search.js';

/**
 * Window aggregates of a cached block column, kept with its cache entry: dashboards and
 * reports ask the same windowed aggregate of the same series again and again (a Grafana panel
 * every refresh), and a block never changes, so each window's value is computed once.
 *
 * What is kept is the aggregate of every window of the whole entry, unclipped, with the index of
 * each window's first point. A read then takes the windows that lie wholly inside its range from
 * there, and computes only the (at most two) windows its range cuts, at either end: a range that
 * moves with `now()` reuses all but those. The values are the same doubles the direct path gives:
 * each window is added up in the same order over the same points.
 *
 * Used only for a column that is exactly an entry's points in the range (one block holds the
 * series there; no head data, tombstones or value filter in between), for windows whose period
 * is their spacing, and kept only when the read covers at least half the entry (a read of its
 * last minutes does not pay for all of it) and the windows are at least `MIN_POINTS_PER_WINDOW`
 * points on average (else the memo is about as large as the column and saves little).
 *
 * Memos rank below entries: one is kept only in free room, and they are the first thing a full
 * cache gives up for a new entry (column-cache.ts). A read of more series than the cache holds
 * (every field of every host) must keep its decoded columns, which cost a disk read and a decode
 * to replace, rather than memos, which cost a pass over a cached column.
 */
export function aggregateWindows(
  cache: ColumnCache | undefined,
  col: Column,
  aggregate: Aggregate,
  startNs: bigint,
  stopNs: bigint,
  window: WindowSpec | undefined,
): AggregateRows | undefined {
  if (cache === undefined || window === undefined || (window.periodNs !== undefined && window.periodNs !== window.everyNs) || window.everyNs <= 0n) {
    return aggregateColumn(col, aggregate, startNs, stopNs, window);
  }
  const m = col.timestampsNs.length;
  const src = m === 0 ? undefined : cache.source(col.values);
  if (src === undefined || !isRangeOf(src, col, startNs, stopNs)) return aggregateColumn(col, aggregate, startNs, stopNs, window);
  const name = memoName(aggregate, window);
  let memo = src.recall(name) as Memo | null | undefined;
  if (memo === undefined) {
    // Not for a small part of the entry, nor when the cache has no room left to keep it.
    if (2 * m < src.length || src.room() < memoBytesAtMost(src, window)) return aggregateColumn(col, aggregate, startNs, stopNs, window);
    memo = memoOf(src.whole(), aggregate, window);
    src.remember(name, memo, memo === null ? 64 : memo.bytes);
  }
  if (memo === null) return aggregateColumn(col, aggregate, startNs, stopNs, window);
  return fromMemo(memo, col, src.offset, aggregate, startNs, stopNs, window);
}

/** The name a memo is kept under; the last one made is reused (every series of a read asks the same). */
function memoName(aggregate: Aggregate, window: WindowSpec): string {
  const last = lastName;
  if (last.aggregate === aggregate && last.window === window) return last.name;
  lastName = { aggregate, window, name: `${aggregate} ${window.everyNs} ${window.offsetNs}` };
  return lastName.name;
}
let lastName: { readonly aggregate: Aggregate | undefined; readonly window: WindowSpec | undefined; readonly name: string } = { aggregate: undefined, window: undefined, name: '' };

/** Points per window below which a memo is not kept (see aggregateWindows). */
export const MIN_POINTS_PER_WINDOW = 4;

/** Every window of an entry: the aggregate's rows, unclipped, and where each window's points start. */
interface Memo {
  readonly rows: AggregateRows;
  /** Index of each row's first point in the entry, and the entry's length at the end. */
  readonly firstPoint: Int32Array;
  readonly bytes: number;
}

/** The memo of `whole`, or null when it would not pay (too few points per window). */
function memoOf(whole: Column, aggregate: Aggregate, window: WindowSpec): Memo | null {
  const ts = whole.timestampsNs;
  const rows = aggregateColumn(whole, aggregate, MIN_NS, MAX_NS, window)!;
  const n = rows.windowStartsNs.length;
  if (n * MIN_POINTS_PER_WINDOW > ts.length) return null;
  const firstPoint = firstPoints(ts, rows.windowStartsNs);
  return { rows, firstPoint, bytes: 200 + n * bytesPerRow(rows.timestampsNs !== rows.windowStopsNs, Array.isArray(rows.values)) };
}

/** A memo's bytes per row: window start and stop, first point, the row's own time when a selector's, the value. */
function bytesPerRow(ownTimes: boolean, strings: boolean): number {
  return 8 + 8 + 4 + (ownTimes ? 8 : 0) + (strings ? 32 : 8);
}

/** The most a memo of the entry with these windows could take (one row per window of its span). */
function memoBytesAtMost(src: CachedSource, window: WindowSpec): number {
  const span = src.timeAt(src.length - 1) - src.timeAt(0);
  const rows = Math.min(src.length, Number(span / window.everyNs) + 2);
  return 200 + rows * bytesPerRow(true, false);
}

/**
 * For each window start, the index of the first point at or after it (ascending starts), and the
 * point count at the end: one pass over both, on the 32-bit halves of the times (no bigint per
 * comparison).
 */
function firstPoints(ts: BigInt64Array, starts: BigInt64Array): Int32Array {
  const n = starts.length;
  const out = new Int32Array(n + 1);
  const t = new Int32Array(ts.buffer, ts.byteOffset, 2 * ts.length);
  const s = new Int32Array(starts.buffer, starts.byteOffset, 2 * n);
  const m = ts.length;
  let at = 0;
  for (let r = 0; r < n; r++) {
    const hi = s[2 * r + 1]!;
    const lo = s[2 * r]! >>> 0;
    while (at < m && (t[2 * at + 1]! < hi || (t[2 * at + 1] === hi && t[2 * at]! >>> 0 < lo))) at++;
    out[r] = at;
  }
  out[n] = m;
  return out;
}

const MIN_NS = -(2n ** 63n);
const MAX_NS = 2n ** 63n - 1n;

/** Whether `col` holds exactly the entry's points in `[startNs, stopNs)`. */
function isRangeOf(src: CachedSource, col: Column, startNs: bigint, stopNs: bigint): boolean {
  const ts = col.timestampsNs;
  const m = ts.length;
  const o = src.offset;
  if (o + m > src.length || ts[0]! < startNs || ts[m - 1]! >= stopNs) return false;
  if (src.timeAt(o) !== ts[0] || src.timeAt(o + m - 1) !== ts[m - 1]) return false;
  return (o === 0 || src.timeAt(o - 1) < startNs) && (o + m === src.length || src.timeAt(o + m) >= stopNs);
}

/**
 * The rows of `[startNs, stopNs)` for `col`, the entry's points `[offset, offset + m)` in that
 * range: the memo's rows of the windows inside the range, and the windows the range cuts computed
 * from their points.
 */
function fromMemo(memo: Memo, col: Column, offset: number, aggregate: Aggregate, startNs: bigint, stopNs: bigint, window: WindowSpec): AggregateRows | undefined {
  const { rows, firstPoint } = memo;
  const starts = rows.windowStartsNs;
  const stops = rows.windowStopsNs;
  const n = starts.length;
  // Rows [r0, r1): windows starting at or after the range's start and stopping by its stop.
  const r0 = lowerBound(starts, startNs);
  let r1 = lowerBound(stops, stopNs + 1n);
  if (r1 < r0) r1 = r0;
  const m = col.timestampsNs.length;
  const inFrom = Math.max(0, Math.min(m, firstPoint[r0]! - offset));
  const inTo = Math.max(inFrom, Math.min(m, firstPoint[r1]! - offset));
  const head = inFrom > 0 ? aggregateColumn(sliceColumn(col, 0, inFrom), aggregate, startNs, stopNs, window) : undefined;
  const tail = inTo < m ? aggregateColumn(sliceColumn(col, inTo, m), aggregate, startNs, stopNs, window) : undefined;
  const parts: AggregateRows[] = [];
  if (head !== undefined) parts.push(head);
  if (r1 > r0) parts.push(r0 === 0 && r1 === n ? rows : subRows(rows, r0, r1));
  if (tail !== undefined) parts.push(tail);
  if (parts.length === 0) return undefined;
  const out = parts.length === 1 ? parts[0]! : concatRows(parts);
  const shared = shareWindows(out.windowStartsNs, out.windowStopsNs);
  return {
    type: out.type,
    timestampsNs: out.timestampsNs === out.windowStopsNs ? shared.windowStopsNs : out.timestampsNs,
    values: out.values,
    windowStartsNs: shared.windowStartsNs,
    windowStopsNs: shared.windowStopsNs,
  };
}

function subRows(rows: AggregateRows, from: number, to: number): AggregateRows {
  const windowStopsNs = rows.windowStopsNs.subarray(from, to);
  return {
    type: rows.type,
    timestampsNs: rows.timestampsNs === rows.windowStopsNs ? windowStopsNs : rows.timestampsNs.subarray(from, to),
    values: subValues(rows.values, from, to),
    windowStartsNs: rows.windowStartsNs.subarray(from, to),
    windowStopsNs,
  };
}

/** Rows one after another (consecutive windows), in new arrays. */
function concatRows(parts: readonly AggregateRows[]): AggregateRows {
  const windowStartsNs = concatTimes(parts.map((p) => p.windowStartsNs));
  const windowStopsNs = concatTimes(parts.map((p) => p.windowStopsNs));
  const ownTimes = parts.some((p) => p.timestampsNs !== p.windowStopsNs);
  return {
    type: parts[0]!.type,
    timestampsNs: ownTimes ? concatTimes(parts.map((p) => p.timestampsNs)) : windowStopsNs,
    values: concatValues(parts[0]!.type, parts.map((p) => p.values)),
    windowStartsNs,
    windowStopsNs,
  };
}

function concatTimes(arrays: readonly BigInt64Array[]): BigInt64Array {
  const out = new BigInt64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

function concatValues(type: FieldType, arrays: readonly ColumnValues[]): ColumnValues {
  if (type === FieldType.String) return ([] as string[]).concat(...(arrays as string[][]));
  const out = allocValues(type, arrays.reduce((k, a) => k + a.length, 0)) as Float64Array;
  let at = 0;
  for (const a of arrays) {
    out.set(a as Float64Array, at);
    at += a.length;
  }
  return out;
}
