import type { Clock, TimerHandle } from '../core/clock.js';
import { addDuration } from '../core/duration.js';
import { conflict, invalid, notFound } from '../core/errors.js';
import type { Id } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { formatRfc3339Nano } from '../core/time.js';
import { planCatchup } from './catchup-plan.js';
import { DueQueue } from './due-queue.js';
import { DEFAULT_RETRY_BACKOFF, RunExecutor, type ExecutableTask, type RetryBackoff } from './executor.js';
import { FairQueue, type ReleaseSlot } from './fair-queue.js';
import { WriteGroup } from './write-group.js';
import type { CatchupPolicy } from './options/task-options.js';
import { timeOrderedIds } from './run-ids.js';
import { RunInterrupt } from './run-interrupt.js';
import { dueAtNs, transitionTo, type RunLogEntry, type RunRecord } from './run-lifecycle.js';
import type { RunFlux } from './run-flux.js';
import type { RunStore } from './run-store.js';
import type { SchedulerMetrics } from './scheduler-metrics.js';
import type { Schedule } from './schedule/schedule.js';
import { taskSchedule } from './schedule/task-schedule.js';

/** An active task as the scheduler needs it. */
export interface SchedulableTask extends ExecutableTask {
  /**
   * The last slot already dispatched (InfluxDB's latestScheduled), or the task's creation time
   * if none: the first slot considered is the first one strictly after it. Preserve it across
   * restarts and de/re-activation to have missed slots caught up.
   */
  readonly latestScheduledNs: bigint;
}

/** Where task-level progress is persisted (the task row in the metadata store). */
export interface TaskCheckpoints {
  /** A slot was dispatched (run created) or recorded as skipped. Only moves forward. */
  latestScheduled(taskId: Id, scheduledForNs: bigint): void;
  /** Optional: `latestScheduled` for many tasks dispatched for the same slot, in one go. */
  latestScheduledMany?(taskIds: readonly Id[], scheduledForNs: bigint): void;
  /**
   * A run reached a terminal state: update latestCompleted, lastRunStatus, lastRunError,
   * latestSuccess. Called inside the write that persists the run's final state. `logs`: all of
   * the run's log lines in order when the scheduler knows them (a run created by this process),
   * undefined otherwise (read them from the RunStore if needed).
   */
  runFinished(run: RunRecord, logs?: readonly RunLogEntry[]): void;
}

export interface SchedulerOptions {
  readonly clock: Clock;
  readonly store: RunStore;
  readonly runFlux: RunFlux;
  /** Global cap on runs executing at once, across all tasks. Default 100 (InfluxDB's worker count). */
  readonly maxConcurrentRuns?: number;
  /** Most missed slots caught up per task under policy `all`; older ones are recorded as skipped. Default 1000. */
  readonly catchupLimit?: number;
  /** Policy for tasks whose options do not set `catchup`. Default `all`. */
  readonly defaultCatchup?: CatchupPolicy;
  readonly retryBackoff?: RetryBackoff;
  /** Time limit per attempt; see RunExecutorDeps.attemptTimeoutMs. Default: none. */
  readonly attemptTimeoutMs?: number;
  /** See RunExecutorDeps.abandonAfterMs. Default 30 s. */
  readonly abandonAfterMs?: number;
  readonly checkpoints?: TaskCheckpoints;
  /**
   * Group commit: run transitions (and the task checkpoint of a finished run) of runs progressing
   * at the same time are committed in one store batch per event-loop turn (see WriteGroup); each
   * run still waits for its own commit before it goes on. Default false: one commit per write,
   * synchronously. A function is used to schedule the flush instead of `setImmediate` (tests).
   */
  readonly groupCommit?: boolean | ((flush: () => void) => void);
  readonly metrics?: SchedulerMetrics;
  readonly logger?: Logger;
  readonly newId?: () => Id;
}

interface ActiveRun {
  readonly interrupt: RunInterrupt;
  /** The run's execution; undefined while it waits for its first global slot. */
  done: Promise<RunRecord> | undefined;
}

interface TaskEntry {
  task: SchedulableTask;
  schedule: Schedule;
  /** Last slot dispatched or skipped; the next slot is `schedule.next(cursorNs)`. */
  cursorNs: bigint;
  /** Cached `schedule.next(cursorNs)`; undefined if the schedule has no further slot. */
  nextSlotNs: bigint | undefined;
  /** Materialised runs waiting for one of the task's concurrency slots: manual runs and runs recovered on start. */
  pending: RunRecord[];
  /** Runs holding one of the task's concurrency slots (queued for the global cap, executing, or backing off). */
  readonly active: Map<Id, ActiveRun>;
  /** False once unscheduled; the entry lives on until its active runs finish. */
  scheduled: boolean;
}

