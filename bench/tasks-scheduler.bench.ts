// Task scheduler figures (issue 6): thousands of tasks due at the same instant must run through
// the global cap without exhausting memory, and catch-up/cron arithmetic must stay cheap.
//
// 1. Dispatch throughput: 10,000 tasks due at :00, global cap 100, a RunFlux that succeeds at once.
//    Baseline: the bare persistence work of the same runs (create + 2 transitions + 2 log writes in
//    the same MemoryRunStore), so the ratio is the scheduler's own overhead.
// 2. Memory per task with a queued run: heap growth while 10,000 tasks each have a run waiting for
//    the cap (RunFlux held open). Counts the task's scheduler entry, its run record and logs in the
//    MemoryRunStore, and the waiting machinery. Target ≤ 4 KB (10,000 tasks due at once ≈ 40 MB).
// 3. Cron next() in America/New_York vs the same expression in UTC (Intl offset lookups cost).
// 4. Creating and queuing 10,000 due runs: the timer callback alone (runs created in the server's
//    SQLite run store on a real file, checkpoints included, handed to the executor), which must
//    stay far below the 250 ms start-delay target. Baseline: the same runs created one commit each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../src/core/clock.js';
import { MetaStore } from '../src/meta/meta-store.js';
import { parseDuration } from '../src/core/duration.js';
import { MemoryRunStore } from '../src/tasks/memory-run-store.js';
import { validateTaskOptions } from '../src/tasks/options/task-options.js';
import { transitionTo, type RunRecord } from '../src/tasks/run-lifecycle.js';
import type { RunFlux } from '../src/tasks/run-flux.js';
import { Scheduler, type SchedulableTask } from '../src/tasks/scheduler.js';
import { CronSchedule } from '../src/tasks/schedule/cron-schedule.js';
import { TimeZone } from '../src/tasks/schedule/time-zone.js';
import { medianMs, type BenchSuite } from './harness.js';

const TASKS = 10_000;
const CAP = 100;
const START_MS = Date.UTC(2026, 2, 4, 14, 59, 59);

function tasks(n: number): SchedulableTask[] {
  const options = validateTaskOptions({ name: 'bench', every: parseDuration('1h') }, BigInt(START_MS) * 1_000_000n);
  return Array.from({ length: n }, (_, i) => ({
    id: (i + 1).toString(16).padStart(16, '0'),
    script: 'from(bucket: "b") |> range(start: -1h) |> to(bucket: "c")',
    options,
    authorization: undefined,
    latestScheduledNs: BigInt(START_MS) * 1_000_000n,
  }));
}

async function dispatchAllMs(): Promise<number> {
  const clock = new FakeClock(START_MS);
  const store = new MemoryRunStore();
  let finished = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  const scheduler = new Scheduler({
    clock,
    store,
    runFlux: () => Promise.resolve({}),
    maxConcurrentRuns: CAP,
    checkpoints: { latestScheduled: () => undefined, runFinished: () => (++finished === TASKS ? resolveAll() : undefined) },
  });
  scheduler.start(tasks(TASKS));
  const t0 = process.hrtime.bigint();
  clock.advance(1000);
  await all;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await scheduler.stop();
  return ms;
}

function baselinePersistMs(): number {
  const store = new MemoryRunStore();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < TASKS; i++) {
    const run: RunRecord = { id: i.toString(16).padStart(16, '0'), taskId: 'x', status: 'scheduled', trigger: 'schedule', scheduledForNs: 1n, runAtNs: 1n };
    store.createRun(run);
    const started = transitionTo(run, 'started', 2n);
    store.saveTransition(started, [{ runId: run.id, timeNs: 2n, message: 'Started task from script: "…"' }]);
    store.saveTransition(transitionTo(started, 'success', 3n), [{ runId: run.id, timeNs: 3n, message: 'Completed(success)' }]);
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function bytesPerQueuedRun(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const clock = new FakeClock(START_MS);
  const store = new MemoryRunStore();
  const held: (() => void)[] = [];
  const runFlux: RunFlux = () => new Promise((resolve) => held.push(() => resolve({})));
  const scheduler = new Scheduler({ clock, store, runFlux, maxConcurrentRuns: CAP });
  const list = tasks(TASKS);
  await collect(gc);
  const before = process.memoryUsage().heapUsed;
  scheduler.start(list);
  clock.advance(1000);
  await collect(gc);
  const after = process.memoryUsage().heapUsed;
  const queued = scheduler.waitingCount + scheduler.runningCount;
  const stopped = scheduler.stop();
  for (const release of held) release();
  await stopped;
  return (after - before) / queued;
}

/** Several full collections with turns of the event loop between (weak refs and finalizers settle). */
async function collect(gc: (() => void) | undefined): Promise<void> {
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 5; j++) await new Promise<void>((r) => setImmediate(r));
    gc?.();
  }
}

