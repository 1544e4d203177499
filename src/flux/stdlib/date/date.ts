import { CallError, type Args, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { durationValue, intValue, timeValue, type Value } from '../../values/value.js';
import { locationArg, locationOption } from '../timezone/location.js';
import { CivilCache, addFluxDuration, civil, isoWeek, type CivilTime } from './calendar.js';
import { addInLocation, scaleDuration, truncateInLocation, wallClock } from './date-math.js';

/**
 * `date`: calendar fields of times, and calendar arithmetic, in a location (the `location:`
 * argument, else `option location`, else UTC). `t` is Timeable: a time, or a duration relative
 * to `now()`. The sub-second fields and `second` read UTC, as Flux's do.
 */

const LOCATION = '{zone: string, offset: duration}';

/**
 * The `t` argument as a time: a duration is relative to now(), added as Flux's Time.Add does
 * (month steps clamp the day: now() = Mar 31, t: -1mo is Feb 28/29).
 */
function timeable(args: Args, name: string): bigint {
  const v = args.value(name);
  if (v.kind === 'time') return v.value;
  if (v.kind === 'duration') return addFluxDuration(args.ctx.now(), v.value);
  throw new CallError(`argument ${name}: expected time or duration, got ${v.kind}`);
}

/**
 * A calendar field in a location. A call without `location:` over times (not durations) has a
 * scalar form for the execution's `option location`, so `map(fn: (r) => ({r with h:
 * date.hour(t: r._time)}))` runs as a column kernel.
 */
function localPart(part: (c: CivilTime) => number): BuiltinSpec {
  return {
    signature: `(t: T, ?location: ${LOCATION}) => int`,
    call: (args) => intValue(BigInt(part(civil(wallClock(timeable(args, 't'), locationArg(args)))))),
    scalarIn: (ctx) => {
      const loc = locationOption(ctx);
      const days = new CivilCache();
      return { params: ['t'], paramTypes: ['time'], result: 'int', fn: (t) => BigInt(part(days.civil(wallClock(t as bigint, loc)))) };
    },
  };
}

function utcPart(part: (c: CivilTime) => number): BuiltinSpec {
  // Shared by every execution: the kernel runs synchronously, one value at a time.
  const days = new CivilCache();
  return {
    signature: '(t: T) => int',
    call: (args) => intValue(BigInt(part(civil(timeable(args, 't'))))),
    scalar: { params: ['t'], paramTypes: ['time'], result: 'int', fn: (t) => BigInt(part(days.civil(t as bigint))) },
  };
}

const builtins: Record<string, BuiltinSpec> = {
  second: utcPart((c) => c.second),
  millisecond: utcPart((c) => Math.floor(c.nanosecond / 1e6)),
  microsecond: utcPart((c) => Math.floor(c.nanosecond / 1e3)),
  nanosecond: utcPart((c) => c.nanosecond),
  minute: localPart((c) => c.minute),
  hour: localPart((c) => c.hour),
  weekDay: localPart((c) => c.weekday),
  monthDay: localPart((c) => c.day),
  yearDay: localPart((c) => c.yearDay),
  month: localPart((c) => c.month),
  year: localPart((c) => c.year),
  week: localPart(isoWeek),
  quarter: localPart((c) => Math.ceil(c.month / 3)),
  time: {
    signature: `(t: T, ?location: ${LOCATION}) => time`,
    call: (args) => timeValue(wallClock(timeable(args, 't'), locationArg(args))),
    scalarIn: (ctx) => {
      const loc = locationOption(ctx);
      return { params: ['t'], paramTypes: ['time'], result: 'time', fn: (t) => wallClock(t as bigint, loc) };
    },
  },
  truncate: {
    signature: `(t: T, unit: duration, ?location: ${LOCATION}) => time`,
    call: (args) => timeValue(truncateInLocation(timeable(args, 't'), args.duration('unit'), locationArg(args))),
  },
  add: {
    signature: `(d: duration, to: T, ?location: ${LOCATION}) => time`,
    call: (args) => timeValue(addInLocation(timeable(args, 'to'), args.duration('d'), 1, locationArg(args))),
  },
  sub: {
    signature: `(d: duration, from: T, ?location: ${LOCATION}) => time`,
    call: (args) => timeValue(addInLocation(timeable(args, 'from'), args.duration('d'), -1, locationArg(args))),
  },
  scale: {
    signature: '(d: duration, n: int) => duration',
    call: (args) => durationValue(scaleDuration(args.duration('d'), Number(args.int('n')))),
  },
};

const constants = (names: string[], first: number): Record<string, Value> =>
  Object.fromEntries(names.map((n, i) => [n, intValue(BigInt(first + i))]));

export const datePackage: PackageDef = {
  path: 'date',
  builtins,
  values: {
    ...constants(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'], 0),
    ...constants(
      ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
      1,
    ),
  },
};
