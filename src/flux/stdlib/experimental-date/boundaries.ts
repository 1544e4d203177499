import { durationFromNs, type Duration } from '../../../core/duration.js';
import { CallError, type Args, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { recordValue, timeValue, type RecordValue } from '../../values/value.js';
import { civil } from '../date/calendar.js';
import { addInLocation, scaleDuration, truncateInLocation, wallClock } from '../date/date-math.js';
import { locationOption, type FluxLocation } from '../timezone/location.js';

/**
 * `experimental/date/boundaries`: `{start, stop}` ranges of calendar periods relative to today
 * (`now()` truncated to the day in `option location`).
 * - weekday functions (`monday()`…): the most recent such day strictly before today (a week
 *   back when today is that day), one day long;
 * - `week(week_offset:, start_sunday:)`: the week containing today (starting Monday, or Sunday),
 *   shifted by whole weeks;
 * - `month(month_offset:)`: the month containing today, shifted by whole months.
 */

const DAY = durationFromNs(86_400_000_000_000n);
const WEEK = durationFromNs(7n * 86_400_000_000_000n);
const MONTH: Duration = { months: 1, nanoseconds: 0n, negative: false };
const RANGE = '{start: time, stop: time}';

interface Today {
  readonly loc: FluxLocation;
  readonly today: bigint;
}

function today(args: Args): Today {
  const loc = locationOption(args.ctx);
  return { loc, today: truncateInLocation(args.ctx.now(), DAY, loc) };
}

const range = (start: bigint, stop: bigint): RecordValue =>
  recordValue([
    ['start', timeValue(start)],
    ['stop', timeValue(stop)],
  ]);

/** The start of the last day with weekday `td` before `from` (7 days back when it is that day). */
function previousWeekday({ loc }: Today, from: bigint, td: number): bigint {
  const cur = civil(wallClock(from, loc)).weekday;
  let back: number;
  if (cur === td) back = 7;
  else if (cur === 0) back = 7 - td;
  else if (td >= cur) back = 7 - (td - cur);
  else back = cur - td;
  return truncateInLocation(addInLocation(from, DAY, -back, loc), DAY, loc);
}

function weekday(td: number): BuiltinSpec {
  return {
    signature: `() => ${RANGE}`,
    call(args) {
      const t = today(args);
      const start = previousWeekday(t, t.today, td);
      return range(start, addInLocation(start, DAY, 1, t.loc));
    },
  };
}

const builtins: Record<string, BuiltinSpec> = {
  yesterday: {
    signature: `() => ${RANGE}`,
    call(args) {
      const t = today(args);
      return range(addInLocation(t.today, DAY, -1, t.loc), t.today);
    },
  },
  sunday: weekday(0),
  monday: weekday(1),
  tuesday: weekday(2),
  wednesday: weekday(3),
  thursday: weekday(4),
  friday: weekday(5),
  saturday: weekday(6),
  week: {
    signature: `(?week_offset: int, ?start_sunday: bool) => ${RANGE}`,
    call(args) {
      const t = today(args);
      const offset = Number(args.intOr('week_offset', 0n));
      const firstDay = args.boolOr('start_sunday', false) ? 0 : 1;
      const shifted = offset === 0 ? t.today : addInLocation(t.today, scaleDuration(WEEK, offset), 1, t.loc);
      let start = previousWeekday(t, shifted, firstDay);
      if (civil(wallClock(t.today, t.loc)).weekday === civil(wallClock(start, t.loc)).weekday) {
        start = addInLocation(start, WEEK, 1, t.loc);
      }
      return range(start, addInLocation(start, WEEK, 1, t.loc));
    },
  },
  month: {
    signature: `(?month_offset: int) => ${RANGE}`,
    call(args) {
      const t = today(args);
      const first = truncateInLocation(t.today, MONTH, t.loc);
      const start = addInLocation(first, scaleDuration(MONTH, Number(args.intOr('month_offset', 0n))), 1, t.loc);
      return range(start, addInLocation(start, MONTH, 1, t.loc));
    },
  },
};

export const boundariesPackage: PackageDef = { path: 'experimental/date/boundaries', builtins };

/** The old path: every function fails, pointing to the new one (as Flux does). */
export const movedBoundariesPackage: PackageDef = {
  path: 'date/boundaries',
  builtins: Object.fromEntries(
    Object.entries(builtins).map(([name, spec]) => [
      name,
      {
        signature: spec.signature,
        call() {
          throw new CallError("the 'date/boundaries' package has been moved to 'experimental/date/boundaries'");
        },
      } satisfies BuiltinSpec,
    ]),
  ),
};
