import type { Clock } from '../core/clock.js';
import { durationFromNs, formatDuration } from '../core/duration.js';
import type { Id } from '../core/ids.js';
import type { ReleaseSlot } from './fair-queue.js';
import type { RunInterrupt, WaitAbort } from './run-interrupt.js';
import { goQuote } from './go-quote.js';
import type { TaskOptions } from './options/task-options.js';
import { dueAtNs, transitionTo, type RunLogEntry, type RunRecord, type RunStatus } from './run-lifecycle.js';
import type { RunFlux } from './run-flux.js';
import type { RunStore } from './run-store.js';
import type { SchedulerMetrics } from './scheduler-metrics.js';
import type { WriteGroup } from './write-group.js';

/** Exponential backoff between attempts: base · 2^(n−1) after the n-th failure, capped at max. */
export interface RetryBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RETRY_BACKOFF: RetryBackoff = { baseMs: 10_000, maxMs: 600_000 };

export function backoffDelayMs(failedAttempt: number, backoff: RetryBackoff): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, failedAttempt - 1));
}

/** What the executor needs to know about a task. */
export interface ExecutableTask {
  readonly id: Id;
  readonly script: string;
  readonly options: TaskOptions;
  readonly authorization: unknown;
  readonly lastSuccessNs?: bigint;
}

export interface RunJob {
  /** `scheduled`, or `started` for a run interrupted by a restart and now run again. */
  readonly run: RunRecord;
  readonly task: ExecutableTask;
  /**
   * Cancel (ends waits, aborts RunFlux's signal) and stop (ends waits only). After a stop, a run
   * that has not started yet, or is backing off between attempts, stops where it is without a
   * transition: it stays `scheduled`/`started` in the store and is resumed by the next start. An
   * executing attempt is left to finish.
   */
  readonly interrupt: RunInterrupt;
  /** Waits for a slot under the global cap (ended by `interrupt`); called before each attempt. */
  readonly acquireSlot: () => Promise<ReleaseSlot>;
  /**
   * The run was created by this process, so every log line it has is written by this execution:
   * `onFinished` then gets them all and nobody reads them back from the store. False (default)
   * for a run recovered from a previous process, which may have older lines.
   */
  readonly fresh?: boolean;
}

export interface RunExecutorDeps {
  readonly clock: Clock;
  readonly store: RunStore;
  readonly runFlux: RunFlux;
  readonly backoff: RetryBackoff;
  /**
   * Time limit per attempt (InfluxDB has none, so runs can hang in `started` forever). When it
   * passes, the attempt's signal aborts and the attempt fails with
   * `run exceeded its time limit of <d>` (retried like any failure). Undefined: no limit.
   */
  readonly attemptTimeoutMs?: number;
  /**
   * How long to wait for RunFlux to settle once its signal has aborted (cancel or time limit)
   * before giving up on it, so a query that ignores its signal cannot keep a run, a cancel
   * request or a shutdown waiting forever. Default 30 s.
   */
  readonly abandonAfterMs?: number;
  readonly metrics?: SchedulerMetrics;
  /**
   * Commits transitions together with those of other runs (group commit); undefined: each
   * transition commits on its own, synchronously.
   */
  readonly writeGroup?: WriteGroup;
  /**
   * Called with a run's terminal record inside the write that persists it (same commit), e.g. to
   * update the task's last-run state, and with all of the run's log lines in write order when the
   * executor wrote every one of them (a fresh run; undefined otherwise). It must not throw.
   */
  readonly onFinished?: (run: RunRecord, logs: readonly RunLogEntry[] | undefined) => void;
}

type AttemptOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string; readonly unrecoverable: boolean };

/**
 * Executes one run through its lifecycle, writing InfluxDB's log lines (reference §3.10):
 * `Started task from script: "<%q script>"`, then per failed attempt that will be retried
 * `Attempt n of N failed: <error>; retrying in <backoff>`, then for the final outcome
 * `Completed(success)`, or `<error>` + `Completed(failed)` (so InfluxDB's "second-to-last log line"
 * rule for lastRunError yields the real error), or `Run canceled` + `Completed(canceled)`.
 *
 * The global slot is held only while RunFlux executes, not during backoff; the task's own
 * concurrency slot (the scheduler's business) is held for the whole run.
 */
export class RunExecutor {
  /** Quoted scripts: most runs repeat a task's script verbatim. */
  private readonly quotes = new Map<string, string>();

  constructor(private readonly deps: RunExecutorDeps) {}

  private quoted(script: string): string {
    let q = this.quotes.get(script);
    if (q === undefined) {
      // One entry per task script: 10,000 tasks (each script names its task) must all fit, or
      // every run quotes its script again.
      if (this.quotes.size >= QUOTED_SCRIPTS) this.quotes.clear();
      q = goQuote(script);
      this.quotes.set(script, q);
    }
    return q;
  }

