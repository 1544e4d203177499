import type { Id } from '../core/ids.js';
import type { RunStatus } from './run-lifecycle.js';

/**
 * Events the scheduler reports for metrics. The HTTP/metrics layer adapts them to Prometheus
 * (InfluxDB exposes task_scheduler_* / task_executor_*); SchedulerStats keeps them in memory.
 */
export interface SchedulerMetrics {
  /**
   * A run started; delay = startedAt − (scheduledFor + offset), i.e. how late it started. For a
   * manual run, from the later of its scheduledFor and when it was requested.
   */
  runStarted(event: { readonly taskId: Id; readonly scheduleDelayNs: bigint }): void;
  runFinished(event: { readonly taskId: Id; readonly status: RunStatus; readonly durationNs: bigint; readonly attempts: number }): void;
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
  runsStarted = 0;
  readonly runsFinished: Record<RunStatus, number> = { scheduled: 0, started: 0, success: 0, failed: 0, canceled: 0 };
  attemptsFailed = 0;
  retries = 0;
  slotsSkippedTotal = 0;
  readonly scheduleDelay = new Histogram(DELAY_BUCKETS_S);
  readonly runDuration = new Histogram(DURATION_BUCKETS_S);

  runStarted(event: { scheduleDelayNs: bigint }): void {
    this.runsStarted++;
    this.scheduleDelay.observe(Number(event.scheduleDelayNs) / 1e9);
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
