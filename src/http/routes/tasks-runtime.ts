import type { Id } from '../../core/ids.js';
import type { CsvSink, EncodeOutcome } from '../../flux/csv/result-encoder.js';
import type { Script } from '../../meta/script-store.js';
import type { Task } from '../../meta/task-store.js';
import type { RunRecord } from '../../tasks/index.js';
import type { Authorizer } from '../authorizer.js';

/**
 * What the task and script routes need from the running task engine (src/server wires the
 * scheduler and the Flux runner behind it). The routes own validation and persistence of tasks;
 * the runtime owns scheduling and execution.
 */
export interface TasksRuntime {
  /** A task was created or changed: schedule it if active (new script/options apply), release it if not. */
  taskSaved(task: Task): void;
  /** A task was deleted: stop scheduling it (runs in progress finish). */
  taskDeleted(taskId: Id): void;
  /**
   * A manual run (POST …/runs, retry), also of an inactive task (beyond InfluxDB). Throws
   * `conflict` `run already queued`.
   */
  requestRun(task: Task, scheduledForNs?: bigint): RunRecord;
  /** Cancels an unfinished run; throws `not found` `run not found` otherwise. */
  cancelRun(runId: Id): Promise<RunRecord>;
  /** The next `count` slots (scheduledFor, ns) of an active task; empty when inactive or unscheduled. */
  nextRuns(task: Task, count: number): bigint[];
  /**
   * Runs an invokable script with `params` (already checked against the script) as the caller,
   * in the script's org, writing annotated CSV to `sink`. Errors before any output are thrown;
   * later ones are written as an error table and returned.
   */
  invokeScript(script: Script, params: Readonly<Record<string, unknown>>, auth: Authorizer, signal: AbortSignal, sink: CsvSink): Promise<EncodeOutcome>;
}