  async execute(job: RunJob): Promise<RunRecord> {
    const { clock } = this.deps;
    const { task, interrupt } = job;
    const maxAttempts = task.options.retry;
    let run = job.run;
    // The run's log lines as committed, when this execution writes all of them.
    const logs: RunLogEntry[] | undefined = job.fresh === true ? [] : undefined;
    let release: ReleaseSlot | undefined;
    try {
      try {
        release = await job.acquireSlot();
      } catch {
        if (!interrupt.canceled) return this.leaveForRestart(run);
        return this.finish(run, logs, 'canceled', 0, ['Run canceled', 'Completed(canceled)']);
      }
      const started = [`Started task from script: ${this.quoted(task.script)}`];
      if (run.status === 'scheduled') {
        run = await this.transition(run, logs, 'started', started);
      } else {
        this.appendLogs(run.id, logs, ['Run was interrupted by a server restart; running it again', ...started]);
      }
      // Start delay: due → executing, which includes the scheduler's lateness and the wait for
      // the global cap.
      this.deps.metrics?.runStarted({ taskId: task.id, runId: run.id, scheduledForNs: run.scheduledForNs, startDelayNs: clock.nowNs() - dueAtNs(run) });

      for (let attempt = 1; ; attempt++) {
        const outcome = await this.attempt(run, job, logs);
        release();
        release = undefined;
        if (interrupt.canceled) return this.finish(run, logs, 'canceled', attempt, ['Run canceled', 'Completed(canceled)']);
        if (outcome.ok) return this.finish(run, logs, 'success', attempt, ['Completed(success)']);

        const willRetry = attempt < maxAttempts && !outcome.unrecoverable;
        this.deps.metrics?.attemptFailed({ taskId: task.id, willRetry });
        if (!willRetry) {
          const lines = outcome.unrecoverable
            ? [`Task encountered unrecoverable error, requires admin action: ${outcome.error}`, outcome.error, 'Completed(failed)']
            : [outcome.error, 'Completed(failed)'];
          return this.finish(run, logs, 'failed', attempt, lines, outcome.error);
        }
        const delayMs = backoffDelayMs(attempt, this.deps.backoff);
        this.appendLogs(run.id, logs, [`Attempt ${attempt} of ${maxAttempts} failed: ${outcome.error}; retrying in ${formatMs(delayMs)}`]);
        try {
          await sleep(clock, delayMs, interrupt);
          release = await job.acquireSlot();
        } catch {
          if (!interrupt.canceled) return this.leaveForRestart(run);
          return this.finish(run, logs, 'canceled', attempt, ['Run canceled', 'Completed(canceled)']);
        }
      }
    } finally {
      release?.();
    }
  }

  private async attempt(run: RunRecord, job: RunJob, logs: RunLogEntry[] | undefined): Promise<AttemptOutcome> {
    let open = true;
    const timeoutMs = this.deps.attemptTimeoutMs;
    // Without a time limit RunFlux gets the run's cancel signal itself; with one, a per-attempt
    // signal that also aborts on cancel.
    const cancelSignal = job.interrupt.cancelSignal;
    let signal = cancelSignal;
    let timedOut = false;
    let cleanup = (): void => undefined;
    if (timeoutMs !== undefined) {
      const controller = new AbortController();
      const onCancel = (): void => controller.abort();
      if (cancelSignal.aborted) controller.abort();
      cancelSignal.addEventListener('abort', onCancel, { once: true });
      const timer = this.deps.clock.setTimer(timeoutMs, () => {
        timedOut = true;
        controller.abort();
      });
      signal = controller.signal;
      cleanup = () => {
        timer.cancel();
        cancelSignal.removeEventListener('abort', onCancel);
      };
    }
    const abandon = this.abandonWhenAborted(signal);
    try {
      const pending = this.deps.runFlux({
        taskId: job.task.id,
        runId: run.id,
        script: job.task.script,
        nowNs: run.scheduledForNs,
        taskOptions: job.task.options,
        authorization: job.task.authorization,
        ...(job.task.lastSuccessNs !== undefined ? { lastSuccessNs: job.task.lastSuccessNs } : {}),
        signal,
        log: (message) => {
          if (open) this.appendLogs(run.id, logs, [message]);
        },
      });
      const result = await Promise.race([pending, abandon.promise]);
      if (result === ABANDONED) {
        pending.catch(() => undefined); // it may still settle, ignored
        const why = timedOut ? this.timeoutOutcome(timeoutMs!).error : 'run was canceled';
        return { ok: false, error: `${why}; the query did not stop within ${formatMs(this.abandonAfterMs)} and was abandoned`, unrecoverable: false };
      }
      if (timedOut) return this.timeoutOutcome(timeoutMs!);
      if (result.error !== undefined) return { ok: false, error: result.error, unrecoverable: result.unrecoverable === true };
      return { ok: true };
    } catch (e) {
      if (timedOut) return this.timeoutOutcome(timeoutMs!);
      return { ok: false, error: e instanceof Error ? e.message : String(e), unrecoverable: false };
    } finally {
      open = false;
      cleanup();
      abandon.dispose();
    }
  }

