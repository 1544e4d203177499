import type { Duration } from '../../../../core/duration.js';
import { floorDiv } from '../../../../core/time.js';
import { fromWallClock, toWallClock } from '../../timezone/zone-clock.js';
import { addFluxDuration as addDuration } from '../../date/calendar.js';

/** One window [startNs, stopNs). */
export interface Bounds {
  readonly start: bigint;
  readonly stop: bigint;
}

/**
 * Flux's window arithmetic: window starts are `offset + k·every` (calendar months when `every`
 * has months), each window lasts `period`. `containing(t)` lists the windows holding `t`, in
 * start order; `within(b)` lists every window overlapping `b`. When `limit` is given, windows are
 * clipped to it and windows outside it are dropped (a query's range bounds the windows). With a
 * zone, boundaries are computed on the zone's wall clock and mapped back to UTC (so a day window
 * spans 23 or 25 hours across a DST change), as Flux's windows in a location do.
 */
export class WindowSpec {
  constructor(
    readonly every: Duration,
    readonly period: Duration,
    readonly offset: Duration,
    /** An IANA zone whose wall clock the windows follow (DST-aware); undefined for UTC. */
    readonly zone?: string,
  ) {}

  /** Start of window number k. */
  startOf(k: bigint): bigint {
    if (this.every.months !== 0) {
      return addDuration(addDuration(0n, { months: Number(k) * this.every.months, nanoseconds: 0n, negative: k < 0n }), this.offset);
    }
    return addDuration(k * this.every.nanoseconds, this.offset);
  }

  /** Stop of window number k: its start plus `period` (Flux's month arithmetic). */
  stopOf(k: bigint): bigint {
    return addDuration(this.startOf(k), this.period);
  }

  /** The largest k whose window starts at or before t. */
  lastIndexAtOrBefore(t: bigint): bigint {
    let k: bigint;
    if (this.every.months !== 0) {
      const ms = Number(floorDiv(t, 1_000_000n));
      const d = new Date(ms);
      const monthsSinceEpoch = (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
      k = BigInt(Math.floor(monthsSinceEpoch / this.every.months));
    } else {
      const base = addDuration(0n, this.offset);
      k = floorDiv(t - base, this.every.nanoseconds);
    }
    while (this.startOf(k) > t) k--;
    while (this.startOf(k + 1n) <= t) k++;
    return k;
  }

  containing(t: bigint, limit?: Bounds): Bounds[] {
    const zone = this.zone;
    const at = zone === undefined ? t : toWallClock(zone, t);
    const out: Bounds[] = [];
    for (let k = this.lastIndexAtOrBefore(at); ; k--) {
      const start = this.startOf(k);
      const stop = this.stopOf(k);
      if (stop <= at) break;
      // A row belongs to a window by its unclipped bounds (in UTC, which a zone may shift);
      // clipping to the query bounds only narrows the reported bounds, as in Flux.
      const u = this.#utc({ start, stop });
      if (u.start > t || t >= u.stop) continue;
      const b = clip(u, limit);
      if (b !== null) out.push(b);
    }
    return out.reverse();
  }

  within(limit: Bounds): Bounds[] {
    const wall = this.zone === undefined ? limit : { start: toWallClock(this.zone, limit.start), stop: toWallClock(this.zone, limit.stop) };
    const out: Bounds[] = [];
    let k = this.lastIndexAtOrBefore(wall.start);
    while (this.stopOf(k - 1n) > wall.start) k--;
    for (; ; k++) {
      const start = this.startOf(k);
      if (start >= wall.stop) break;
      const b = clip(this.#utc({ start, stop: this.stopOf(k) }), limit);
      if (b !== null) out.push(b);
    }
    return out;
  }

  /** Window bounds computed on the zone's wall clock, as UTC instants. */
  #utc(b: Bounds): Bounds {
    const zone = this.zone;
    return zone === undefined ? b : { start: fromWallClock(zone, b.start), stop: fromWallClock(zone, b.stop) };
  }
}

function clip(b: Bounds, limit: Bounds | undefined): Bounds | null {
  if (limit === undefined) return b;
  const start = b.start > limit.start ? b.start : limit.start;
  const stop = b.stop < limit.stop ? b.stop : limit.stop;
  return start < stop ? { start, stop } : null;
}
