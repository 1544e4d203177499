/**
 * A task schedule: the ordered set of `scheduledFor` instants of a task. Pure arithmetic, no
 * timers, so next fire times are computable without running anything.
 *
 * Contract: `next(afterNs)` is the first slot strictly after `afterNs` (as InfluxDB's
 * `Next(from)`); slots are whole seconds, in nanoseconds since the Unix epoch. Throws a
 * SluiceError (`invalid`) if the schedule has no slot after `afterNs` within its search horizon.
 */
export interface Schedule {
  next(afterNs: bigint): bigint;
  /** The next `count` slots after `afterNs`, ascending. */
  nextN(afterNs: bigint, count: number): bigint[];
}

export const NS_PER_SECOND = 1_000_000_000n;

/** Whole seconds at or before `ns` (floor, also for times before 1970). */
export function floorSeconds(ns: bigint): number {
  const q = ns / NS_PER_SECOND;
  return Number(ns % NS_PER_SECOND < 0n ? q - 1n : q);
}

export function secondsToNs(seconds: number): bigint {
  return BigInt(seconds) * NS_PER_SECOND;
}

/** `nextN` in terms of `next`, for implementations without a faster way. */
export function nextSlots(schedule: Pick<Schedule, 'next'>, afterNs: bigint, count: number): bigint[] {
  const out: bigint[] = [];
  let cursor = afterNs;
  for (let i = 0; i < count; i++) {
    cursor = schedule.next(cursor);
    out.push(cursor);
  }
  return out;
}
