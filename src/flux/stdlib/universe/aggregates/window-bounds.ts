import { addDuration, type Duration } from '../../../../core/duration.js';
import { floorDiv } from '../../../../core/time.js';
import { CallError } from '../../../interpreter/index.js';

/**
 * Flux's fixed windows: boundaries on a grid of `every` from the Unix epoch shifted by `offset`
 * (calendar arithmetic when `every` is in months); a window ends on a grid point and starts
 * `period` before it, so windows overlap when period > every and leave gaps when period < every.
 * Bounds are clipped to the range being windowed (`_start`/`_stop` of the input), as Flux does.
 *
 * This is the one place aggregateWindow's window arithmetic lives, so a storage fast path
 * (window aggregates pushed into the read) computes exactly the same windows.
 */
export interface WindowSpec {
  readonly every: Duration;
  readonly period: Duration;
  /** Already includes the location's fixed offset (see `windowSpec`). */
  readonly offset: Duration;
}

/** The zero duration (default offset). */
export const ZERO_DURATION: Duration = { months: 0, nanoseconds: 0n, negative: false };

function duration(months: number, nanoseconds: bigint): Duration {
  return { months, nanoseconds, negative: months < 0 || nanoseconds < 0n };
}

/** Validates and normalises every/period/offset as Flux does (period 0 = every). */
export function windowSpec(every: Duration, period: Duration | undefined, offset: Duration | undefined, locationOffsetNs = 0n): WindowSpec {
  if (every.months === 0 && every.nanoseconds === 0n) throw new CallError('duration used as an interval cannot be zero');
  if (every.months !== 0 && every.nanoseconds !== 0n) {
    throw new CallError('duration used as an interval cannot mix month and nanosecond units');
  }
  if (every.months < 0 || every.nanoseconds < 0n) throw new CallError('duration used as an interval cannot be negative');
  const p = period === undefined || (period.months === 0 && period.nanoseconds === 0n) ? every : period;
  if (p.months !== 0 && p.nanoseconds !== 0n) throw new CallError('duration used as a period cannot mix month and nanosecond units');
  if (p.months < 0 || p.nanoseconds < 0n) throw new CallError('negative window periods are not supported');
  const o = offset ?? ZERO_DURATION;
  return { every, period: p, offset: duration(o.months, o.nanoseconds - locationOffsetNs) };
}

/** The i-th grid point (a window stop). */
function gridPoint(spec: WindowSpec, k: bigint): bigint {
  if (spec.every.months === 0) return addDuration(k * spec.every.nanoseconds, spec.offset);
  return addDuration(addDuration(0n, duration(Number(k) * spec.every.months, 0n)), spec.offset);
}

/** Whole months from the epoch to `t` (UTC calendar), rounded down. */
function monthsSinceEpoch(t: bigint): number {
  const d = new Date(Number(floorDiv(t, 1_000_000n)));
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/** The smallest window stop strictly after `t`. */
export function nextStop(spec: WindowSpec, t: bigint): bigint {
  if (spec.every.months === 0) {
    const every = spec.every.nanoseconds;
    const off = addDuration(0n, spec.offset);
    return floorDiv(t - off, every) * every + off + every;
  }
  // Estimate the grid index from the calendar, then correct for the offset.
  let k = BigInt(Math.floor(monthsSinceEpoch(t) / spec.every.months));
  while (gridPoint(spec, k) > t) k--;
  while (gridPoint(spec, k + 1n) <= t) k++;
  return gridPoint(spec, k + 1n);
}

/** The grid point following `stop` (itself a grid point). */
export function followingStop(spec: WindowSpec, stop: bigint): bigint {
  return spec.every.months === 0 ? stop + spec.every.nanoseconds : nextStop(spec, stop);
}

/** The start of the (unclipped) window that ends at `stop`. */
export function windowStart(spec: WindowSpec, stop: bigint): bigint {
  return addDuration(stop, spec.period, -1);
}

/**
 * Windows of time-sorted rows. `starts[w]`/`stops[w]` are the clipped bounds and rows
 * `from[w]`..`to[w]` (exclusive) of the sorted order fall in window w.
 */
export interface Windows {
  readonly count: number;
  readonly starts: BigInt64Array;
  readonly stops: BigInt64Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
}

/** An upper bound on window count before we refuse (a typo like `every: 1ns` over a year). */
export const MAX_WINDOWS = 50_000_000;

/**
 * The windows over `times` (sorted ascending, no nulls, `n` used). With `bounds`, windows are
 * those overlapping [bounds.start, bounds.stop) clipped to it, and with `createEmpty` every such
 * window is listed, holding rows or not; otherwise only windows holding at least one row are.
 */
export function computeWindows(
  spec: WindowSpec,
  times: BigInt64Array,
  n: number,
  bounds: { start: bigint; stop: bigint } | undefined,
  createEmpty: boolean,
): Windows {
  let cap = 16;
  let starts: BigInt64Array = new BigInt64Array(cap);
  let stops: BigInt64Array = new BigInt64Array(cap);
  let from: Int32Array = new Int32Array(cap);
  let to: Int32Array = new Int32Array(cap);
  let count = 0;
  const push = (s: bigint, e: bigint, f: number, t: number): void => {
    if (count === cap) {
      if (cap >= MAX_WINDOWS) throw new CallError(`too many windows (more than ${MAX_WINDOWS}): use a larger every`);
      cap *= 2;
      starts = grow64(starts, cap);
      stops = grow64(stops, cap);
      from = grow32(from, cap);
      to = grow32(to, cap);
    }
    starts[count] = s;
    stops[count] = e;
    from[count] = f;
    to[count] = t;
    count++;
  };
  const empty = createEmpty && bounds !== undefined;
  const lo = bounds?.start;
  const hi = bounds?.stop;
  if (!empty && n === 0) return { count: 0, starts, stops, from, to };
  let stop = nextStop(spec, empty ? lo! : times[0]!);
  let a = 0; // first row with time >= window start
  let b = 0; // first row with time >= window stop
  const nsPeriod = spec.period.months === 0 ? spec.period.nanoseconds : -1n;
  for (;;) {
    const start = nsPeriod >= 0n ? stop - nsPeriod : windowStart(spec, stop);
    if (hi !== undefined && start >= hi) break;
    if (!empty && a >= n) break;
    while (a < n && times[a]! < start) a++;
    if (b < a) b = a;
    while (b < n && times[b]! < stop) b++;
    if (a < b || empty) {
      const s = lo !== undefined && start < lo ? lo : start;
      const e = hi !== undefined && stop > hi ? hi : stop;
      if (s < e || a < b) push(s, e, a, b);
      stop = followingStop(spec, stop);
    } else {
      // No row in this window: jump to the first window holding the next row.
      if (a >= n) break;
      const next = nextStop(spec, times[a]!);
      stop = next > stop ? next : followingStop(spec, stop);
    }
  }
  return { count, starts, stops, from, to };
}

function grow64(a: BigInt64Array, n: number): BigInt64Array {
  const b = new BigInt64Array(n);
  b.set(a);
  return b;
}

function grow32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/** Fixed-offset locations only: `{zone: "UTC", offset}` (the timezone database is not bundled). */
export function locationOffsetNs(zone: string, offset: Duration): bigint {
  if (zone !== 'UTC' && zone !== '' && zone !== 'Etc/UTC') {
    throw new CallError(`location zone "${zone}" is not supported: only UTC with a fixed offset`);
  }
  if (offset.months !== 0) throw new CallError('location offset cannot be in months');
  return offset.nanoseconds;
}
