import { addDuration, type Duration } from '../core/duration.js';
import type { CatchupPolicy } from './options/task-options.js';
import { EverySchedule } from './schedule/every-schedule.js';
import type { Schedule } from './schedule/schedule.js';

/** Slots to record as skipped (a contiguous range of the schedule). */
export interface SkippedRange {
  readonly firstNs: bigint;
  readonly lastNs: bigint;
  readonly count: number;
}

export interface CatchupPlan {
  /** Slots whose start time (`scheduledFor + offset`) is already past. */
  readonly missed: number;
  /** The scheduler continues with `schedule.next(resumeAfterNs)`. */
  readonly resumeAfterNs: bigint;
  readonly skipped?: SkippedRange;
}

/**
 * Decides which missed slots run when a task is (re)scheduled after `lastScheduledNs` (downtime,
 * re-activation). Missed slots are those after `lastScheduledNs` whose start time is ≤ now.
 *
 * - `all`: run every missed slot in order, but at most `limit`: the oldest beyond the limit are
 *   skipped (the most recent ones are the ones whose data is still wanted and still retained).
 * - `latest`: run only the most recent missed slot.
 * - `skip`: run none (InfluxDB's behaviour after a restart).
 *
 * Skipped slots are returned as one range for the caller to record; nothing is dropped silently.
 * Cost: O(1) for fixed `every` intervals, O(missed) slot computations otherwise.
 */
export function planCatchup(
  schedule: Schedule,
  lastScheduledNs: bigint,
  nowNs: bigint,
  offset: Duration,
  policy: CatchupPolicy,
  limit: number,
): CatchupPlan {
  const keep = policy === 'all' ? Math.max(0, limit) : policy === 'latest' ? 1 : 0;
  const interval = schedule instanceof EverySchedule ? schedule.fixedIntervalNs : undefined;
  if (interval !== undefined && offset.months === 0) {
    return planFixed(schedule, interval, lastScheduledNs, nowNs, offset.nanoseconds, keep);
  }
  return planByWalking(schedule, lastScheduledNs, nowNs, offset, keep);
}

function planFixed(schedule: Schedule, intervalNs: bigint, lastScheduledNs: bigint, nowNs: bigint, offsetNs: bigint, keep: number): CatchupPlan {
  const first = schedule.next(lastScheduledNs);
  if (first + offsetNs > nowNs) return { missed: 0, resumeAfterNs: lastScheduledNs };
  // Last slot whose start time is ≤ now: the grid point at or before now − offset.
  const lastMissed = first + ((nowNs - offsetNs - first) / intervalNs) * intervalNs;
  const missed = Number((lastMissed - first) / intervalNs) + 1;
  const skipCount = missed - keep;
  if (skipCount <= 0) return { missed, resumeAfterNs: lastScheduledNs };
  const lastSkipped = first + BigInt(skipCount - 1) * intervalNs;
  return { missed, resumeAfterNs: lastSkipped, skipped: { firstNs: first, lastNs: lastSkipped, count: skipCount } };
}

function planByWalking(schedule: Schedule, lastScheduledNs: bigint, nowNs: bigint, offset: Duration, keep: number): CatchupPlan {
  // A window of the most recent `keep` missed slots; whatever falls out of it is skipped.
  const window: bigint[] = [];
  let head = 0;
  let missed = 0;
  let firstSkipped: bigint | undefined;
  let lastSkipped: bigint | undefined;
  let slot = lastScheduledNs;
  for (;;) {
    slot = schedule.next(slot);
    if (addDuration(slot, offset) > nowNs) break;
    missed++;
    if (keep === 0) {
      firstSkipped ??= slot;
      lastSkipped = slot;
      continue;
    }
    if (window.length - head < keep) {
      window.push(slot);
      continue;
    }
    const evicted = window[head++]!;
    firstSkipped ??= evicted;
    lastSkipped = evicted;
    window.push(slot);
    if (head > 4096) {
      window.splice(0, head);
      head = 0;
    }
  }
  if (lastSkipped === undefined) return { missed, resumeAfterNs: lastScheduledNs };
  return { missed, resumeAfterNs: lastSkipped, skipped: { firstNs: firstSkipped!, lastNs: lastSkipped, count: missed - Math.min(keep, missed) } };
}