function cronNextsPerSecond(zone: TimeZone): number {
  const schedule = CronSchedule.parse('*/5 * * * *', zone);
  let t = BigInt(START_MS) * 1_000_000n;
  const n = 20_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) t = schedule.next(t);
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** A real metadata DB in a temp dir with `n` tasks; `fn` gets it, then it is removed. */
async function withMeta<T>(n: number, fn: (meta: MetaStore, list: SchedulableTask[]) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-dispatch-'));
  const meta = MetaStore.open(join(dir, 'meta.db'), { clock: new FakeClock(START_MS) });
  try {
    const orgID = meta.orgs.create({ name: 'bench' }).id;
    const base = tasks(n);
    const list = base.map((t) => ({ ...t, id: meta.tasks.create({ orgID, ownerID: 'u', name: 'bench', flux: t.script }).id }));
    return await fn(meta, list);
  } finally {
    meta.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds the timer callback takes to create and queue every run due at one instant. */
async function queueDueRunsMs(): Promise<number> {
  return withMeta(TASKS, async (meta, list) => {
    const clock = new FakeClock(START_MS);
    // Runs succeed at once: only the callback's synchronous part is timed.
    const runFlux: RunFlux = () => Promise.resolve({});
    const scheduler = new Scheduler({
      clock,
      store: meta.runs,
      runFlux,
      maxConcurrentRuns: CAP,
      checkpoints: { latestScheduled: (id, ns) => meta.tasks.advanceLatestScheduled(id, ns), runFinished: () => undefined },
    });
    scheduler.start(list);
    const t0 = process.hrtime.bigint();
    clock.advance(1000); // fires the one timer: every task's run is created and queued synchronously
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (scheduler.waitingCount + scheduler.runningCount !== TASKS) throw new Error('not every run was queued');
    await scheduler.stop();
    return ms;
  });
}

/** The same runs and checkpoints written one commit each (what dispatch cost before batching). */
async function createRunsOneCommitEachMs(): Promise<number> {
  return withMeta(TASKS, (meta, list) => {
    const t0 = process.hrtime.bigint();
    for (const [i, task] of list.entries()) {
      const at = BigInt(START_MS + 1000) * 1_000_000n;
      meta.runs.createRun({ id: (i + 1).toString(16).padStart(16, '0'), taskId: task.id, status: 'scheduled', trigger: 'schedule', scheduledForNs: at, runAtNs: at });
      meta.tasks.advanceLatestScheduled(task.id, at);
    }
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
}

/** Median of what `fn` returns (a duration it measured itself, excluding its setup). */
async function medianOf(fn: () => Promise<number>, runs: number): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await fn());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

const suite: BenchSuite = {
  name: 'tasks-scheduler',
  async run(report) {
    const baseline = await medianMs(() => baselinePersistMs(), 3);
    const dispatch = await medianMs(() => dispatchAllMs(), 3);
    report({
      name: `${TASKS} tasks due at once, cap ${CAP}: all runs completed`,
      value: dispatch,
      unit: 'ms',
      baseline: { name: 'bare run persistence (create + 2 transitions)', value: baseline },
      target: '<= 2000',
      ok: dispatch <= 2000,
    });
    if ((globalThis as { gc?: unknown }).gc === undefined) throw new Error('run with node --expose-gc (npm run bench does)');
    const bytes = await bytesPerQueuedRun();
    report({ name: `heap per task with a run waiting for the cap (${TASKS} tasks)`, value: bytes, unit: 'bytes', target: '<= 4096', ok: bytes <= 4096 });
    const oneEach = await medianOf(createRunsOneCommitEachMs, 3);
    const queue = await medianOf(queueDueRunsMs, 3);
    report({
      name: `${TASKS} due runs created (SQLite run store, file) and queued in one timer callback`,
      value: queue,
      unit: 'ms',
      baseline: { name: 'the same runs + checkpoints, one commit each', value: oneEach },
      target: '<= 100',
      ok: queue <= 100,
    });
    const utc = cronNextsPerSecond(TimeZone.utc);
    const ny = cronNextsPerSecond(TimeZone.of('America/New_York'));
    report({ name: 'cron next() in America/New_York', value: ny, unit: 'slots/s', baseline: { name: 'same cron in UTC', value: utc }, target: '>= 10000', ok: ny >= 10_000 });
  },
};

export default suite;
