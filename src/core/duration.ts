import { invalid } from './errors.js';

/**
 * A Flux/InfluxDB duration: a whole number of calendar months plus nanoseconds, as Flux keeps
 * them apart (`1mo` is not a fixed number of nanoseconds). Literals combine units: `1h30m`,
 * `1y2mo3d`. Units: ns, us/µs, ms, s, m, h, d, w, mo, y.
 */
export interface Duration {
  readonly months: number;
  readonly nanoseconds: bigint;
  /** True when the literal was negative (`-1h`); months and nanoseconds carry the sign too. */
  readonly negative: boolean;
}

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
};

const UNIT_MONTHS: Record<string, number> = { mo: 1, y: 12 };

const PART = /(\d+)(ns|us|µs|ms|mo|s|m|h|d|w|y)/y;

export function parseDuration(text: string): Duration {
  let s = text.trim();
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  }
  if (s.length === 0) throw invalid(`invalid duration "${text}": empty`);
  if (/^\d+$/.test(s)) throw invalid(`invalid duration "${text}": duration is missing a unit`);
  let months = 0;
  let ns = 0n;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (m === null) throw invalid(`invalid duration "${text}"`);
    const [, magnitude, unit] = m as unknown as [string, string, string];
    const monthsPer = UNIT_MONTHS[unit];
    if (monthsPer !== undefined) months += Number(magnitude) * monthsPer;
    else ns += BigInt(magnitude) * UNIT_NS[unit]!;
    pos = PART.lastIndex;
  }
  return negative ? { months: months === 0 ? 0 : -months, nanoseconds: -ns, negative } : { months, nanoseconds: ns, negative };
}

export function durationFromNs(ns: bigint): Duration {
  return { months: 0, nanoseconds: ns, negative: ns < 0n };
}

export function isZeroDuration(d: Duration): boolean {
  return d.months === 0 && d.nanoseconds === 0n;
}

/** Formats as the shortest Flux literal: `1h30m`, `1mo2d`, `-5m`, `0s`. */
export function formatDuration(d: Duration): string {
  if (isZeroDuration(d)) return '0s';
  const neg = d.months < 0 || d.nanoseconds < 0n;
  let months = Math.abs(d.months);
  let ns = d.nanoseconds < 0n ? -d.nanoseconds : d.nanoseconds;
  let out = '';
  const years = Math.floor(months / 12);
  months -= years * 12;
  if (years > 0) out += `${years}y`;
  if (months > 0) out += `${months}mo`;
  for (const unit of ['w', 'd', 'h', 'm', 's', 'ms', 'us', 'ns'] as const) {
    const per = UNIT_NS[unit]!;
    if (ns >= per) {
      out += `${ns / per}${unit}`;
      ns %= per;
    }
  }
  return neg ? `-${out}` : out;
}

/**
 * Adds a duration to a time in UTC, months first (with Go's normalisation: Jan 31 + 1mo = Mar 3,
 * as time.AddDate does), then nanoseconds.
 */
export function addDuration(timeNs: bigint, d: Duration, scale = 1): bigint {
  let t = timeNs;
  const months = d.months * scale;
  if (months !== 0) {
    const msPart = t / 1_000_000n - (t % 1_000_000n < 0n ? 1n : 0n);
    const subMs = t - msPart * 1_000_000n;
    const date = new Date(Number(msPart));
    date.setUTCMonth(date.getUTCMonth() + months);
    t = BigInt(date.getTime()) * 1_000_000n + subMs;
  }
  return t + d.nanoseconds * BigInt(scale);
}

/**
 * Adds a duration as Flux's `values.Time.Add` does: months first, clamping the day to the end of
 * the target month (Mar 31 - 1mo = Feb 28/29), then nanoseconds. This is what relative times in
 * Flux (`range(start: -1mo)`) mean; `addDuration` keeps Go's AddDate normalisation instead.
 */
export function addDurationClamped(timeNs: bigint, d: Duration, scale = 1): bigint {
  const months = d.months * scale;
  let t = timeNs;
  if (months !== 0) {
    const msPart = t / 1_000_000n - (t % 1_000_000n < 0n ? 1n : 0n);
    const subMs = t - msPart * 1_000_000n;
    const date = new Date(Number(msPart));
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + months);
    const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, lastDay));
    t = BigInt(date.getTime()) * 1_000_000n + subMs;
  }
  return t + d.nanoseconds * BigInt(scale);
}
