import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Id } from '../core/ids.js';
import type { RunStatus, SchedulerMetrics } from '../tasks/index.js';

// Fine at the low end: the scheduler's lateness is milliseconds when healthy, and the target for
// the start delay is 250 ms.
const DELAY_BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 900, 3600];
const DURATION_BUCKETS_S = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

/**
 * The scheduler's events as Prometheus metrics in the server's registry, named after InfluxDB's
 * `task_scheduler_*` / `task_executor_*` families so existing dashboards find them. Gauges for
 * executing runs and queue length are read from the scheduler at scrape time.
 */
export class TaskPromMetrics implements SchedulerMetrics {
  private readonly scheduleDelay: Histogram;
  private readonly startDelay: Histogram;
  private readonly executionCalls: Counter;
  private readonly executeFailures: Counter;
  private readonly retries: Counter;
  private readonly skipped: Counter;
  private readonly runsComplete: Counter<'status'>;
  private readonly runDuration: Histogram<'status'>;

  constructor(registry: Registry, gauges: { executing: () => number; queued: () => number }) {
    const registers = [registry];
    this.scheduleDelay = new Histogram({
      name: 'task_scheduler_schedule_delay',
      help: "Seconds from when a run was due (scheduledFor + offset, or when requested) to when the scheduler handed it to the executor's queue: the scheduler's own lateness, as InfluxDB's.",
      buckets: DELAY_BUCKETS_S,
      registers,
    });
    this.startDelay = new Histogram({
      name: 'task_executor_run_latency_seconds',
      help: 'Seconds from when a run was due (scheduledFor + offset, or when requested) to when it started executing: the scheduler\'s lateness plus the wait for a global execution slot (--task-max-concurrency).',
      buckets: DELAY_BUCKETS_S,
      registers,
    });
    this.executionCalls = new Counter({ name: 'task_scheduler_total_execution_calls', help: 'Runs handed to the executor.', registers });
    this.executeFailures = new Counter({ name: 'task_scheduler_total_execute_failure', help: 'Run attempts that failed (before any retry).', registers });
    this.retries = new Counter({ name: 'task_scheduler_total_retries', help: 'Failed attempts that were retried.', registers });
    this.skipped = new Counter({ name: 'task_scheduler_total_skipped_slots', help: 'Schedule slots not run (catch-up limit or policy).', registers });
    this.runsComplete = new Counter({
      name: 'task_executor_total_runs_complete',
      help: 'Runs finished, by final status.',
      labelNames: ['status'],
      registers,
    });
    this.runDuration = new Histogram({
      name: 'task_executor_run_duration',
      help: 'Seconds from a run starting to finishing, by final status.',
      labelNames: ['status'],
      buckets: DURATION_BUCKETS_S,
      registers,
    });
    new Gauge({
      name: 'task_scheduler_current_execution',
      help: 'Runs executing now.',
      registers,
      collect() {
        this.set(gauges.executing());
      },
    });
    new Gauge({
      name: 'task_scheduler_queue_length',
      help: 'Runs admitted by their task but waiting for a global execution slot (--task-max-concurrency).',
      registers,
      collect() {
        this.set(gauges.queued());
      },
    });
  }

  runQueued(event: { readonly taskId: Id; readonly scheduleDelayNs: bigint }): void {
    this.executionCalls.inc();
    this.scheduleDelay.observe(Math.max(0, Number(event.scheduleDelayNs) / 1e9));
  }

  runStarted(event: { readonly taskId: Id; readonly startDelayNs: bigint }): void {
    this.startDelay.observe(Math.max(0, Number(event.startDelayNs) / 1e9));
  }

  runFinished(event: { readonly taskId: Id; readonly status: RunStatus; readonly durationNs: bigint; readonly attempts: number }): void {
    this.runsComplete.inc({ status: event.status });
    this.runDuration.observe({ status: event.status }, Number(event.durationNs) / 1e9);
  }

  attemptFailed(event: { readonly taskId: Id; readonly willRetry: boolean }): void {
    this.executeFailures.inc();
    if (event.willRetry) this.retries.inc();
  }

  slotsSkipped(event: { readonly taskId: Id; readonly count: number }): void {
    this.skipped.inc(event.count);
  }
}
