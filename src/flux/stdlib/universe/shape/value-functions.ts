import { durationFromNs } from '../../../../core/duration.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { compareValues } from '../../../values/compare-values.js';
import { displayValue } from '../../../values/format-value.js';
import { T } from '../../../values/mono-type.js';
import { arrayValue, boolValue, floatValue, intValue, stringValue, timeValue, type Value } from '../../../values/value.js';
import { truncateInLocation } from '../../date/date-math.js';
import { locationOption } from '../../timezone/location.js';

const DAY_NS = 86_400_000_000_000n;

/** Flux's `==` between two non-null values of one type (numbers compare across int/uint/float). */
function sameValue(a: Value, b: Value): boolean {
  try {
    return compareValues(a, b) === 0;
  } catch {
    return false;
  }
}

/** `count` bounds stepping from `start` (accumulated, as Flux does: bound = next(bound)). */
function bins(start: number, count: bigint, infinity: boolean, next: (bound: number) => number): Value {
  if (count < 0n) throw new CallError('count must be non-negative');
  const out: Value[] = [];
  let bound = start;
  for (let i = 0; i < Number(count); i++, bound = next(bound)) out.push(floatValue(bound));
  if (infinity) out.push(floatValue(Infinity));
  return arrayValue(out, T.float);
}

export const valueFunctions: Record<string, BuiltinSpec> = {
  length: {
    signature: '(<-arr: [A]) => int',
    call: (args) => intValue(BigInt(args.array('arr').elements.length)),
  },
  // A null value is in no set (Flux's contains compares with ==, which is null for null).
  contains: {
    signature: '(value: A, set: [A]) => bool',
    call(args) {
      const v = args.value('value');
      if (v.kind === 'null') return boolValue(false);
      return boolValue(args.array('set').elements.some((e) => e.kind !== 'null' && sameValue(v, e)));
    },
  },
  display: {
    signature: '(v: A) => string',
    call: (args) => stringValue(displayValue(args.value('v'))),
  },
  today: {
    signature: '() => time',
    // date.truncate(t: now(), unit: 1d), in the `location` option's time.
    call: (args) => timeValue(truncateInLocation(args.ctx.now(), durationFromNs(DAY_NS), locationOption(args.ctx))),
  },
  linearBins: {
    signature: '(start: float, width: float, count: int, ?infinity: bool) => [float]',
    call(args) {
      const start = args.float('start');
      const width = args.float('width');
      return bins(start, args.int('count'), args.boolOr('infinity', true), (b) => b + width);
    },
  },
  logarithmicBins: {
    signature: '(start: float, factor: float, count: int, ?infinity: bool) => [float]',
    call(args) {
      const start = args.float('start');
      const factor = args.float('factor');
      return bins(start, args.int('count'), args.boolOr('infinity', true), (b) => b * factor);
    },
  },
  // Deprecated in Flux: passes its input on. We do not delay (a query must not hold a worker).
  sleep: {
    signature: '(<-v: A, duration: duration) => A',
    call: (args) => args.value('v'),
  },
};
