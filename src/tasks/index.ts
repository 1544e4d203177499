/**
 * The task engine: options (read from the script's AST), schedules, the run state machine and
 * its store contract, and the scheduler/executor that run Flux through an injected `RunFlux`.
 *
 * Wiring (src/server): build a RunStore (SQLite, from src/meta), a RunFlux bound to the query
 * controller, TaskCheckpoints writing the task row; `new Scheduler({...}).start(activeTasks)`;
 * call `schedule`/`unschedule` on task create/update/activate/deactivate/delete, `requestRun`
 * for POST /runs and retries, `cancelRun` for DELETE /runs/{id}, and `stop()` on shutdown.
 */
export * from './options/task-options.js';
export * from './options/extract-task-options.js';
export type { Schedule } from './schedule/schedule.js';
export { EverySchedule } from './schedule/every-schedule.js';
export { CronSchedule } from './schedule/cron-schedule.js';
export { parseCronExpression } from './schedule/cron-expression.js';
export { TimeZone } from './schedule/time-zone.js';
export { taskSchedule, type ScheduleOptions } from './schedule/task-schedule.js';
export * from './run-lifecycle.js';
export type { RunStore, RunQuery, SkippedSlots } from './run-store.js';
export { MemoryRunStore } from './memory-run-store.js';
export type { RunFlux, RunFluxRequest, RunFluxResult } from './run-flux.js';
export { RunExecutor, DEFAULT_RETRY_BACKOFF, backoffDelayMs, type RetryBackoff, type ExecutableTask } from './executor.js';
export { Scheduler, type SchedulableTask, type SchedulerOptions, type TaskCheckpoints } from './scheduler.js';
export { SchedulerStats, Histogram, type SchedulerMetrics } from './scheduler-metrics.js';
export { planCatchup, type CatchupPlan } from './catchup-plan.js';
export { goQuote } from './go-quote.js';
