import { conflict } from '../core/errors.js';
import type { Id } from '../core/ids.js';

/**
 * A run's life: `scheduled → started → success | failed | canceled`, plus `scheduled → canceled`
 * for a run canceled (or skipped) before it started. Every change goes through `transitionTo`,
 * and the scheduler persists each transition exactly once (RunStore.saveTransition).
 */
export type RunStatus = 'scheduled' | 'started' | 'success' | 'failed' | 'canceled';

export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  scheduled: ['started', 'canceled'],
  started: ['success', 'failed', 'canceled'],
  success: [],
  failed: [],
  canceled: [],
};

/** `schedule`: a slot of the task's schedule (on time or caught up); `manual`: POST …/runs or a retry. */
export type RunTrigger = 'schedule' | 'manual';

/** One run of a task. Times are nanoseconds since the Unix epoch. */
export interface RunRecord {
  readonly id: Id;
  readonly taskId: Id;
  readonly status: RunStatus;
  readonly trigger: RunTrigger;
  /** The slot; the script's `now()` during the run. Whole seconds. */
  readonly scheduledForNs: bigint;
  /** Earliest start: `scheduledFor + offset` for scheduled runs, `scheduledFor` for manual ones. */
  readonly runAtNs: bigint;
  /** When a manual run was requested. */
  readonly requestedAtNs?: bigint;
  readonly startedAtNs?: bigint;
  readonly finishedAtNs?: bigint;
  /** RunFlux attempts made (1 + retries); set when the run finishes. */
  readonly attempts?: number;
  /** The real error of a failed run (InfluxDB would show `Completed(failed)` in lastRunError). */
  readonly error?: string;
}

export interface RunLogEntry {
  readonly runId: Id;
  readonly timeNs: bigint;
  readonly message: string;
}

export function isTerminal(status: RunStatus): boolean {
  return RUN_TRANSITIONS[status].length === 0;
}

export interface TransitionDetails {
  readonly attempts?: number;
  readonly error?: string;
}

/**
 * The one guarded state change. Returns the new record (the input is not modified): `started`
 * stamps `startedAtNs`, terminal states stamp `finishedAtNs`. An illegal transition throws
 * `conflict`, so a double finish or a cancel after completion cannot corrupt a record.
 */
export function transitionTo(run: RunRecord, to: RunStatus, atNs: bigint, details: TransitionDetails = {}): RunRecord {
  if (!RUN_TRANSITIONS[run.status].includes(to)) {
    throw conflict(`run ${run.id} cannot go from ${run.status} to ${to}`);
  }
  // One copy, then assignments: conditional spreads would make an object per optional field
  // (two transitions per run, thousands of runs a second).
  const next: { -readonly [K in keyof RunRecord]: RunRecord[K] } = { ...run, status: to };
  if (to === 'started') next.startedAtNs = atNs;
  if (isTerminal(to)) next.finishedAtNs = atNs;
  if (details.attempts !== undefined) next.attempts = details.attempts;
  if (details.error !== undefined) next.error = details.error;
  return next;
}

/**
 * When a run was due, the origin of its lateness figures: scheduledFor + offset (`runAtNs`), or
 * for a run requested after that (a manual run or backfill for a past time), the request: a
 * backfill is not "late" by the age of its scheduledFor.
 */
export function dueAtNs(run: RunRecord): bigint {
  return run.requestedAtNs !== undefined && run.requestedAtNs > run.runAtNs ? run.requestedAtNs : run.runAtNs;
}
