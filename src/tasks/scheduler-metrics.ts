import type { Id } from '../core/ids.js';
import type { RunStatus } from './run-lifecycle.js';

/**
 * Events the scheduler reports for metrics. The HTTP/metrics layer adapts them to Prometheus
 * (InfluxDB exposes task_scheduler_* / task_executor_*); SchedulerStats keeps them in memory.
 */
export interface SchedulerMetrics {
  /**
   * The scheduler created a run (or took a manual/recovered one) and handed it to the executor,
   * whose first step is waiting for the global cap. `scheduleDelayNs` = now − due (`dueAtNs`:
   * scheduledFor + offset, or the request of a later manual run): the scheduler's own lateness,
   * what InfluxDB's `task_scheduler_schedule_delay` measures.
   */
  runQueued(event: { readonly taskId: Id; readonly runId: Id; readonly scheduledForNs: bigint; readonly scheduleDelayNs: bigint }): void;
  /**
   * A run started executing; `startDelayNs` = startedAt − due: the scheduler's lateness plus the
   * wait for a global execution slot.
   */
  runStarted(event: { readonly taskId: Id; readonly runId: Id; readonly scheduledForNs: bigint; readonly startDelayNs: bigint }): void;
  runFinished(event: {
    readonly taskId: Id;
    readonly runId: Id;
    readonly scheduledForNs: bigint;
    readonly status: RunStatus;
    readonly durationNs: bigint;
    readonly attempts: number;
  }): void;
  attemptFailed(event: { readonly taskId: Id; readonly willRetry: boolean }): void;
  slotsSkipped(event: { readonly taskId: Id; readonly count: number }): void;
}

/** Cumulative histogram with fixed upper bounds in seconds (Prometheus style: `le` buckets + sum + count). */
export class Histogram {
  readonly counts: number[];
  sumSeconds = 0;
  count = 0;

  constructor(readonly upperBoundsSeconds: readonly number[]) {
    this.counts = upperBoundsSeconds.map(() => 0);
  }

  observe(seconds: number): void {
    this.count++;
    this.sumSeconds += seconds;
    for (let i = 0; i < this.upperBoundsSeconds.length; i++) {
      if (seconds <= this.upperBoundsSeconds[i]!) this.counts[i]!++;
    }
  }
}

const DELAY_BUCKETS_S = [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];
const DURATION_BUCKETS_S = [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

/** In-memory counters and histograms; also what tests assert on. */
export class SchedulerStats implements SchedulerMetrics {
  runsQueued = 0;
  runsStarted = 0;
  readonly runsFinished: Record<RunStatus, number> = { scheduled: 0, started: 0, success: 0, failed: 0, canceled: 0 };
  attemptsFailed = 0;
  retries = 0;
  slotsSkippedTotal = 0;
  /** Due → queued for the executor (the scheduler's lateness). */
  readonly scheduleDelay = new Histogram(DELAY_BUCKETS_S);
  /** Due → executing (lateness + wait for the global cap). */
  readonly startDelay = new Histogram(DELAY_BUCKETS_S);
  readonly runDuration = new Histogram(DURATION_BUCKETS_S);

  runQueued(event: { scheduleDelayNs: bigint }): void {
    this.runsQueued++;
    this.scheduleDelay.observe(Number(event.scheduleDelayNs) / 1e9);
  }

  runStarted(event: { startDelayNs: bigint }): void {
    this.runsStarted++;
    this.startDelay.observe(Number(event.startDelayNs) / 1e9);
  }

  runFinished(event: { status: RunStatus; durationNs: bigint }): void {
    this.runsFinished[event.status]++;
    this.runDuration.observe(Number(event.durationNs) / 1e9);
  }

  attemptFailed(event: { willRetry: boolean }): void {
    this.attemptsFailed++;
    if (event.willRetry) this.retries++;
  }

  slotsSkipped(event: { count: number }): void {
    this.slotsSkippedTotal += event.count;
  }
}
