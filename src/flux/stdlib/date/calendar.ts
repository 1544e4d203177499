import type { Duration } from '../../../core/duration.js';
import { floorDiv } from '../../../core/time.js';

/** Calendar fields of a time in UTC (proleptic Gregorian, as Go's time package). */
export interface CivilTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  /** 1-31 */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 ≤ nanosecond < 1e9 */
  readonly nanosecond: number;
  /** 0 = Sunday */
  readonly weekday: number;
  /** 1-366 */
  readonly yearDay: number;
}

const NS_PER_S = 1_000_000_000n;
const NS_PER_DAY = 86_400n * NS_PER_S;

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

export function civil(ns: bigint): CivilTime {
  const days = floorDiv(ns, NS_PER_DAY);
  const rem = Number(ns - days * NS_PER_DAY);
  const d = Number(days);
  const [year, month, day] = civilFromDays(d);
  const secOfDay = Math.floor(rem / 1e9);
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor(secOfDay / 60) % 60,
    second: secOfDay % 60,
    nanosecond: Number(BigInt(rem) % NS_PER_S),
    weekday: (((d + 4) % 7) + 7) % 7,
    yearDay: d - daysFromCivil(year, 1, 1) + 1,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `civil` of many times in turn, most of them on the day of the one before (a column of times):
 * the date fields are computed once per day, and a time within the cached day costs one BigInt
 * subtraction. Returns one object, overwritten by the next call: read it before calling again.
 */
export class CivilCache {
  /** The cached day's first nanosecond; `#dayEnd` its last plus one (equal: nothing cached). */
  #dayStart = 0n;
  #dayEnd = 0n;
  readonly #c: Mutable<CivilTime> = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, nanosecond: 0, weekday: 0, yearDay: 0 };

  civil(ns: bigint): CivilTime {
    const c = this.#c;
    if (ns < this.#dayStart || ns >= this.#dayEnd) {
      const days = floorDiv(ns, NS_PER_DAY);
      const d = Number(days);
      const [year, month, day] = civilFromDays(d);
      c.year = year;
      c.month = month;
      c.day = day;
      c.weekday = (((d + 4) % 7) + 7) % 7;
      c.yearDay = d - daysFromCivil(year, 1, 1) + 1;
      this.#dayStart = days * NS_PER_DAY;
      this.#dayEnd = this.#dayStart + NS_PER_DAY;
    }
    // Below 8.64e13: exact as a double.
    const rem = Number(ns - this.#dayStart);
    const secOfDay = Math.floor(rem / 1e9);
    c.hour = Math.floor(secOfDay / 3600);
    c.minute = Math.floor(secOfDay / 60) % 60;
    c.second = secOfDay % 60;
    c.nanosecond = rem - secOfDay * 1e9;
    return c;
  }
}

/** Nanoseconds since the epoch of a civil time. */
export function fromCivil(year: number, month: number, day: number, nsOfDay: bigint): bigint {
  return BigInt(daysFromCivil(year, month, day)) * NS_PER_DAY + nsOfDay;
}

/** Go's ISO 8601 week number (1-53) of a civil date. */
export function isoWeek(c: CivilTime): number {
  // The week belongs to the year of its Thursday.
  const isoDow = (c.weekday + 6) % 7; // Monday = 0
  const thursday = daysFromCivil(c.year, c.month, c.day) - isoDow + 3;
  const [ty] = civilFromDays(thursday);
  return Math.floor((thursday - daysFromCivil(ty, 1, 1)) / 7) + 1;
}

/**
 * Flux's `Time.Add(duration)`: months first, keeping the time of day and clamping the day to
 * the end of the target month (Jan 31 + 1mo = Feb 28), then nanoseconds. `scale` multiplies the
 * duration first (date.sub uses -1).
 */
export function addFluxDuration(t: bigint, d: Duration, scale = 1): bigint {
  let out = t;
  const months = d.months * scale;
  if (months !== 0) {
    const days = floorDiv(t, NS_PER_DAY);
    const nsOfDay = t - days * NS_PER_DAY;
    const [y, m, day] = civilFromDays(Number(days));
    const total = y * 12 + (m - 1) + months;
    const ny = Math.floor(total / 12);
    const nm = total - ny * 12 + 1;
    out = fromCivil(ny, nm, Math.min(day, daysInMonth(ny, nm)), nsOfDay);
  }
  return out + d.nanoseconds * BigInt(scale);
}

/** Months since 1970-01 of the month a time falls in. */
export function monthsSinceEpoch(t: bigint): number {
  const c = civil(t);
  return (c.year - 1970) * 12 + c.month - 1;
}