const RETRY_DISPATCH_NS = 1_000_000_000n;
/** Runs a timer wake-up creates with one `createRuns` (and hands to the executor after it). */
const DISPATCH_CHUNK = 512;

/** A run decided by a timer wake-up, waiting for `flushDispatch`. */
interface Dispatched {
  readonly entry: TaskEntry;
  readonly run: RunRecord;
  readonly active: ActiveRun;
  /** A new scheduled run (to be created, with its task's checkpoint); false: it already exists. */
  readonly create: boolean;
  /** The task's cursor before this run's slot (restored if the run cannot be created). */
  readonly prevCursorNs: bigint;
}
/** A run's first wait for a global slot ended by a cancel or stop (the executor checks which). */
const WAIT_ENDED = new Error('wait for an execution slot ended');
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
/** A timer this late is treated as an outage (catch-up policy applies), not as ordinary jitter. */
const LATE_WAKEUP_NS = 60_000_000_000n;

type Lifecycle = 'new' | 'running' | 'stopping' | 'stopped';

/**
 * The task scheduler. Time comes only from the injected Clock (one timer for all tasks), Flux
 * runs through the injected RunFlux.
 *
 * - A task's slots come from its schedule; a slot's run may start at `scheduledFor + offset`.
 * - At most `concurrency` runs of a task hold a slot at once, oldest scheduledFor first; the
 *   next scheduled slot is only materialised when a slot is free, so a backlog costs no memory.
 * - All runs share `maxConcurrentRuns` execution slots, granted round-robin across tasks.
 * - On start and on (re)scheduling, missed slots follow the catch-up policy; skipped ones are
 *   recorded in the RunStore with a reason. Runs left `scheduled`/`started` by a previous process
 *   are run again.
 *
 * Threading: all state changes happen synchronously on the event loop, each followed by its
 * synchronous RunStore write, so no await separates a decision from its persistence. A timer
 * wake-up writes everything it decides in one store batch. With `groupCommit`, a run's own
 * transitions are committed in a batch shared with other runs, and the run awaits that commit
 * before it goes on (executes, or counts as finished).
 */
