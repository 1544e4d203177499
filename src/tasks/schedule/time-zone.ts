import { invalid } from '../../core/errors.js';

const BUCKET_SECONDS = 900;
const MAX_CACHED_BUCKETS = 100_000;

/**
 * An IANA time zone, as `timezone.location(name: …)` names it in a Flux script. Offsets come from
 * Intl.DateTimeFormat (Node ships the full tz database), so no zone data lives in this repo.
 *
 * Units: every time here is whole seconds. `epochSec` is an instant (seconds since the Unix
 * epoch); `wallSec` is a local wall-clock reading written as if it were a UTC instant (so the
 * Date UTC getters decompose it into local year/month/day/hour/minute/second).
 */
export class TimeZone {
  static readonly utc = new TimeZone('UTC', undefined);

  private readonly formatter: Intl.DateTimeFormat | undefined;
  /** Offsets by 15-minute bucket, for buckets with one offset throughout (see offsetSecondsAt). */
  private readonly bucketOffsets = new Map<number, number>();

  private constructor(
    readonly name: string,
    formatter: Intl.DateTimeFormat | undefined,
  ) {
    this.formatter = formatter;
  }

  private static readonly known = new Map<string, TimeZone>();

  /** Throws `invalid` for a name the tz database does not know. Instances are shared per name (they cache offsets). */
  static of(name: string): TimeZone {
    if (name === 'UTC' || name === 'Etc/UTC' || name === '') return TimeZone.utc;
    const known = TimeZone.known.get(name);
    if (known !== undefined) return known;
    let formatter: Intl.DateTimeFormat;
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw invalid(`unknown time zone "${name}"`);
    }
    const zone = new TimeZone(name, formatter);
    TimeZone.known.set(name, zone);
    return zone;
  }

  /**
   * Offset from UTC in seconds at an instant (east positive: New York in winter is -18000).
   *
   * Intl lookups cost tens of microseconds, so offsets are cached per 15-minute bucket of time,
   * but only for a bucket whose first and last second have the same offset; a bucket holding a
   * transition (modern ones fall on quarter hours, historic ones anywhere) is always computed
   * exactly.
   */
  offsetSecondsAt(epochSec: number): number {
    if (this.formatter === undefined) return 0;
    const bucket = Math.floor(epochSec / BUCKET_SECONDS);
    const cached = this.bucketOffsets.get(bucket);
    if (cached !== undefined) return cached;
    const first = this.lookUpOffset(bucket * BUCKET_SECONDS);
    const last = this.lookUpOffset(bucket * BUCKET_SECONDS + BUCKET_SECONDS - 1);
    if (first !== last) return this.lookUpOffset(epochSec);
    if (this.bucketOffsets.size >= MAX_CACHED_BUCKETS) this.bucketOffsets.clear();
    this.bucketOffsets.set(bucket, first);
    return first;
  }

  private lookUpOffset(epochSec: number): number {
    const parts = this.formatter!.formatToParts(new Date(epochSec * 1000));
    const get = (type: Intl.DateTimeFormatPartTypes): number => {
      const p = parts.find((x) => x.type === type);
      return p === undefined ? 0 : Number(p.value);
    };
    const asUtcMs = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    // Date.UTC maps years 0..99 to 1900..1999; tasks never schedule there, so no correction is made.
    return Math.round(asUtcMs / 1000) - epochSec;
  }

  toWall(epochSec: number): number {
    return epochSec + this.offsetSecondsAt(epochSec);
  }

  /**
   * The instants whose local wall time is `wallSec`, ascending: one normally, two when the wall
   * time repeats (clocks go back), none when it falls in a gap (clocks go forward).
   */
  instantsAt(wallSec: number): number[] {
    if (this.formatter === undefined) return [wallSec];
    // Any instant with this wall time has one of the offsets in force within a day of it; zones
    // change offset at most once within such a window in practice.
    const candidates = new Set([
      this.offsetSecondsAt(wallSec - 86_400),
      this.offsetSecondsAt(wallSec),
      this.offsetSecondsAt(wallSec + 86_400),
    ]);
    const out: number[] = [];
    for (const offset of candidates) {
      const instant = wallSec - offset;
      if (this.offsetSecondsAt(instant) === offset && !out.includes(instant)) out.push(instant);
    }
    return out.sort((a, b) => a - b);
  }

  /**
   * For a wall time inside a gap: the first instant after it, i.e. the moment the clocks jump
   * (whose wall time is the end of the gap). For a wall time that exists, its earliest instant.
   */
  firstInstantAtOrAfter(wallSec: number): number {
    const exact = this.instantsAt(wallSec);
    if (exact.length > 0) return exact[0]!;
    const before = this.offsetSecondsAt(wallSec - 86_400);
    const after = this.offsetSecondsAt(wallSec + 86_400);
    // Wall time increases with the instant across a gap, so binary-search the first instant whose
    // wall time passes `wallSec`.
    let lo = wallSec - Math.max(before, after);
    let hi = wallSec - Math.min(before, after);
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.toWall(mid) > wallSec) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
