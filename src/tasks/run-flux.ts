import type { Id } from '../core/ids.js';
import type { TaskOptions } from './options/task-options.js';

/**
 * How the task engine runs Flux, without importing the query engine (style: "depend on a
 * function, not on an engine"). The composition root binds it to the query controller; tests
 * pass any function.
 */
export interface RunFluxRequest {
  readonly taskId: Id;
  readonly runId: Id;
  readonly script: string;
  /** The script's `now()`: the run's scheduledFor, never the wall clock. */
  readonly nowNs: bigint;
  readonly taskOptions: TaskOptions;
  /** Who the run executes as (the task owner's authorization); opaque to the task engine. */
  readonly authorization: unknown;
  /** scheduledFor of the task's latest successful run, for `tasks.lastSuccess()`; absent if none. */
  readonly lastSuccessNs?: bigint;
  /** Aborted when the run is canceled; RunFlux should stop promptly and settle. */
  readonly signal: AbortSignal;
  /** Appends a line to the run's log (e.g. script log output); safe to call until settled. */
  readonly log: (message: string) => void;
}

/**
 * Settles when the script has finished. A rejection, or a result with `error`, fails the
 * attempt; the message is logged verbatim as the run's error (e.g. `could not execute task run:
 * …`, InfluxDB's wording, reference §2.5).
 */
export interface RunFluxResult {
  readonly error?: string;
  /**
   * Retrying cannot help (parse error, missing bucket): no further attempts, and the log says
   * `Task encountered unrecoverable error, requires admin action: …` as InfluxDB does.
   */
  readonly unrecoverable?: boolean;
}

export type RunFlux = (request: RunFluxRequest) => Promise<RunFluxResult>;