export class Scheduler {
  private lifecycle: Lifecycle = 'new';
  private readonly tasks = new Map<Id, TaskEntry>();
  private readonly due = new DueQueue();
  private readonly fair: FairQueue;
  private readonly executor: RunExecutor;
  private readonly inflight = new Set<Promise<RunRecord>>();
  private timer: TimerHandle | undefined;
  private timerDueNs: bigint | undefined;
  /** While true (start, timer callback), `rearm` is deferred to the end of the batch. */
  private batching = false;
  private readonly clock: Clock;
  private readonly store: RunStore;
  private readonly logger: Logger;
  private readonly catchupLimit: number;
  private readonly defaultCatchup: CatchupPolicy;
  private readonly makeId: () => Id;
  /** Group commit's scheduling of deferred work (undefined: group commit off). */
  private readonly deferredPump: ((fn: () => void) => void) | undefined;
  private readonly toPump = new Set<TaskEntry>();
  /**
   * While a timer wake-up dispatches: runs decided but not yet handed to the executor, each
   * holding its place in its task's `active` (see `flushDispatch`).
   */
  private dispatching: Dispatched[] | undefined;
  /** Runs left unfinished by a previous process (they may have log lines from it). */
  private readonly recovered = new WeakSet<RunRecord>();
  private pumpScheduled = false;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock;
    this.store = options.store;
    this.logger = options.logger ?? silentLogger();
    this.catchupLimit = options.catchupLimit ?? 1000;
    this.defaultCatchup = options.defaultCatchup ?? 'all';
    this.makeId = options.newId ?? timeOrderedIds();
    this.fair = new FairQueue(options.maxConcurrentRuns ?? 100);
    const group = options.groupCommit;
    this.deferredPump = group === undefined || group === false ? undefined : group === true ? (f) => void setImmediate(f) : group;
    this.executor = new RunExecutor({
      clock: options.clock,
      store: options.store,
      runFlux: options.runFlux,
      backoff: options.retryBackoff ?? DEFAULT_RETRY_BACKOFF,
      ...(options.attemptTimeoutMs !== undefined ? { attemptTimeoutMs: options.attemptTimeoutMs } : {}),
      ...(options.abandonAfterMs !== undefined ? { abandonAfterMs: options.abandonAfterMs } : {}),
      ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
      ...(this.deferredPump === undefined ? {} : { writeGroup: new WriteGroup(options.store, this.deferredPump) }),
      onFinished: (run, logs) => this.recordFinished(run, logs),
    });
  }

  /**
   * With group commit: tasks whose run just finished get their next runs in one batch after this
   * turn of the event loop, so runs finishing together (a catch-up, a steady stream) create their
   * successors in one commit instead of one each.
   */
  private pumpSoon(entry: TaskEntry): void {
    this.toPump.add(entry);
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    this.deferredPump!(() => {
      this.pumpScheduled = false;
      const entries = [...this.toPump];
      this.toPump.clear();
      if (this.lifecycle !== 'running') return;
      this.batching = true;
      try {
        this.atomically(() => {
          for (const e of entries) if (this.tasks.get(e.task.id) === e) this.guarded(e.task.id, () => this.pump(e));
        });
      } catch (err) {
        this.logger.error({ err }, 'next runs could not be persisted');
      } finally {
        this.batching = false;
      }
      this.rearm();
    });
  }

  /** The task's checkpoint for a run that reached a terminal state (in the commit that ends it). */
  private recordFinished(run: RunRecord, logs: readonly RunLogEntry[] | undefined): void {
    try {
      this.options.checkpoints?.runFinished(run, logs);
    } catch (e) {
      // The run's own record is what matters; the task's last-run fields catch up on its next run.
      this.logger.error({ taskId: run.taskId, runId: run.id, err: e }, 'task checkpoint for a finished run failed');
    }
  }

  /** Runs executing now (holding a global slot). */
  get runningCount(): number {
    return this.fair.running;
  }

  /** Tasks the scheduler holds (scheduled, or unscheduled with runs still in progress). */
  get taskCount(): number {
    return this.tasks.size;
  }

  /** Runs admitted by their task but waiting for a global slot. */
  get waitingCount(): number {
    return this.fair.waiting;
  }

  /**
   * Starts scheduling `tasks` (the active ones). Runs a previous process left unfinished are run
   * again (their tasks first, oldest first); those of tasks not given here are canceled with a
   * log line saying why.
   */
  start(tasks: readonly SchedulableTask[]): void {
    if (this.lifecycle !== 'new') throw invalid(`scheduler cannot start when ${this.lifecycle}`);
    this.lifecycle = 'running';
    const byTask = new Map<Id, RunRecord[]>();
    for (const run of this.store.findUnfinishedRuns()) {
      this.recovered.add(run);
      const list = byTask.get(run.taskId) ?? [];
      list.push(run);
      byTask.set(run.taskId, list);
    }
    this.batching = true;
    try {
      this.atomically(() => {
        const known = new Set(tasks.map((t) => t.id));
        for (const [taskId, runs] of byTask) {
          if (known.has(taskId)) continue;
          for (const run of runs) this.cancelPending(run, 'Run canceled: its task is no longer active');
        }
        for (const task of tasks) {
          const recovered = byTask.get(task.id) ?? [];
          // Slots already materialised by the previous process are not caught up a second time.
          let latest = task.latestScheduledNs;
          for (const r of recovered) if (r.trigger === 'schedule' && r.scheduledForNs > latest) latest = r.scheduledForNs;
          // One broken task must not keep the others from being scheduled.
          this.guarded(task.id, () => this.upsert({ ...task, latestScheduledNs: latest }, recovered));
        }
      });
    } finally {
      this.batching = false;
    }
    this.rearm();
  }

  /**
   * Adds a task, or updates one already scheduled (new script/options apply to runs not yet
   * started). Slots after `latestScheduledNs` already past follow the catch-up policy.
   */
  schedule(task: SchedulableTask): void {
    this.assertRunning();
    this.upsert(task, []);
  }

  /**
   * Stops scheduling a task (deactivated or deleted). Runs in progress finish; manual runs not
   * yet started are canceled with a log line.
   */
  unschedule(taskId: Id): void {
    const entry = this.tasks.get(taskId);
    if (entry === undefined) return;
    entry.scheduled = false;
    for (const run of entry.pending.splice(0)) this.cancelPending(run, 'Run canceled: task is no longer active');
    this.due.delete(taskId);
    this.rearm();
    this.dropIfIdle(entry);
  }

  /**
   * A manual run (POST /tasks/{id}/runs, or a retry): `now()` will be `scheduledForNs` (default:
   * now), truncated to whole seconds; it starts once that time has come and a concurrency slot
   * of the task is free. An inactive task (not scheduled) runs too when its definition is given
   * (beyond InfluxDB, which refuses): it gets an unscheduled entry that is dropped once idle.
   * Throws `invalid` (`inactive task`) if the task is unknown and no definition is given, and
   * `conflict` (`run already queued`) if a manual run for the same time is still queued.
   */
  requestRun(taskId: Id, scheduledForNs?: bigint, definition?: SchedulableTask): RunRecord {
    this.assertRunning();
    let entry = this.tasks.get(taskId);
    if (entry === undefined && definition !== undefined) {
      const schedule = taskSchedule(definition.options, definition.latestScheduledNs);
      entry = { task: definition, schedule, cursorNs: definition.latestScheduledNs, nextSlotNs: undefined, pending: [], active: new Map(), scheduled: false };
      this.tasks.set(taskId, entry);
    }
    if (entry === undefined) throw invalid('inactive task');
    const nowNs = this.clock.nowNs();
    const at = truncateToSecond(scheduledForNs ?? nowNs);
    if (entry.pending.some((r) => r.trigger === 'manual' && r.scheduledForNs === at)) throw conflict('run already queued');
    const run: RunRecord = {
      id: this.makeId(),
      taskId,
      status: 'scheduled',
      trigger: 'manual',
      scheduledForNs: at,
      runAtNs: at,
      requestedAtNs: nowNs,
    };
    this.store.createRun(run);
    entry.pending.push(run);
    sortPending(entry.pending);
    this.pump(entry);
    return run;
  }

  /**
   * Backfill (InfluxDB has none, influxdata/influxdb#10752): one manual run per slot of the task's
   * schedule with `fromNs <= scheduledFor < toNs`, oldest first, each with `now()` = its slot.
   * They share the task's concurrency and the global cap like any run. At most `catchupLimit`
   * runs per request (`invalid` otherwise); slots that already have a queued manual run are left
   * out rather than duplicated.
   */
  requestBackfill(taskId: Id, fromNs: bigint, toNs: bigint): RunRecord[] {
    this.assertRunning();
    const entry = this.tasks.get(taskId);
    if (entry === undefined || !entry.scheduled) throw invalid('inactive task');
    if (toNs <= fromNs) throw invalid('backfill stop must be later than start');
    const slots: bigint[] = [];
    for (let slot = entry.schedule.next(fromNs - 1n); slot < toNs; slot = entry.schedule.next(slot)) {
      if (slots.length === this.catchupLimit) {
        throw invalid(`backfill would create more than ${this.catchupLimit} runs; request a shorter range`);
      }
      slots.push(slot);
    }
    const nowNs = this.clock.nowNs();
    const queued = new Set(entry.pending.filter((r) => r.trigger === 'manual').map((r) => r.scheduledForNs));
    const runs: RunRecord[] = [];
    this.atomically(() => {
      for (const slot of slots) {
        if (queued.has(slot)) continue;
        const run: RunRecord = { id: this.makeId(), taskId, status: 'scheduled', trigger: 'manual', scheduledForNs: slot, runAtNs: slot, requestedAtNs: nowNs };
        this.store.createRun(run);
        runs.push(run);
      }
    });
    entry.pending.push(...runs);
    sortPending(entry.pending);
    this.pump(entry);
    return runs;
  }

  /**
   * Cancels a run that has not finished; resolves with its final record (status `canceled`, or
   * whatever it reached if it finished first). Throws `not found` (`run not found`) otherwise.
   */
  cancelRun(runId: Id): Promise<RunRecord> {
    for (const entry of this.tasks.values()) {
      const active = entry.active.get(runId);
      if (active !== undefined) {
        // A run still waiting for a global slot is handed to the executor by the cancel itself.
        active.interrupt.cancel();
        return active.done!;
      }
      const i = entry.pending.findIndex((r) => r.id === runId);
      if (i >= 0) {
        const [run] = entry.pending.splice(i, 1);
        const done = this.cancelPending(run!, 'Run canceled');
        this.pump(entry);
        return Promise.resolve(done);
      }
    }
    return Promise.reject(notFound('run not found'));
  }

  /** The next slot the task will run (scheduledFor), for display; undefined if none or unknown. */
  nextScheduledForNs(taskId: Id): bigint | undefined {
    const entry = this.tasks.get(taskId);
    return entry?.scheduled === true ? entry.nextSlotNs : undefined;
  }

  /**
   * Stops: no new runs start; runs waiting or backing off stay persisted for the next start;
   * resolves when executing attempts have finished.
   */
  async stop(): Promise<void> {
    if (this.lifecycle === 'stopped' || this.lifecycle === 'stopping') return;
    this.lifecycle = 'stopping';
    this.timer?.cancel();
    this.timer = undefined;
    for (const entry of this.tasks.values()) for (const active of entry.active.values()) active.interrupt.stop();
    await Promise.allSettled([...this.inflight]);
    this.lifecycle = 'stopped';
  }

  /**
   * Runs `fn` with its store and checkpoint writes committed together when it returns (the
   * store's `batch`; one write each without it). A timer wake-up that dispatches 10,000 due runs
   * is one commit instead of 20,000, so queuing them costs far less than a run does.
   */
  private atomically(fn: () => void): void {
    if (this.store.batch === undefined) fn();
    else this.store.batch(fn);
  }

  /** Runs `fn`; logs and swallows its error. Returns false if it threw. */
  private guarded(taskId: Id, fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (e) {
      this.logger.error({ taskId, err: e }, 'task could not be scheduled');
      return false;
    }
  }

  private assertRunning(): void {
    if (this.lifecycle !== 'running') throw invalid(`scheduler is ${this.lifecycle}`);
  }

  private upsert(task: SchedulableTask, recovered: readonly RunRecord[]): void {
    const existing = this.tasks.get(task.id);
    const cursorNs = existing !== undefined && existing.cursorNs > task.latestScheduledNs ? existing.cursorNs : task.latestScheduledNs;
    const schedule = taskSchedule(task.options, cursorNs);
    const entry: TaskEntry = existing ?? { task, schedule, cursorNs, nextSlotNs: undefined, pending: [], active: new Map(), scheduled: true };
    entry.task = existing !== undefined && existing.task.lastSuccessNs !== undefined && task.lastSuccessNs === undefined ? { ...task, lastSuccessNs: existing.task.lastSuccessNs } : task;
    entry.schedule = schedule;
    entry.cursorNs = cursorNs;
    entry.scheduled = true;
    entry.pending.push(...recovered);
    sortPending(entry.pending);
    this.tasks.set(task.id, entry);
    this.applyCatchup(entry);
    this.pump(entry);
  }

  private applyCatchup(entry: TaskEntry): void {
    const { task } = entry;
    const policy = task.options.catchup ?? this.defaultCatchup;
    const nowNs = this.clock.nowNs();
    let plan;
    try {
      plan = planCatchup(entry.schedule, entry.cursorNs, nowNs, task.options.offset, policy, this.catchupLimit);
    } catch (e) {
      this.logger.error({ taskId: task.id, err: e }, 'task schedule has no next slot');
      entry.nextSlotNs = undefined;
      return;
    }
    if (plan.skipped !== undefined) {
      const { firstNs, lastNs, count } = plan.skipped;
      const missed = `missed ${plan.missed} runs while not being scheduled (server down, task inactive or process stalled)`;
      const reason =
        policy === 'all'
          ? `${missed}; the catch-up limit is ${this.catchupLimit} per task, so the ${count} oldest were skipped`
          : policy === 'latest'
            ? `${missed}; catchup policy "latest" runs only the most recent`
            : `${missed}; catchup policy "skip" runs none of them`;
      this.store.recordSkippedSlots({ taskId: task.id, firstScheduledForNs: firstNs, lastScheduledForNs: lastNs, count, reason, recordedAtNs: nowNs });
      this.options.metrics?.slotsSkipped({ taskId: task.id, count });
      this.options.checkpoints?.latestScheduled(task.id, lastNs);
      this.logger.warn(
        { taskId: task.id, skipped: count, first: formatRfc3339Nano(firstNs), last: formatRfc3339Nano(lastNs) },
        `task slots skipped: ${reason}`,
      );
    }
    entry.cursorNs = plan.resumeAfterNs;
    entry.nextSlotNs = this.nextSlot(entry, entry.cursorNs);
  }

  private nextSlot(entry: TaskEntry, afterNs: bigint): bigint | undefined {
    try {
      return entry.schedule.next(afterNs);
    } catch (e) {
      this.logger.error({ taskId: entry.task.id, err: e }, 'task schedule has no next slot');
      return undefined;
    }
  }

  /** Admits every due run the task has room for, then sets the task's next wake-up. */
  private pump(entry: TaskEntry): void {
    if (this.lifecycle !== 'running') return;
    const nowNs = this.clock.nowNs();
    const { task } = entry;
    while (entry.active.size < task.options.concurrency) {
      const pendingIndex = entry.pending.findIndex((r) => r.runAtNs <= nowNs);
      const pendingRun = pendingIndex >= 0 ? entry.pending[pendingIndex] : undefined;
      const slot = entry.scheduled ? entry.nextSlotNs : undefined;
      const slotDue = slot !== undefined && addDuration(slot, task.options.offset) <= nowNs;
      if (pendingRun !== undefined && (!slotDue || pendingRun.status === 'started' || pendingRun.scheduledForNs <= slot)) {
        entry.pending.splice(pendingIndex, 1);
        if (this.dispatching !== undefined) {
          this.dispatching.push({ entry, run: pendingRun, active: this.reserve(entry, pendingRun), create: false, prevCursorNs: entry.cursorNs });
        } else {
          this.launch(entry, pendingRun);
        }
      } else if (slotDue) {
        const run: RunRecord = {
          id: this.makeId(),
          taskId: task.id,
          status: 'scheduled',
          trigger: 'schedule',
          scheduledForNs: slot,
          runAtNs: addDuration(slot, task.options.offset),
        };
        if (this.dispatching !== undefined) {
          // Created (with the checkpoint) in bulk by flushDispatch, then handed to the executor.
          this.dispatching.push({ entry, run, active: this.reserve(entry, run), create: true, prevCursorNs: entry.cursorNs });
          entry.cursorNs = slot;
          entry.nextSlotNs = this.nextSlot(entry, slot);
          continue;
        }
        this.store.createRun(run);
        entry.cursorNs = slot;
        entry.nextSlotNs = this.nextSlot(entry, slot);
        this.options.checkpoints?.latestScheduled(task.id, slot);
        this.launch(entry, run);
      } else {
        break;
      }
    }
    this.arm(entry, nowNs);
  }

  /**
   * Hands a run to the executor, whose first step is waiting for a global slot. The scheduler's
   * own lateness is measured here, as InfluxDB's treescheduler does just before its executor
   * queue: from when the run was due (scheduledFor + offset; a manual run: the later of that and
   * when it was requested) to now. The wait for the global cap comes after and is measured by
   * the executor as the start delay.
   */
  private launch(entry: TaskEntry, run: RunRecord): void {
    this.handOff(entry, run, this.reserve(entry, run));
  }

  /** Takes one of the task's concurrency slots for `run`. */
  private reserve(entry: TaskEntry, run: RunRecord): ActiveRun {
    const active: ActiveRun = { interrupt: new RunInterrupt(), done: undefined };
    entry.active.set(run.id, active);
    return active;
  }

  /** Queues a reserved run for the global cap (see `launch`). */
  private handOff(entry: TaskEntry, run: RunRecord, active: ActiveRun): void {
    const { interrupt } = active;
    const taskId = entry.task.id;
    this.options.metrics?.runQueued({ taskId, runId: run.id, scheduledForNs: run.scheduledForNs, scheduleDelayNs: this.clock.nowNs() - dueAtNs(run) });
    // The executor takes the run once it holds a global slot (or its wait was ended by a cancel or
    // stop, which the executor handles as a failed acquisition): until then a run costs a waiter.
    this.fair.wait(
      taskId,
      (release) => this.begin(entry, run, active, Promise.resolve(release)),
      () => this.begin(entry, run, active, Promise.reject(WAIT_ENDED)),
      interrupt,
    );
  }

  /**
   * Executes a launched run whose first wait for a global slot ended with `slot`, with the task's
   * definition as it is now (an update made while the run waited applies to it, as to any run not
   * yet started).
   */
  private begin(entry: TaskEntry, run: RunRecord, active: ActiveRun, slot: Promise<ReleaseSlot>): void {
    const { interrupt } = active;
    const task = entry.task;
    let first: Promise<ReleaseSlot> | undefined = slot;
    const done = this.executor
      .execute({
        run,
        task,
        interrupt,
        fresh: !this.recovered.has(run),
        // The first attempt's slot was waited for above; a retry waits again.
        acquireSlot: () => {
          const s = first ?? this.fair.acquire(task.id, interrupt);
          first = undefined;
          return s;
        },
      })
      .catch((e: unknown) => {
        // A store failure: the run stays as last persisted and is resumed by the next start.
        this.logger.error({ taskId: task.id, runId: run.id, err: e }, 'task run aborted by an internal error');
        return run;
      })
      .then((final) => {
        this.finished(entry, run.id, final);
        return final;
      });
    active.done = done;
    this.inflight.add(done);
    void done.finally(() => this.inflight.delete(done));
  }

  private finished(entry: TaskEntry, runId: Id, final: RunRecord): void {
    entry.active.delete(runId);
    if (final.status === 'success' && (entry.task.lastSuccessNs === undefined || final.scheduledForNs > entry.task.lastSuccessNs)) {
      entry.task = { ...entry.task, lastSuccessNs: final.scheduledForNs };
    }
    if (final.status === 'failed') {
      // Failures reach the operator's log too, not only the run history (influxdata/influxdb#19355).
      this.logger.warn(
        { taskId: final.taskId, runId: final.id, scheduledFor: formatRfc3339Nano(final.scheduledForNs), attempts: final.attempts, error: final.error },
        'task run failed',
      );
    }
    if (this.dropIfIdle(entry)) return;
    if (this.deferredPump === undefined) this.pump(entry);
    else this.pumpSoon(entry);
  }

  private cancelPending(run: RunRecord, reason: string): RunRecord {
    const nowNs = this.clock.nowNs();
    const done = transitionTo(run, 'canceled', nowNs, { attempts: 0 });
    this.store.saveTransition(done, [
      { runId: run.id, timeNs: nowNs, message: reason },
      { runId: run.id, timeNs: nowNs, message: 'Completed(canceled)' },
    ]);
    this.options.metrics?.runFinished({ taskId: run.taskId, runId: run.id, scheduledForNs: run.scheduledForNs, status: 'canceled', durationNs: 0n, attempts: 0 });
    this.options.checkpoints?.runFinished(done);
    return done;
  }

  private dropIfIdle(entry: TaskEntry): boolean {
    if (entry.scheduled || entry.active.size > 0 || entry.pending.length > 0) return false;
    this.tasks.delete(entry.task.id);
    return true;
  }

  /** Sets the task's wake-up: the earliest future start among its pending runs and next slot. */
  private arm(entry: TaskEntry, nowNs: bigint): void {
    const id = entry.task.id;
    let wakeNs: bigint | undefined;
    if (entry.active.size < entry.task.options.concurrency) {
      for (const r of entry.pending) if (r.runAtNs > nowNs && (wakeNs === undefined || r.runAtNs < wakeNs)) wakeNs = r.runAtNs;
      if (entry.scheduled && entry.nextSlotNs !== undefined) {
        const at = addDuration(entry.nextSlotNs, entry.task.options.offset);
        if (wakeNs === undefined || at < wakeNs) wakeNs = at;
      }
    }
    // When the task is full, its next wake-up is the end of one of its runs (see `finished`).
    if (wakeNs === undefined) this.due.delete(id);
    else this.due.set(id, wakeNs);
    this.rearm();
  }

  /** Keeps the single clock timer on the earliest wake-up of all tasks. */
  private rearm(): void {
    if (this.lifecycle !== 'running' || this.batching) return;
    const dueNs = this.due.peekDueNs();
    if (dueNs === this.timerDueNs && (this.timer !== undefined || dueNs === undefined)) return;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerDueNs = dueNs;
    if (dueNs === undefined) return;
    const delayNs = dueNs - this.clock.nowNs();
    // setTimeout fires at once for delays above 2^31−1 ms (~24.8 days), which a monthly or yearly
    // task needs: wake up at most that far ahead and re-arm.
    const delayMs = delayNs <= 0n ? 0 : Math.min(MAX_TIMER_DELAY_MS, Number((delayNs + 999_999n) / 1_000_000n));
    this.timer = this.clock.setTimer(delayMs, () => this.onTimer());
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerDueNs = undefined;
    this.batching = true;
    try {
      this.atomically(() => this.dispatchDue());
    } catch (e) {
      // The batch's commit failed (disk error): the runs already launched go on in memory, their
      // later writes fail and they end as last persisted; the slots whose creation was lost are
      // caught up from the task's checkpoint (lost with them) on the next start.
      this.logger.error({ err: e }, 'dispatched runs could not be persisted');
    } finally {
      this.batching = false;
    }
    this.rearm();
  }

  /** Every task whose wake-up has come: catch-up after a stall, then its due runs. */
  private dispatchDue(): void {
    this.dispatching = [];
    try {
      for (const id of this.due.popDue(this.clock.nowNs())) {
        this.dispatchTask(id);
        if (this.dispatching.length >= DISPATCH_CHUNK) this.flushDispatch();
      }
      this.flushDispatch();
    } finally {
      this.dispatching = undefined;
    }
  }

  /**
   * Creates the runs decided so far, then writes their tasks' checkpoints (grouped by slot), then
   * hands them to the executor in the order they were decided: the scheduler's lateness of each
   * run is observed after its creation, as with one `createRun` per run. Each creation is one
   * statement, atomic by itself, with no savepoint around it (in SQLite a savepoint costs about as
   * much as the insert). A task whose run cannot be created gets its slot back (its later runs
   * of this wake-up are not created either) and is tried again a second later; the others go on.
   */
  private flushDispatch(): void {
    const list = this.dispatching!;
    if (list.length === 0) return;
    this.dispatching = [];
    const failed = new Set<TaskEntry>();
    const created = new Set<Dispatched>();
    for (const d of list) {
      if (!d.create || failed.has(d.entry)) continue;
      try {
        this.store.createRun(d.run);
        created.add(d);
      } catch (e) {
        this.logger.error({ taskId: d.run.taskId, err: e }, 'task could not be scheduled');
        failed.add(d.entry);
        d.entry.cursorNs = d.prevCursorNs;
        d.entry.nextSlotNs = d.run.scheduledForNs;
        this.due.set(d.entry.task.id, this.clock.nowNs() + RETRY_DISPATCH_NS);
      }
    }
    try {
      this.checkpointAll(created);
    } catch (e) {
      // The runs exist: they are recovered on a restart even if this wake-up's commit is lost.
      this.logger.error({ err: e }, 'task checkpoints could not be written');
    }
    for (const d of list) {
      if (d.create && !created.has(d)) {
        // Not created (or after one of its task that was not): it gives back its slot.
        d.entry.active.delete(d.run.id);
        continue;
      }
      this.handOff(d.entry, d.run, d.active);
    }
  }

  /** The `latestScheduled` checkpoints of `created`, one call per slot where the checkpoints can. */
  private checkpointAll(created: ReadonlySet<Dispatched>): void {
    const checkpoints = this.options.checkpoints;
    if (checkpoints === undefined) return;
    if (checkpoints.latestScheduledMany === undefined) {
      for (const d of created) checkpoints.latestScheduled(d.run.taskId, d.run.scheduledForNs);
      return;
    }
    const bySlot = new Map<bigint, Id[]>();
    for (const { run } of created) {
      const ids = bySlot.get(run.scheduledForNs);
      if (ids === undefined) bySlot.set(run.scheduledForNs, [run.taskId]);
      else ids.push(run.taskId);
    }
    for (const [slot, ids] of bySlot) checkpoints.latestScheduledMany(ids, slot);
  }

  /** One task whose wake-up has come: catch-up after a stall, then its due runs. */
  private dispatchTask(id: Id): void {
    const entry = this.tasks.get(id);
    // A wake-up far behind its slot means the process was suspended or stalled: the slots
    // missed meanwhile follow the catch-up policy, as after downtime.
    if (entry !== undefined && entry.scheduled && entry.active.size === 0 && entry.nextSlotNs !== undefined) {
      const lateNs = this.clock.nowNs() - addDuration(entry.nextSlotNs, entry.task.options.offset);
      if (lateNs > LATE_WAKEUP_NS) this.guarded(id, () => this.applyCatchup(entry));
    }
    // If dispatching fails (store error), try this task again a second later; the others go on.
    if (entry !== undefined && !this.guarded(id, () => this.pump(entry))) this.due.set(id, this.clock.nowNs() + RETRY_DISPATCH_NS);
  }
}

/** Recovered `started` runs first (they were already running), then oldest scheduledFor first. */
function sortPending(pending: RunRecord[]): void {
  pending.sort((a, b) => {
    if ((a.status === 'started') !== (b.status === 'started')) return a.status === 'started' ? -1 : 1;
    if (a.scheduledForNs !== b.scheduledForNs) return a.scheduledForNs < b.scheduledForNs ? -1 : 1;
    return (a.requestedAtNs ?? 0n) < (b.requestedAtNs ?? 0n) ? -1 : 1;
  });
}

function truncateToSecond(ns: bigint): bigint {
  const r = ns % 1_000_000_000n;
  return r < 0n ? ns - r - 1_000_000_000n : ns - r;
}
