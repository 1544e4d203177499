import type { Id } from '../core/ids.js';
import type { RunLogEntry, RunRecord, RunStatus } from './run-lifecycle.js';

/**
 * Slots the scheduler did not run, recorded instead of dropped (catch-up limit or policy). One
 * record covers a contiguous range of a task's slots, so a long outage costs one row, not one
 * per slot.
 */
export interface SkippedSlots {
  readonly taskId: Id;
  readonly firstScheduledForNs: bigint;
  readonly lastScheduledForNs: bigint;
  readonly count: number;
  readonly reason: string;
  readonly recordedAtNs: bigint;
}

export interface RunQuery {
  /** Most recent first (by scheduledFor, then id); default 100. */
  readonly limit?: number;
  /** Only runs with scheduledFor > afterNs. */
  readonly afterNs?: bigint;
  /** Only runs with scheduledFor < beforeNs. */
  readonly beforeNs?: bigint;
  readonly statuses?: readonly RunStatus[];
}

/**
 * Durable run records and run logs. Synchronous on purpose: the metadata store is better-sqlite3
 * (synchronous), and a synchronous store lets the scheduler change state and persist it without
 * an await in between, so no other event can observe a half-made transition. Every method has
 * committed when it returns: it survives a crash of the process at once, and a power loss once
 * the store's log is synced (SQLite WAL, synchronous=NORMAL). A power loss may drop the last
 * transactions in commit order; the runs they concerned are then `scheduled`/`started` and are
 * re-run on start, so a run may execute twice but never zero times.
 *
 * Implementations: MemoryRunStore (tests), SqliteRunStore (src/meta/run-store.ts). Both must pass
 * runRunStoreSuite (src/tasks/testing/run-store-suite.ts).
 */
export interface RunStore {
  /** Stores a new run (status `scheduled`) and its first log lines. Throws `conflict` on a duplicate id. */
  createRun(run: RunRecord, logs?: readonly RunLogEntry[]): void;
  /**
   * Stores a run's next state (what `transitionTo` changes: status, startedAt, finishedAt,
   * attempts, error; the rest of a run is fixed when it is created) and appends the
   * transition's log lines, atomically. Throws `not found` for an unknown run.
   */
  saveTransition(run: RunRecord, logs?: readonly RunLogEntry[]): void;
  /** Appends log lines to a run without changing it (attempt failures, script log output). */
  appendLogs(logs: readonly RunLogEntry[]): void;
  getRun(runId: Id): RunRecord | undefined;
  /** Runs of one task, most recent scheduledFor first. */
  listRuns(taskId: Id, query?: RunQuery): RunRecord[];
  /** Log lines of one run, in the order they were written. */
  listLogs(runId: Id): RunLogEntry[];
  /** Runs of all tasks still `scheduled` or `started`, for recovery on start; oldest scheduledFor first. */
  findUnfinishedRuns(): RunRecord[];
  recordSkippedSlots(skipped: SkippedSlots): void;
  /** Skipped-slot records of one task, most recent first. */
  listSkippedSlots(taskId: Id): SkippedSlots[];
  /**
   * Optional: runs `fn` (synchronous) and commits every write it made through this store — and,
   * for a store sharing its database with the task checkpoints, theirs — as one transaction when
   * `batch` returns, instead of one commit per write. "Committed when it returns" then holds for
   * the batch: all of its writes persist, in order, or (crash before the return) none of them,
   * which the recovery rules above already cover. A write that throws inside `fn` is undone alone
   * if `fn` catches the error; an error leaving `fn` undoes the whole batch. Reads inside `fn` see
   * its writes. Without `batch`, each write commits on its own.
   */
  batch?<T>(fn: () => T): T;
}
