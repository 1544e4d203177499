import { invalid } from '../../core/errors.js';
import { CRON_MAX_YEAR, parseCronExpression, type CronFields } from './cron-expression.js';
import { EverySchedule } from './every-schedule.js';
import { floorSeconds, nextSlots, secondsToNs, type Schedule } from './schedule.js';
import { TimeZone } from './time-zone.js';

/** How far ahead a cron search looks before declaring the expression unsatisfiable. */
const SEARCH_HORIZON_YEARS = 60;

/**
 * A cron schedule evaluated in a time zone (InfluxDB evaluates only in UTC; Sluice honours the
 * script's `option location`, UTC when absent).
 *
 * Slots are local wall-clock times. Across daylight-saving changes:
 * - a wall time inside a gap (clocks forward) runs once, at the first valid instant after it,
 *   i.e. the moment of the jump; several gap slots collapse into that one run;
 * - a wall time that occurs twice (clocks back) runs once, at its first occurrence.
 */
export class CronSchedule implements Schedule {
  private constructor(
    readonly expression: string,
    private readonly fields: CronFields,
    readonly zone: TimeZone,
  ) {}

  /**
   * Parses `expression`. `@every <duration>` yields an EverySchedule anchored at `anchorNs`
   * (InfluxDB aligns `@every` the same way whether written as `every:` or `cron:`).
   */
  static parse(expression: string, zone: TimeZone = TimeZone.utc, anchorNs = 0n): Schedule {
    const parsed = parseCronExpression(expression);
    if (parsed.kind === 'every') return new EverySchedule(parsed.every, anchorNs);
    return new CronSchedule(expression, parsed.fields, zone);
  }

  next(afterNs: bigint): bigint {
    const afterSec = floorSeconds(afterNs);
    let wallCursor = this.zone.toWall(afterSec);
    for (;;) {
      const wall = nextWallTime(this.fields, wallCursor);
      if (wall === undefined) throw invalid(`cron expression "${this.expression}" has no time after ${new Date(afterSec * 1000).toISOString()}`);
      const instant = this.zone.firstInstantAtOrAfter(wall);
      // A wall time that repeats was already served at its first occurrence if that is not after
      // `afterNs`; so was a gap slot whose jump instant has passed. Move on in wall time.
      if (instant > afterSec) return secondsToNs(instant);
      wallCursor = wall;
    }
  }

  nextN(afterNs: bigint, count: number): bigint[] {
    return nextSlots(this, afterNs, count);
  }
}

/** The first wall time strictly after `afterWallSec` matching `f`, or undefined within the horizon. */
export function nextWallTime(f: CronFields, afterWallSec: number): number | undefined {
  let ms = (afterWallSec + 1) * 1000;
  const firstYear = new Date(ms).getUTCFullYear();
  const lastYear = Math.min(firstYear + SEARCH_HORIZON_YEARS, f.years === undefined ? Infinity : CRON_MAX_YEAR);
  // Each step accepts the current unit or jumps to the start of its next candidate (Date.UTC
  // normalises overflow into the larger units), so the loop ends after a few dozen steps except
  // for rare day patterns (Feb 29 on a Monday).
  for (;;) {
    const t = new Date(ms);
    const year = t.getUTCFullYear();
    const month = t.getUTCMonth(); // 0-based, as Date.UTC takes it
    const day = t.getUTCDate();
    const hour = t.getUTCHours();
    const minute = t.getUTCMinutes();
    const second = t.getUTCSeconds();
    if (year > lastYear) return undefined;
    if (f.years !== undefined && f.years[year] !== true) {
      ms = Date.UTC(year + 1, 0, 1);
      continue;
    }
    if (f.months[month + 1] !== true) {
      const m = firstAtOrAfter(f.months, month + 1, 12);
      ms = m === undefined ? Date.UTC(year + 1, 0, 1) : Date.UTC(year, m - 1, 1);
      continue;
    }
    if (f.daysOfMonth[day] !== true || f.daysOfWeek[t.getUTCDay()] !== true) {
      ms = Date.UTC(year, month, day + 1);
      continue;
    }
    if (f.hours[hour] !== true) {
      const h = firstAtOrAfter(f.hours, hour, 23);
      ms = h === undefined ? Date.UTC(year, month, day + 1) : Date.UTC(year, month, day, h);
      continue;
    }
    if (f.minutes[minute] !== true) {
      const mi = firstAtOrAfter(f.minutes, minute, 59);
      ms = mi === undefined ? Date.UTC(year, month, day, hour + 1) : Date.UTC(year, month, day, hour, mi);
      continue;
    }
    if (f.seconds[second] !== true) {
      const s = firstAtOrAfter(f.seconds, second, 59);
      ms = s === undefined ? Date.UTC(year, month, day, hour, minute + 1) : Date.UTC(year, month, day, hour, minute, s);
      continue;
    }
    return ms / 1000;
  }
}

function firstAtOrAfter(set: readonly boolean[], from: number, max: number): number | undefined {
  for (let v = from; v <= max; v++) if (set[v] === true) return v;
  return undefined;
}
