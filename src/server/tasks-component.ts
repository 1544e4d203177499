import type { TimerHandle } from '../core/clock.js';
import type { Id } from '../core/ids.js';
import { DEFAULT_RUN_RETENTION_NS } from '../meta/run-store.js';
import type { Task } from '../meta/task-store.js';
import { scriptRoutes } from '../http/routes/scripts-routes.js';
import { taskOptionsOf } from '../http/routes/tasks-flux.js';
import { taskRoutes } from '../http/routes/tasks-routes.js';
import type { TasksRuntime } from '../http/routes/tasks-runtime.js';
import { QueryController } from '../query/query-controller.js';
import type { QueryMetrics } from '../query/query-metrics.js';
import { QueryService } from '../query/query-service.js';
import { remoteSettingsOf } from './config.js';
import { Scheduler, taskSchedule, type RunLogEntry, type RunRecord, type SchedulableTask, type SchedulerMetrics } from '../tasks/index.js';
import type { ComponentContext, ServerComponent } from './server.js';
import { TaskPromMetrics } from './tasks-metrics.js';
import { invokeScript, makeRunFlux, type TaskRunContext } from './tasks-run-flux.js';
import { RunPointWriter, runPoint } from './tasks-run-points.js';
import { TurnMemo } from '../core/turn-memo.js';

export interface TasksComponentOptions {
  /** The query path runs and scripts execute through (shares the query controller's limits). */
  readonly query: QueryService;
  /** Where task runs' queries report their states and outcomes (`qc_*` on /metrics, shared with HTTP queries). */
  readonly queryMetrics?: QueryMetrics;
  /** Finished runs older than this are deleted with their logs. Default 30 days. */
  readonly runRetentionNs?: bigint;
  /** Scheduler-wide catch-up default for tasks whose options do not say. Default `all`. */
  readonly defaultCatchup?: 'all' | 'latest' | 'skip';
  /** Also receives the scheduler's events (besides /metrics): benchmarks read exact per-run delays. */
  readonly observer?: SchedulerMetrics;
}

const RETENTION_SWEEP_MS = 60 * 60 * 1000;

/**
 * Runs executing at once: `--task-max-concurrency` (0 = no limit). Task runs have a query
 * controller of their own with this cap, separate from the interactive one
 * (`--query-concurrency`): a trivial run mostly waits on its `to()` write's fsync, so more runs
 * in flight mean larger group commits, and a burst of runs at :00 neither waits behind nor
 * crowds out interactive queries. Beyond the cap, runs wait in the scheduler, fairly across
 * tasks, never in a controller queue that could refuse them (influxdata/influxdb#21689).
 */
export function effectiveMaxConcurrentRuns(taskMaxConcurrency: number): number {
  return taskMaxConcurrency === 0 ? Number.MAX_SAFE_INTEGER : taskMaxConcurrency;
}

/** One compiled program per task is kept (a run compiles nothing); beyond this many tasks, LRU. */
const TASK_COMPILE_CACHE_ENTRIES = 65_536;

/**
 * The task engine as a server component: `/api/v2/tasks` and `/api/v2/scripts` routes, and the
 * scheduler, started after storage and the metadata DB are open (catching up missed slots per
 * each task's policy, re-running runs a previous process left unfinished) and stopped before
 * them. Runs execute through the query path as the task's owner; each finished run updates its
 * task row and is written to the org's `_tasks` bucket.
 */
