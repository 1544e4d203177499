import type { Duration } from '../../core/duration.js';
import { addDuration } from '../../core/duration.js';
import { invalid } from '../../core/errors.js';
import { floorSeconds, nextSlots, secondsToNs, type Schedule } from './schedule.js';

/**
 * Seconds from Go's zero time (0001-01-01T00:00:00Z, a Monday) to the Unix epoch. InfluxDB aligns
 * `every` with Go's `time.Truncate`, which counts multiples of the interval from that instant: this
 * is why 1h lands on the top of the hour, 1d on 00:00 UTC and 1w on Monday 00:00 UTC.
 */
const GO_ZERO_TO_UNIX_SECONDS = 62_135_596_800;

/**
 * `every: X` as InfluxDB schedules it (reference §1.4): a UTC grid of multiples of X counted from
 * 0001-01-01T00:00:00Z, first slot strictly after the anchor (task creation or last scheduled).
 *
 * Fixed intervals (s, m, h, d, w, and combinations) form one grid regardless of the anchor.
 * Calendar intervals (`mo`, `y`) are aligned once, like InfluxDB: the anchor is truncated by the
 * interval's length at the anchor (e.g. 31 days for `1mo` in January), then slots follow by
 * calendar addition (Jan 31 + 1mo = Mar 3, as Go's AddDate). Use cron "0 0 1 * *" for "the 1st of
 * each month"; this class reproduces InfluxDB, arbitrary day-of-month included.
 */
export class EverySchedule implements Schedule {
  private readonly fixedSeconds: number | undefined;
  /** Calendar mode: the aligned anchor, first link of the chain of slots. */
  private alignedSec = 0;
  /** Calendar mode: a known slot of the chain, from which later slots are found. */
  private cursorSec = 0;

  constructor(
    readonly every: Duration,
    anchorNs: bigint,
  ) {
    const anchorSec = floorSeconds(anchorNs);
    const lengthSec = EverySchedule.lengthSecondsAt(every, anchorSec);
    if (lengthSec < 1) throw invalid('every option must be at least 1 second');
    if (every.months === 0) {
      if (every.nanoseconds % 1_000_000_000n !== 0n) throw invalid('every option must be expressible as whole seconds');
      this.fixedSeconds = lengthSec;
    } else {
      this.fixedSeconds = undefined;
      this.alignedSec = anchorSec - mod(anchorSec + GO_ZERO_TO_UNIX_SECONDS, lengthSec);
      this.cursorSec = this.alignedSec;
    }
  }

  /** The interval in nanoseconds when it does not depend on the calendar (no mo/y); else undefined. */
  get fixedIntervalNs(): bigint | undefined {
    return this.fixedSeconds === undefined ? undefined : secondsToNs(this.fixedSeconds);
  }

  /** The interval's length in seconds when started at `atSec` (calendar-dependent for mo/y). */
  static lengthSecondsAt(every: Duration, atSec: number): number {
    const atNs = secondsToNs(atSec);
    return Number((addDuration(atNs, every) - atNs) / 1_000_000_000n);
  }

  next(afterNs: bigint): bigint {
    const afterSec = floorSeconds(afterNs);
    if (this.fixedSeconds !== undefined) {
      const d = this.fixedSeconds;
      return secondsToNs(afterSec - mod(afterSec + GO_ZERO_TO_UNIX_SECONDS, d) + d);
    }
    // Calendar intervals: walk the chain from the aligned anchor. The cursor only moves forward,
    // so a scheduler asking for successive slots pays one step each.
    if (afterSec < this.alignedSec) return secondsToNs(this.alignedSec);
    let slot = this.cursorSec <= afterSec ? this.cursorSec : this.alignedSec;
    for (;;) {
      const nextSlot = floorSeconds(addDuration(secondsToNs(slot), this.every));
      if (nextSlot > afterSec) {
        this.cursorSec = slot;
        return secondsToNs(nextSlot);
      }
      slot = nextSlot;
    }
  }

  nextN(afterNs: bigint, count: number): bigint[] {
    return nextSlots(this, afterNs, count);
  }
}

function mod(a: number, b: number): number {
  const r = a % b;
  return r < 0 ? r + b : r;
}
