import type { Duration } from '../../../core/duration.js';
import { floorDiv } from '../../../core/time.js';
import { CallError } from '../../interpreter/index.js';
import type { FluxLocation } from '../timezone/location.js';
import { fromWallClock, toWallClock } from '../timezone/zone-clock.js';
import { addFluxDuration, civil, monthsSinceEpoch } from './calendar.js';

/**
 * Time arithmetic in a location, as Flux's date package and windows do it: calendar fields are
 * read from the zone's wall clock shifted by the location's offset; `add`/`sub` step the wall
 * clock and map back to UTC; `truncate` is the start of the window of width `unit` containing t.
 */

export function scaleDuration(d: Duration, n: number): Duration {
  const months = d.months * n;
  const nanoseconds = d.nanoseconds * BigInt(n);
  return { months, nanoseconds, negative: months < 0 || nanoseconds < 0n };
}

const isZero = (d: Duration): boolean => d.months === 0 && d.nanoseconds === 0n;

/** The wall-clock time of `t` in `loc` (as a UTC-based time whose fields are the local ones). */
export function wallClock(t: bigint, loc: FluxLocation): bigint {
  const w = loc.zone === 'UTC' ? t : toWallClock(loc.zone, t);
  return isZero(loc.offset) ? w : addFluxDuration(w, loc.offset);
}

/** `t` plus `scale` × `d` in `loc` (date.add: scale 1; date.sub: scale -1). */
export function addInLocation(t: bigint, d: Duration, scale: number, loc: FluxLocation): bigint {
  let time = isZero(loc.offset) ? t : addFluxDuration(t, loc.offset);
  if (loc.zone !== 'UTC') {
    const wall = addFluxDuration(toWallClock(loc.zone, time), d, scale);
    time = fromWallClock(loc.zone, wall);
  } else {
    time = addFluxDuration(time, d, scale);
  }
  return isZero(loc.offset) ? time : addFluxDuration(time, loc.offset, -1);
}

/** Errors of a window width, worded as Flux's. */
export function checkInterval(every: Duration): void {
  if (isZero(every)) throw new CallError('duration used as an interval cannot be zero');
  if (every.months !== 0 && every.nanoseconds !== 0n) {
    throw new CallError('duration used as an interval cannot mix month and nanosecond units');
  }
  if (every.months < 0 || every.nanoseconds < 0n) throw new CallError('duration used as an interval cannot be negative');
}

/** True when `a`'s day-of-month and time of day come strictly before `b`'s. */
function isBeforeWithinMonth(a: bigint, b: bigint): boolean {
  const ca = civil(a);
  const cb = civil(b);
  const ka = [ca.day, ca.hour, ca.minute, ca.second, ca.nanosecond];
  const kb = [cb.day, cb.hour, cb.minute, cb.second, cb.nanosecond];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]!;
  return false;
}

/** The start of the window of width `unit` (windows aligned to the epoch in `loc`) holding `t`. */
export function truncateInLocation(t: bigint, unit: Duration, loc: FluxLocation): bigint {
  checkInterval(unit);
  const zero = addFluxDuration(0n, loc.offset, -1);
  const tt = loc.zone === 'UTC' ? t : toWallClock(loc.zone, t);
  let start: bigint;
  if (unit.months !== 0) {
    let target = monthsSinceEpoch(tt);
    if (isBeforeWithinMonth(tt, zero)) target -= 1;
    const index = Math.floor((target - monthsSinceEpoch(zero)) / unit.months);
    start = addFluxDuration(zero, unit, index);
  } else {
    start = zero + floorDiv(tt - zero, unit.nanoseconds) * unit.nanoseconds;
  }
  return loc.zone === 'UTC' ? start : fromWallClock(loc.zone, start);
}