export function tasksComponent(ctx: ComponentContext, options: TasksComponentOptions): ServerComponent {
  const { meta, clock, logger } = ctx;
  const log = logger.child({ component: 'tasks' });
  const maxConcurrentRuns = effectiveMaxConcurrentRuns(ctx.config.taskMaxConcurrency);
  // The scheduler's cap admits runs, so this controller never queues: its queue limit is moot.
  const runController = new QueryController(
    { maxConcurrent: ctx.config.taskMaxConcurrency, maxQueued: Number.MAX_SAFE_INTEGER, memoryBytes: ctx.config.queryMemoryBytes, timeoutMs: ctx.config.queryTimeoutMs },
    clock,
  );
  const runQuery = new QueryService({
    meta,
    storage: ctx.storage,
    controller: runController,
    registry: options.query.registry,
    compileCacheEntries: TASK_COMPILE_CACHE_ENTRIES,
    clock,
    // Task runs reach remote hosts with the same timeouts and address policy as queries.
    remote: remoteSettingsOf(ctx.config),
    ...(options.queryMetrics === undefined ? {} : { metrics: options.queryMetrics }),
  });
  let scheduler: Scheduler | undefined;
  let retentionTimer: TimerHandle | undefined;
  let started = false;
  /** `_tasks` points, batched; stop drains them, since storage closes after this component. */
  const points = new RunPointWriter(ctx.storage, log);

  /**
   * The latest saved definition of each task handed to the scheduler, and per task id the
   * liveness flag its runs check (see TaskRunContext): a run reads no task row, and a finished
   * run's `_tasks` point takes the task's name from here.
   */
  const contexts = new Map<Id, TaskRunContext>();
  const schedulable = (task: Task): SchedulableTask => {
    const context: TaskRunContext = { task, liveness: contexts.get(task.id)?.liveness ?? { deleted: false } };
    const out: SchedulableTask = {
      id: task.id,
      script: task.flux,
      options: taskOptionsOf(task, clock.nowNs()),
      // The owner's current permissions are resolved per run by RunFlux.
      authorization: context,
      ...(task.latestSuccessNs === undefined ? {} : { lastSuccessNs: task.latestSuccessNs }),
      latestScheduledNs: task.latestScheduledNs,
    };
    contexts.set(task.id, context);
    return out;
  };

  // Runs finishing together (a group commit) share one lookup of their org's `_tasks` bucket.
  const tasksBucketIds = new TurnMemo<string, string | undefined>();
  const recordToTasksBucket = (run: RunRecord, logs: readonly RunLogEntry[] | undefined): void => {
    const task = contexts.get(run.taskId)?.task ?? meta.tasks.findById(run.taskId);
    if (task === undefined) return;
    const bucketId = tasksBucketIds.get(task.orgID, (orgID) => meta.buckets.findByName(orgID, '_tasks')?.id);
    if (bucketId === undefined) return;
    points.add(bucketId, runPoint(task, run, logs ?? meta.runs.listLogs(run.id)));
  };

  const metrics = new TaskPromMetrics(ctx.metrics.registry, {
    executing: () => scheduler?.runningCount ?? 0,
    queued: () => scheduler?.waitingCount ?? 0,
  });

  const sweepRetention = (): void => {
    try {
      const removed = meta.runs.deleteFinishedBefore(clock.nowNs() - (options.runRetentionNs ?? DEFAULT_RUN_RETENTION_NS));
      if (removed > 0) log.debug({ removed }, 'deleted finished runs past retention');
    } catch (e) {
      log.error({ err: e }, 'run retention sweep failed');
    }
    retentionTimer = clock.setTimer(RETENTION_SWEEP_MS, sweepRetention);
  };

  const engine = (): Scheduler => {
    if (scheduler === undefined || !started) throw new Error('task scheduler is not running');
    return scheduler;
  };

  const runtime: TasksRuntime = {
    taskSaved(task) {
      if (!started) return;
      if (task.status === 'active') engine().schedule(schedulable(task));
      else engine().unschedule(task.id);
    },
    taskDeleted(taskId: Id) {
      const context = contexts.get(taskId);
      if (context !== undefined) context.liveness.deleted = true;
      contexts.delete(taskId);
      if (started) engine().unschedule(taskId);
    },
    requestRun: (task, scheduledForNs) => engine().requestRun(task.id, scheduledForNs, schedulable(task)),
    cancelRun: (runId) => engine().cancelRun(runId),
    nextRuns(task, count) {
      if (!started || task.status !== 'active') return [];
      const first = engine().nextScheduledForNs(task.id);
      if (first === undefined) return [];
      const schedule = taskSchedule(taskOptionsOf(task, clock.nowNs()), task.latestScheduledNs);
      const out = [first];
      while (out.length < count) out.push(schedule.next(out[out.length - 1]!));
      return out;
    },
    invokeScript: (script, params, auth, signal, sink) =>
      invokeScript(meta, options.query, { script: script.script, orgID: script.orgID, params, auth, nowNs: clock.nowNs(), signal }, sink),
  };

  return {
    name: 'tasks',
    routes: () => [...taskRoutes(runtime), ...scriptRoutes(runtime)],
    async start() {
      scheduler = new Scheduler({
        clock,
        store: meta.runs,
        runFlux: makeRunFlux(meta, runQuery),
        maxConcurrentRuns,
        // Runs finishing on the same storage group commit share one SQLite commit too.
        groupCommit: true,
        ...(options.defaultCatchup === undefined ? {} : { defaultCatchup: options.defaultCatchup }),
        checkpoints: {
          latestScheduled: (taskId, scheduledForNs) => meta.tasks.advanceLatestScheduled(taskId, scheduledForNs),
          latestScheduledMany: (taskIds, scheduledForNs) => meta.tasks.advanceLatestScheduledMany(taskIds, scheduledForNs),
          runFinished: (run, logs) => {
            // A run canceled before it started never ran: it leaves the task's last-run state alone.
            const ran = run.startedAtNs !== undefined;
            if (run.status === 'success' || run.status === 'failed' || (run.status === 'canceled' && ran)) {
              meta.tasks.recordRunFinished(run.taskId, {
                status: run.status,
                scheduledForNs: run.scheduledForNs,
                ...(run.error === undefined ? {} : { error: run.error }),
              });
            }
            recordToTasksBucket(run, logs);
          },
        },
        metrics: options.observer === undefined ? metrics : teeMetrics(metrics, options.observer),
        logger: log,
      });
      const active: SchedulableTask[] = [];
      for (const task of meta.tasks.list({ status: 'active' })) {
        try {
          active.push(schedulable(task));
        } catch (e) {
          log.error({ err: e, taskID: task.id }, 'task not scheduled: its options are invalid');
        }
      }
      scheduler.start(active);
      started = true;
      sweepRetention();
      log.info({ tasks: active.length }, 'task scheduler started');
    },
    async stop() {
      retentionTimer?.cancel();
      retentionTimer = undefined;
      started = false;
      await scheduler?.stop();
      runController.close();
      await points.drain();
    },
  };
}

/** Both receive every event. */
function teeMetrics(a: SchedulerMetrics, b: SchedulerMetrics): SchedulerMetrics {
  return {
    runQueued: (e) => (a.runQueued(e), b.runQueued(e)),
    runStarted: (e) => (a.runStarted(e), b.runStarted(e)),
    runFinished: (e) => (a.runFinished(e), b.runFinished(e)),
    attemptFailed: (e) => (a.attemptFailed(e), b.attemptFailed(e)),
    slotsSkipped: (e) => (a.slotsSkipped(e), b.slotsSkipped(e)),
  };
}
