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
import { FakeClock } from '../src/core/clock.js';
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
    const utc = cronNextsPerSecond(TimeZone.utc);
    const ny = cronNextsPerSecond(TimeZone.of('America/New_York'));
    report({ name: 'cron next() in America/New_York', value: ny, unit: 'slots/s', baseline: { name: 'same cron in UTC', value: utc }, target: '>= 10000', ok: ny >= 10_000 });
  },
};

export default suite;