  private get abandonAfterMs(): number {
    return this.deps.abandonAfterMs ?? 30_000;
  }

  /** Resolves with ABANDONED `abandonAfterMs` after `signal` aborts. */
  private abandonWhenAborted(signal: AbortSignal): { promise: Promise<typeof ABANDONED>; dispose: () => void } {
    let timer: { cancel(): void } | undefined;
    let onAbort = (): void => undefined;
    const promise = new Promise<typeof ABANDONED>((resolve) => {
      onAbort = () => {
        timer = this.deps.clock.setTimer(this.abandonAfterMs, () => resolve(ABANDONED));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    return {
      promise,
      dispose: () => {
        signal.removeEventListener('abort', onAbort);
        timer?.cancel();
      },
    };
  }

  private timeoutOutcome(timeoutMs: number): { ok: false; error: string; unrecoverable: false } {
    return { ok: false, error: `run exceeded its time limit of ${formatMs(timeoutMs)}`, unrecoverable: false };
  }

  /** Leaves the run as persisted, to be resumed by the next start. */
  private leaveForRestart(run: RunRecord): RunRecord {
    this.deps.store.appendLogs(this.entries(run.id, ['Scheduler stopped before the run finished; it resumes on restart']));
    return run;
  }

  private async finish(run: RunRecord, logs: RunLogEntry[] | undefined, status: RunStatus, attempts: number, lines: string[], error?: string): Promise<RunRecord> {
    const done = await this.transition(run, logs, status, lines, { attempts, ...(error !== undefined ? { error } : {}) }, this.deps.onFinished);
    const startedAt = done.startedAtNs ?? done.finishedAtNs!;
    this.deps.metrics?.runFinished({ taskId: run.taskId, runId: run.id, scheduledForNs: run.scheduledForNs, status, durationNs: done.finishedAtNs! - startedAt, attempts });
    return done;
  }

  /**
   * Persists the run's next state and its log lines, then `also` (in the same commit), before the
   * run goes on: at once, or with the runs progressing at the same time when a write group is set.
   */
  private async transition(
    run: RunRecord,
    logs: RunLogEntry[] | undefined,
    to: RunStatus,
    lines: string[],
    details?: { attempts?: number; error?: string },
    also?: (run: RunRecord, logs: readonly RunLogEntry[] | undefined) => void,
  ): Promise<RunRecord> {
    const next = transitionTo(run, to, this.deps.clock.nowNs(), details);
    const entries = this.entries(run.id, lines);
    const write = (): void => {
      this.deps.store.saveTransition(next, entries);
      // Inside the write: if it is undone, so are these lines.
      logs?.push(...entries);
      also?.(next, logs);
    };
    // Atomic by itself: saveTransition is (RunStore contract), and `also` must not throw.
    if (this.deps.writeGroup === undefined) write();
    else await this.deps.writeGroup.write(write, { atomic: true });
    return next;
  }

  /** Appends log lines to the run (and to `logs` once written). */
  private appendLogs(runId: Id, logs: RunLogEntry[] | undefined, lines: readonly string[]): void {
    const entries = this.entries(runId, lines);
    this.deps.store.appendLogs(entries);
    logs?.push(...entries);
  }

  private entries(runId: Id, lines: readonly string[]): RunLogEntry[] {
    const timeNs = this.deps.clock.nowNs();
    return lines.map((message) => ({ runId, timeNs, message }));
  }
}

const ABANDONED = Symbol('abandoned');
/** Quoted scripts kept (as the task query service keeps one compiled program per task). */
const QUOTED_SCRIPTS = 65_536;

function formatMs(ms: number): string {
  return formatDuration(durationFromNs(BigInt(ms) * 1_000_000n));
}

/** Waits `delayMs` on the injected clock; rejects early if `abort` fires. */
function sleep(clock: Clock, delayMs: number, abort: WaitAbort): Promise<void> {
  if (abort.aborted) return Promise.reject(new Error('aborted'));
  return new Promise((resolve, reject) => {
    const timer = clock.setTimer(delayMs, () => {
      dispose();
      resolve();
    });
    const dispose = abort.onAbort(() => {
      timer.cancel();
      reject(new Error('aborted'));
    });
  });
}
