import type { Duration } from '../../core/duration.js';
import type { DurationPart } from '../syntax/ast.js';

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
};

/** The value of a duration literal: months (`mo`, `y`) and nanoseconds kept apart, as Flux does. */
export function durationOfParts(parts: readonly DurationPart[]): Duration {
  let months = 0;
  let nanoseconds = 0n;
  for (const p of parts) {
    if (p.unit === 'mo') months += Number(p.magnitude);
    else if (p.unit === 'y') months += 12 * Number(p.magnitude);
    else nanoseconds += p.magnitude * UNIT_NS[p.unit]!;
  }
  return { months, nanoseconds, negative: false };
}
