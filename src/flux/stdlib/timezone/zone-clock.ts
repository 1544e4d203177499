import { floorDiv } from '../../../core/time.js';

/**
 * IANA time zones through the platform's Intl database (Flux bundles Go's zoneinfo; Node ships
 * ICU's, which has the same zones). Times are nanoseconds since the epoch; a zone's "wall clock"
 * time is the UTC instant that shows the same calendar fields as the zone's local time (Flux's
 * `FromLocalClock`), which is how Flux does calendar arithmetic in a zone.
 */

const NS_PER_S = 1_000_000_000n;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return undefined;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** True for "UTC" and any zone name the timezone database knows (as Go's LoadLocation). */
export function isKnownZone(zone: string): boolean {
  if (zone === 'UTC' || zone === '') return true;
  const f = formatter(zone);
  if (f === undefined) return false;
  // Intl matches names case-insensitively; Go's are case-sensitive file names, so a name that
  // Intl only knows in another spelling of case ("utc", "america/new_york") is unknown.
  const resolved = f.resolvedOptions().timeZone;
  return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
}

/**
 * Offsets per zone and 15-minute bucket of UTC seconds: the offset when it is the same at both
 * ends of the bucket (zones never change twice within 15 minutes), NaN when a transition falls
 * inside (then each instant is looked up). Reading the offset through Intl allocates and is slow;
 * date functions call this for every row.
 */
const BUCKET_S = 900;
const MAX_CACHED = 200_000;
const bucketCache = new Map<string, Map<number, number>>();

/** The zone's UTC offset in seconds at the instant `utcSec` (seconds since the epoch). */
export function zoneOffsetSeconds(zone: string, utcSec: number): number {
  let cache = bucketCache.get(zone);
  if (cache === undefined) {
    cache = new Map();
    bucketCache.set(zone, cache);
  }
  const bucket = Math.floor(utcSec / BUCKET_S);
  let off = cache.get(bucket);
  if (off === undefined) {
    const first = lookupOffset(zone, bucket * BUCKET_S);
    off = lookupOffset(zone, bucket * BUCKET_S + BUCKET_S - 1) === first ? first : NaN;
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(bucket, off);
  }
  return Number.isNaN(off) ? lookupOffset(zone, utcSec) : off;
}

function lookupOffset(zone: string, utcSec: number): number {
  const f = formatter(zone);
  if (f === undefined) throw new RangeError(`unknown time zone ${zone}`);
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of f.formatToParts(new Date(utcSec * 1000))) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value);
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
      default:
    }
  }
  if (bc) year = 1 - year;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime() / 1000 - utcSec;
}

function offsetAtNs(zone: string, utcNs: bigint): bigint {
  return BigInt(zoneOffsetSeconds(zone, Number(floorDiv(utcNs, NS_PER_S)))) * NS_PER_S;
}

/** The wall-clock time (as if UTC) that `utcNs` shows in `zone` (Flux's FromLocalClock). */
export function toWallClock(zone: string, utcNs: bigint): bigint {
  return utcNs + offsetAtNs(zone, utcNs);
}

/**
 * The UTC instant whose wall clock in `zone` is `wallNs` (Flux's ToLocalClock). An ambiguous
 * wall time (clocks set back) resolves to its first occurrence; a wall time skipped by a
 * transition (clocks set forward) resolves to the transition instant, as Flux does.
 */
export function fromWallClock(zone: string, wallNs: bigint): bigint {
  const day = 86_400n * NS_PER_S;
  const before = offsetAtNs(zone, wallNs - day);
  const after = offsetAtNs(zone, wallNs + day);
  const candidates = [wallNs - before, wallNs - after].filter((u) => toWallClock(zone, u) === wallNs);
  if (candidates.length > 0) return candidates.reduce((a, b) => (a < b ? a : b));
  // In a gap: find the transition instant between the two readings by bisection (seconds).
  let lo = floorDiv(wallNs - before, NS_PER_S);
  let hi = floorDiv(wallNs - after, NS_PER_S);
  if (lo > hi) [lo, hi] = [hi, lo];
  const offLo = offsetAtNs(zone, lo * NS_PER_S);
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (offsetAtNs(zone, mid * NS_PER_S) === offLo) lo = mid;
    else hi = mid;
  }
  return hi * NS_PER_S;
}
