import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { FakeClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { parseDuration } from '../core/duration.js';
import { formatRfc3339Nano, parseRfc3339Ns } from '../core/time.js';
import { MemoryRunStore } from './memory-run-store.js';
import { validateTaskOptions, type ExtractedTaskOptions } from './options/task-options.js';
import type { RunRecord } from './run-lifecycle.js';
import { Scheduler, type SchedulableTask, type SchedulerOptions, type TaskCheckpoints } from './scheduler.js';
import { SchedulerStats } from './scheduler-metrics.js';
import { FakeRunFlux, settle } from './testing/fake-run-flux.js';

const t = parseRfc3339Ns;
const fmt = formatRfc3339Nano;
const ms = (iso: string): number => Number(t(iso) / 1_000_000n);
const SCRIPT = 'option task = {name: "t", every: 1h}\nfrom(bucket: "b") |> range(start: -task.every)';

let taskCounter = 0;
function task(raw: Partial<ExtractedTaskOptions>, latestScheduled: string, id?: string): SchedulableTask {
  const options = validateTaskOptions({ name: 't', ...raw }, t(latestScheduled));
  return {
    id: id ?? (++taskCounter).toString(16).padStart(16, '0'),
    script: SCRIPT,
    options,
    authorization: { token: 'owner' },
    latestScheduledNs: t(latestScheduled),
  };
}

class RecordingCheckpoints implements TaskCheckpoints {
  readonly latest = new Map<string, bigint>();
  readonly finished: RunRecord[] = [];
  latestScheduled(taskId: string, ns: bigint): void {
    const prev = this.latest.get(taskId);
    if (prev !== undefined && ns < prev) throw new Error('latestScheduled moved backwards');
    this.latest.set(taskId, ns);
  }
  runFinished(run: RunRecord): void {
    this.finished.push(run);
  }
}

function setup(start: string, opts: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock(ms(start));
  const store = (opts.store as MemoryRunStore | undefined) ?? new MemoryRunStore();
  const flux = new FakeRunFlux(clock);
  const stats = new SchedulerStats();
  const checkpoints = new RecordingCheckpoints();
  const scheduler = new Scheduler({ clock, store, runFlux: flux.fn, metrics: stats, checkpoints, retryBackoff: { baseMs: 1000, maxMs: 3000 }, ...opts });
  const advanceTo = async (iso: string): Promise<void> => {
    clock.advanceTo(ms(iso));
    await settle();
  };
  const advance = async (deltaMs: number): Promise<void> => {
    clock.advance(deltaMs);
    await settle();
  };
  const logs = (runId: string): string[] => store.listLogs(runId).map((l) => l.message);
  const nows = (): string[] => flux.calls.map((c) => fmt(c.request.nowNs));
  return { clock, store, flux, stats, checkpoints, scheduler, advanceTo, advance, logs, nows };
}

describe('Scheduler: slots, offset and now()', () => {
  it('first run is the first aligned slot after creation; now() is scheduledFor; InfluxDB log lines', async () => {
    const s = setup('2026-03-04T14:37:12Z');
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:37:12Z');
    s.scheduler.start([tk]);
    expect(fmt(s.scheduler.nextScheduledForNs(tk.id)!)).toBe('2026-03-04T15:00:00Z');
    await s.advanceTo('2026-03-04T14:59:59Z');
    expect(s.flux.calls).toHaveLength(0);
    await s.advanceTo('2026-03-04T15:00:00Z');
    expect(s.nows()).toEqual(['2026-03-04T15:00:00Z']);
    const call = s.flux.calls[0]!;
    expect(call.request.authorization).toEqual({ token: 'owner' });
    expect(call.request.taskOptions.name).toBe('t');
    call.request.log('hello from the script');
    call.succeed();
    await settle();
    const [run] = s.store.listRuns(tk.id);
    expect(run).toMatchObject({ status: 'success', trigger: 'schedule', scheduledForNs: t('2026-03-04T15:00:00Z'), attempts: 1 });
    expect(s.logs(run!.id)).toEqual([
      'Started task from script: "option task = {name: \\"t\\", every: 1h}\\nfrom(bucket: \\"b\\") |> range(start: -task.every)"',
      'hello from the script',
      'Completed(success)',
    ]);
    expect(s.checkpoints.latest.get(tk.id)).toBe(t('2026-03-04T15:00:00Z'));
    expect(s.checkpoints.finished.map((r) => r.status)).toEqual(['success']);
    await s.advanceTo('2026-03-04T16:00:00Z');
    expect(s.nows()).toEqual(['2026-03-04T15:00:00Z', '2026-03-04T16:00:00Z']);
    expect(s.flux.calls[1]!.request.lastSuccessNs).toBe(t('2026-03-04T15:00:00Z'));
  });

  it.each([
    { name: 'positive offset delays the start, not now()', offset: '10m', startsAt: '2026-03-04T15:10:00Z', notBefore: '2026-03-04T15:09:59Z' },
    { name: 'negative offset starts before scheduledFor', offset: '-5m', startsAt: '2026-03-04T14:55:00Z', notBefore: '2026-03-04T14:54:59Z' },
  ])('$name', async ({ offset, startsAt, notBefore }) => {
    const s = setup('2026-03-04T14:37:12Z');
    const tk = task({ every: parseDuration('1h'), offset: parseDuration(offset) }, '2026-03-04T14:37:12Z');
    s.scheduler.start([tk]);
    await s.advanceTo(notBefore);
    expect(s.flux.calls).toHaveLength(0);
    await s.advanceTo(startsAt);
    expect(s.flux.calls.map((c) => new Date(c.atMs).toISOString().replace('.000', ''))).toEqual([startsAt]);
    expect(s.nows()).toEqual(['2026-03-04T15:00:00Z']);
    expect(s.store.listRuns(tk.id)[0]!.runAtNs).toBe(t(startsAt));
    expect([s.stats.scheduleDelay.sumSeconds, s.stats.startDelay.sumSeconds]).toEqual([0, 0]);
  });

  it('cron in the task location (09:00 New York is 14:00Z in winter, 13:00Z in summer)', async () => {
    const s = setup('2026-03-06T00:00:00Z');
    const tk = task({ cron: '0 9 * * *', location: 'America/New_York', concurrency: 5 }, '2026-03-06T00:00:00Z');
    s.flux.auto = () => undefined;
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-10T00:00:00Z');
    expect(s.nows()).toEqual(['2026-03-06T14:00:00Z', '2026-03-07T14:00:00Z', '2026-03-08T13:00:00Z', '2026-03-09T13:00:00Z']);
  });
});

describe('Scheduler: concurrency', () => {
  it('concurrency 1: runs of a task are serial and in slot order, however long they take', async () => {
    const s = setup('2026-03-04T14:59:00Z');
    const tk = task({ every: parseDuration('1m') }, '2026-03-04T14:59:00Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    expect(s.flux.open).toHaveLength(1);
    // The run takes 3.5 minutes: slots 15:01..15:03 wait; none is lost.
    await s.advanceTo('2026-03-04T15:03:30Z');
    expect(s.flux.open).toHaveLength(1);
    s.flux.open[0]!.succeed();
    await settle();
    expect(s.nows()).toEqual(['2026-03-04T15:00:00Z', '2026-03-04T15:01:00Z']);
    s.flux.open[0]!.succeed();
    await settle();
    s.flux.open[0]!.succeed();
    await settle();
    s.flux.open[0]!.succeed();
    await settle();
    expect(s.nows()).toEqual(['2026-03-04T15:00:00Z', '2026-03-04T15:01:00Z', '2026-03-04T15:02:00Z', '2026-03-04T15:03:00Z']);
    expect(s.flux.maxOpen).toBe(1);
    await s.advanceTo('2026-03-04T15:04:00Z');
    expect(s.nows().at(-1)).toBe('2026-03-04T15:04:00Z');
    // Late starts are measured: the 15:01 run started 2.5 minutes late. Its slot was only
    // materialised when the task had room, so the scheduler was as late as the start.
    expect(s.stats.startDelay.count).toBe(5);
    expect(s.stats.startDelay.sumSeconds).toBe(150 + 90 + 30);
    expect(s.stats.scheduleDelay.count).toBe(5);
    expect(s.stats.scheduleDelay.sumSeconds).toBe(150 + 90 + 30);
  });

  it.each([2, 3])('concurrency %i: at most that many runs of the task overlap', async (concurrency) => {
    const s = setup('2026-03-04T14:59:30Z');
    const tk = task({ every: parseDuration('10s'), concurrency }, '2026-03-04T14:59:30Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:01:00Z');
    expect(s.flux.open).toHaveLength(concurrency);
    expect(s.nows()).toEqual(['2026-03-04T14:59:40Z', '2026-03-04T14:59:50Z', '2026-03-04T15:00:00Z'].slice(0, concurrency));
    s.flux.open[0]!.succeed();
    await settle();
    expect(s.flux.open).toHaveLength(concurrency);
    expect(s.flux.maxOpen).toBe(concurrency);
  });
});

describe('Scheduler: global cap with fair queueing', () => {
  it('grants execution slots round-robin across tasks', async () => {
    const s = setup('2026-03-04T14:59:00Z', { maxConcurrentRuns: 1 });
    const a = task({ every: parseDuration('1h'), concurrency: 3 }, '2026-03-04T11:59:00Z', 'aaaaaaaaaaaaaaaa');
    const b = task({ every: parseDuration('1h') }, '2026-03-04T14:59:00Z', 'bbbbbbbbbbbbbbbb');
    const c = task({ every: parseDuration('1h') }, '2026-03-04T14:59:00Z', 'cccccccccccccccc');
    s.scheduler.start([a, b, c]);
    await settle();
    // Task a has caught-up slots 12:00, 13:00, 14:00 admitted before b and c have any.
    expect(s.flux.calls.map((x) => x.request.taskId)).toEqual(['aaaaaaaaaaaaaaaa']);
    await s.advanceTo('2026-03-04T15:00:00Z');
    for (let i = 0; i < 5; i++) {
      expect(s.flux.open).toHaveLength(1);
      s.flux.open[0]!.succeed();
      await settle();
    }
    const order = s.flux.calls.map((x) => `${x.request.taskId[0]}@${fmt(x.request.nowNs).slice(11, 13)}`);
    expect(order.slice(0, 5)).toEqual(['a@12', 'a@13', 'b@15', 'c@15', 'a@14']);
  });

  it('thousands of tasks due at the same instant never exceed the cap, and all run', async () => {
    const s = setup('2026-03-04T14:59:59Z', { maxConcurrentRuns: 25 });
    const tasks = Array.from({ length: 2000 }, () => task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z'));
    s.scheduler.start(tasks);
    await s.advanceTo('2026-03-04T15:00:00Z');
    expect(s.flux.open).toHaveLength(25);
    expect(s.scheduler.runningCount).toBe(25);
    expect(s.scheduler.waitingCount).toBe(1975);
    let guard = 0;
    while (s.flux.open.length > 0 && guard++ < 200) {
      for (const call of s.flux.open) call.succeed();
      await settle();
    }
    expect(s.flux.calls).toHaveLength(2000);
    expect(s.flux.maxOpen).toBe(25);
    expect(new Set(s.flux.calls.map((c) => c.request.taskId)).size).toBe(2000);
    expect(s.stats.runsFinished.success).toBe(2000);
  });
});

describe('Scheduler: lateness and start delay are different figures', () => {
  it('the scheduler queues every due run on time; the wait for the global cap is only in the start delay', async () => {
    const s = setup('2026-03-04T14:59:59Z', { maxConcurrentRuns: 1 });
    const tasks = ['a', 'b', 'c'].map((x) => task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z', x.repeat(16)));
    s.scheduler.start(tasks);
    await s.advanceTo('2026-03-04T15:00:00Z');
    // Each run takes 10 s and they run one at a time: started at +0, +10 s, +20 s.
    for (let i = 0; i < 3; i++) {
      expect(s.flux.open).toHaveLength(1);
      await s.advance(10_000);
      s.flux.open[0]!.succeed();
      await settle();
    }
    expect(s.stats.runsQueued).toBe(3);
    expect(s.stats.scheduleDelay.sumSeconds).toBe(0);
    expect(s.stats.runsStarted).toBe(3);
    expect(s.stats.startDelay.sumSeconds).toBe(0 + 10 + 20);
    expect(s.flux.calls.map((c) => new Date(c.atMs).toISOString())).toEqual([
      '2026-03-04T15:00:00.000Z',
      '2026-03-04T15:00:10.000Z',
      '2026-03-04T15:00:20.000Z',
    ]);
  });

  it('events name the run and its slot', async () => {
    const events: string[] = [];
    const s = setup('2026-03-04T14:59:59Z', {
      metrics: {
        runQueued: (e) => events.push(`queued ${e.runId === undefined ? '?' : 'run'} ${fmt(e.scheduledForNs)} +${e.scheduleDelayNs}`),
        runStarted: (e) => events.push(`started ${e.runId === undefined ? '?' : 'run'} ${fmt(e.scheduledForNs)} +${e.startDelayNs}`),
        runFinished: () => undefined,
        attemptFailed: () => undefined,
        slotsSkipped: () => undefined,
      },
    });
    const tk = task({ every: parseDuration('1h'), offset: parseDuration('30s') }, '2026-03-04T14:59:59Z');
    s.scheduler.start([tk]);
    s.flux.auto = () => undefined;
    await s.advanceTo('2026-03-04T15:00:30Z');
    // Due at slot + offset; the fake clock fires the timer on time and the cap is free: both 0.
    expect(events).toEqual(['queued run 2026-03-04T15:00:00Z +0', 'started run 2026-03-04T15:00:00Z +0']);
  });
});

describe('Scheduler: store writes are batched per wake-up', () => {
  /** A MemoryRunStore that records which writes happened inside a batch. */
  class BatchRecordingStore extends MemoryRunStore {
    batches = 0;
    depth = 0;
    readonly writes: { op: string; inBatch: boolean }[] = [];
    override batch<T>(fn: () => T): T {
      // Commits: only an outermost batch commits (a nested one is a savepoint of it).
      if (this.depth === 0) this.batches++;
      this.depth++;
      try {
        return fn();
      } finally {
        this.depth--;
      }
    }
    override createRun(...args: Parameters<MemoryRunStore['createRun']>): void {
      this.writes.push({ op: 'create', inBatch: this.depth > 0 });
      super.createRun(...args);
    }
    override saveTransition(...args: Parameters<MemoryRunStore['saveTransition']>): void {
      this.writes.push({ op: args[0].status, inBatch: this.depth > 0 });
      super.saveTransition(...args);
    }
  }

  it('one timer wake-up creates the runs of every due task in one batch, checkpoints included', async () => {
    const store = new BatchRecordingStore();
    const inBatch: boolean[] = [];
    const s = setup('2026-03-04T14:59:59Z', {
      store,
      maxConcurrentRuns: 2,
      checkpoints: { latestScheduled: () => inBatch.push(store.depth > 0), runFinished: () => undefined },
    });
    const tasks = Array.from({ length: 50 }, () => task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z'));
    s.scheduler.start(tasks);
    const batchesAfterStart = store.batches;
    s.clock.advanceTo(ms('2026-03-04T15:00:00Z'));
    // Synchronously, in the timer callback: 50 runs created inside one batch, none started yet.
    expect(store.batches - batchesAfterStart).toBe(1);
    expect(store.writes.filter((w) => w.op === 'create')).toEqual(Array.from({ length: 50 }, () => ({ op: 'create', inBatch: true })));
    expect(inBatch).toEqual(Array.from({ length: 50 }, () => true));
    expect(s.stats.runsQueued).toBe(50);
    expect(s.stats.runsStarted).toBe(0);
    s.flux.auto = () => undefined;
    await settle();
    expect(s.stats.runsFinished.success).toBe(50);
  });

  it('checkpoints of one wake-up go through latestScheduledMany, grouped by slot, after the runs exist', async () => {
    const store = new BatchRecordingStore();
    const calls: [number, string][] = [];
    const s = setup('2026-03-04T14:59:59Z', {
      store,
      checkpoints: {
        latestScheduled: () => calls.push([-1, 'single']),
        latestScheduledMany: (ids, slot) => calls.push([ids.length, `${new Date(Number(slot / 1_000_000n)).toISOString()} ${ids.every((id) => store.listRuns(id).some((r) => r.scheduledForNs === slot))}`]),
        runFinished: () => undefined,
      },
    });
    // 30 hourly tasks and 20 every-minute ones due at 15:00; only the latter at 15:01.
    const hourly = Array.from({ length: 30 }, () => task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z'));
    const minutely = Array.from({ length: 20 }, () => task({ every: parseDuration('1m') }, '2026-03-04T14:59:59Z'));
    s.scheduler.start([...hourly, ...minutely]);
    s.flux.auto = () => undefined;
    await s.advanceTo('2026-03-04T15:00:00Z');
    expect(calls).toEqual([[50, '2026-03-04T15:00:00.000Z true']]);
    await s.advanceTo('2026-03-04T15:01:00Z');
    expect(calls).toEqual([
      [50, '2026-03-04T15:00:00.000Z true'],
      [20, '2026-03-04T15:01:00.000Z true'],
    ]);
  });

  it('when a run of a task cannot be created, its later runs of the same wake-up are not created either; all come back in order', async () => {
    const store = new BatchRecordingStore();
    const s = setup('2026-03-04T14:59:59Z', { store });
    // Concurrency 2, two slots due at the wake-up (15:00:00 and 15:00:01 after a stall).
    const busy = task({ every: parseDuration('1s'), concurrency: 2 }, '2026-03-04T14:59:59Z', 'busy000000000000');
    const other = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z', 'other00000000000');
    s.scheduler.start([busy, other]);
    const create = store.createRun.bind(store);
    let failing = true;
    store.createRun = (run, logs) => {
      if (failing && run.taskId === busy.id && run.scheduledForNs === t('2026-03-04T15:00:00Z')) throw new Error('disk hiccup');
      create(run, logs);
    };
    s.flux.auto = () => undefined;
    s.clock.advanceTo(ms('2026-03-04T15:00:01Z'));
    failing = false;
    await settle();
    expect(s.flux.calls.map((c) => c.request.taskId)).toEqual([other.id]);
    expect(store.listRuns(busy.id)).toEqual([]);
    await s.advanceTo('2026-03-04T15:00:02Z');
    expect(s.flux.calls.filter((c) => c.request.taskId === busy.id).map((c) => new Date(Number(c.request.nowNs / 1_000_000n)).toISOString())).toEqual([
      '2026-03-04T15:00:00.000Z',
      '2026-03-04T15:00:01.000Z',
      '2026-03-04T15:00:02.000Z',
    ]);
  });

  it('a task whose run cannot be created is retried alone; the batch keeps the others', async () => {
    const store = new BatchRecordingStore();
    const s = setup('2026-03-04T14:59:59Z', { store });
    const bad = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z', 'badbadbadbadbad0');
    const good = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z', 'good000000000000');
    s.scheduler.start([bad, good]);
    const create = store.createRun.bind(store);
    let failures = 1;
    store.createRun = (run, logs) => {
      if (run.taskId === bad.id && failures-- > 0) throw new Error('disk hiccup');
      create(run, logs);
    };
    s.flux.auto = () => undefined;
    await s.advanceTo('2026-03-04T15:00:00Z');
    expect(s.flux.calls.map((c) => c.request.taskId)).toEqual([good.id]);
    await s.advanceTo('2026-03-04T15:00:01Z');
    expect(s.flux.calls.map((c) => c.request.taskId)).toEqual([good.id, bad.id]);
    expect(s.nows()).toEqual(['2026-03-04T15:00:00Z', '2026-03-04T15:00:00Z']);
  });
});

describe('Scheduler: group commit of run transitions', () => {
  it('a run goes on only once its transition is committed; runs progressing together share one commit, the task checkpoint included', async () => {
    const flushes: (() => void)[] = [];
    const s = setup('2026-03-04T14:59:59Z', { groupCommit: (flush) => flushes.push(flush) });
    const tasks = Array.from({ length: 3 }, () => task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z'));
    s.scheduler.start(tasks);
    await s.advanceTo('2026-03-04T15:00:00Z');
    // Created and queued; each waits for its `started` commit before RunFlux is called.
    const runs = tasks.map((tk) => s.store.listRuns(tk.id)[0]!);
    expect(runs.map((r) => r.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
    expect(s.flux.calls).toHaveLength(0);
    expect(flushes).toHaveLength(1);
    flushes.shift()!();
    await settle();
    expect(tasks.map((tk) => s.store.listRuns(tk.id)[0]!.status)).toEqual(['started', 'started', 'started']);
    expect(s.flux.calls).toHaveLength(3);
    for (const call of s.flux.open) call.succeed();
    await settle();
    // Finished, not yet committed: neither the run nor the task's checkpoint says so.
    expect(tasks.map((tk) => s.store.listRuns(tk.id)[0]!.status)).toEqual(['started', 'started', 'started']);
    expect(s.checkpoints.finished).toEqual([]);
    expect(flushes).toHaveLength(1);
    flushes.shift()!();
    await settle();
    expect(tasks.map((tk) => s.store.listRuns(tk.id)[0]!.status)).toEqual(['success', 'success', 'success']);
    expect(s.checkpoints.finished.map((r) => r.status)).toEqual(['success', 'success', 'success']);
    expect(s.stats.runsFinished.success).toBe(3);
    expect(s.logs(runs[0]!.id)).toEqual([expect.stringMatching(/^Started task from script: /), 'Completed(success)']);
    // Then the tasks' next runs are considered in one deferred batch (none due before 16:00).
    expect(flushes).toHaveLength(1);
    flushes.shift()!();
    await settle();
    expect(flushes).toHaveLength(0);
    expect(tasks.map((tk) => s.store.listRuns(tk.id).length)).toEqual([1, 1, 1]);
  });

  it('runs finishing together create their tasks\' next runs in one batch (catch-up)', async () => {
    const flushes: (() => void)[] = [];
    const store = new MemoryRunStore();
    let depth = 0;
    const batch = store.batch.bind(store);
    store.batch = <T>(fn: () => T): T => {
      depth++;
      try {
        return batch(fn);
      } finally {
        depth--;
      }
    };
    const created: boolean[] = [];
    const create = store.createRun.bind(store);
    store.createRun = (run, logs) => (created.push(depth > 0), create(run, logs));
    // Two tasks, each three slots behind: their first runs are created at start.
    const s = setup('2026-03-04T15:00:30Z', { store, groupCommit: (flush) => flushes.push(flush) });
    const tasks = Array.from({ length: 2 }, () => task({ every: parseDuration('10s') }, '2026-03-04T14:59:55Z'));
    s.scheduler.start(tasks);
    s.flux.auto = () => undefined;
    const drain = async (): Promise<void> => {
      await settle();
      for (let i = 0; i < 20 && flushes.length > 0; i++) {
        flushes.shift()!();
        await settle();
      }
    };
    await drain();
    expect(tasks.map((tk) => s.store.listRuns(tk.id).map((r) => fmt(r.scheduledForNs).slice(11)))).toEqual([
      ['15:00:30Z', '15:00:20Z', '15:00:10Z', '15:00:00Z'],
      ['15:00:30Z', '15:00:20Z', '15:00:10Z', '15:00:00Z'],
    ]);
    expect(s.stats.runsFinished.success).toBe(8);
    // Every run, the successors included, was created inside a batch (one per round of finishes).
    expect(created).toEqual(Array.from({ length: 8 }, () => true));
  });
});

describe('Scheduler: retry with backoff', () => {
  it('retries a failure up to retry−1 times, backing off base·2^(n−1) capped at max, logging each attempt', async () => {
    const s = setup('2026-03-04T14:59:59Z');
    const tk = task({ every: parseDuration('1h'), retry: 5 }, '2026-03-04T14:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    // Backoff after the n-th failure: 1s, 2s, then capped at 3s. Each next attempt starts exactly then.
    for (const delayMs of [1000, 2000, 3000, 3000]) {
      const calls = s.flux.calls.length;
      s.flux.open[0]!.fail('could not execute task run: boom');
      await settle();
      await s.advance(delayMs - 1);
      expect(s.flux.calls).toHaveLength(calls);
      await s.advance(1);
      expect(s.flux.calls).toHaveLength(calls + 1);
    }
    s.flux.open[0]!.fail('could not execute task run: boom');
    await settle();
    const startTimes = s.flux.calls.map((c) => c.atMs - ms('2026-03-04T15:00:00Z'));
    expect(startTimes).toEqual([0, 1000, 3000, 6000, 9000]);
    expect(s.nows()).toEqual(Array(5).fill('2026-03-04T15:00:00Z'));
    const [run] = s.store.listRuns(tk.id);
    expect(run).toMatchObject({ status: 'failed', attempts: 5, error: 'could not execute task run: boom' });
    expect(s.logs(run!.id).slice(1)).toEqual([
      'Attempt 1 of 5 failed: could not execute task run: boom; retrying in 1s',
      'Attempt 2 of 5 failed: could not execute task run: boom; retrying in 2s',
      'Attempt 3 of 5 failed: could not execute task run: boom; retrying in 3s',
      'Attempt 4 of 5 failed: could not execute task run: boom; retrying in 3s',
      'could not execute task run: boom',
      'Completed(failed)',
    ]);
    expect(s.stats.retries).toBe(4);
    expect(s.stats.attemptsFailed).toBe(5);
  });

  it('stops retrying once an attempt succeeds', async () => {
    const s = setup('2026-03-04T14:59:59Z');
    const tk = task({ every: parseDuration('1h'), retry: 3 }, '2026-03-04T14:59:59Z');
    s.flux.auto = (_req, i) => (i === 0 ? 'transient' : undefined);
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    await s.advance(1000);
    const [run] = s.store.listRuns(tk.id);
    expect(run).toMatchObject({ status: 'success', attempts: 2 });
    expect(s.logs(run!.id).slice(1)).toEqual(['Attempt 1 of 3 failed: transient; retrying in 1s', 'Completed(success)']);
  });

  it('does not retry an unrecoverable error, and says so', async () => {
    const s = setup('2026-03-04T14:59:59Z');
    const tk = task({ every: parseDuration('1h'), retry: 3 }, '2026-03-04T14:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    s.flux.open[0]!.fail('could not find bucket "nope"', true);
    await settle();
    const [run] = s.store.listRuns(tk.id);
    expect(run).toMatchObject({ status: 'failed', attempts: 1 });
    expect(s.logs(run!.id).slice(1)).toEqual([
      'Task encountered unrecoverable error, requires admin action: could not find bucket "nope"',
      'could not find bucket "nope"',
      'Completed(failed)',
    ]);
  });

  it('a thrown error fails the attempt with its message; retry 1 means no retry; the operator log says so', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) }) });
    const s = setup('2026-03-04T14:59:59Z', { logger });
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    s.flux.open[0]!.throwError(new Error('unexpected error from queryd: queue full'));
    await settle();
    const [run] = s.store.listRuns(tk.id);
    expect(run).toMatchObject({ status: 'failed', attempts: 1, error: 'unexpected error from queryd: queue full' });
    expect(s.logs(run!.id).slice(-2)).toEqual(['unexpected error from queryd: queue full', 'Completed(failed)']);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([expect.objectContaining({ msg: 'task run failed', taskId: tk.id, runId: run!.id, scheduledFor: '2026-03-04T15:00:00Z', error: 'unexpected error from queryd: queue full' })]);
  });
});

describe('Scheduler: attempt time limit', () => {
  it('aborts an attempt that runs too long, fails it with the limit in the log, and retries', async () => {
    const s = setup('2026-03-04T14:59:59Z', { attemptTimeoutMs: 300_000 });
    const tk = task({ every: parseDuration('1h'), retry: 2 }, '2026-03-04T14:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    const first = s.flux.calls[0]!;
    await s.advance(299_999);
    expect(first.request.signal.aborted).toBe(false);
    await s.advance(1);
    expect(first.request.signal.aborted).toBe(true);
    await s.advance(1000); // backoff
    expect(s.flux.calls).toHaveLength(2);
    s.flux.calls[1]!.succeed();
    await settle();
    const [run] = s.store.listRuns(tk.id);
    expect(run).toMatchObject({ status: 'success', attempts: 2 });
    expect(s.logs(run!.id)[1]).toBe('Attempt 1 of 2 failed: run exceeded its time limit of 5m; retrying in 1s');
  });

  it('cancel still cancels when a time limit is set', async () => {
    const s = setup('2026-03-04T14:59:59Z', { attemptTimeoutMs: 300_000 });
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    const [run] = s.store.listRuns(tk.id);
    expect((await s.scheduler.cancelRun(run!.id)).status).toBe('canceled');
    expect(s.flux.calls[0]!.request.signal.aborted).toBe(true);
    expect(s.clock.pendingTimers).toBe(1); // only the next slot; the attempt's timer is gone
  });
});

describe('Scheduler: a query that ignores its abort signal', () => {
  it('is abandoned after abandonAfterMs, so cancel and the time limit still end the run', async () => {
    const s = setup('2026-03-04T14:59:59Z', { attemptTimeoutMs: 60_000, abandonAfterMs: 10_000 });
    s.flux.ignoreAbort = true;
    const a = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z');
    const b = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z');
    s.scheduler.start([a, b]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    const [runA] = s.store.listRuns(a.id);
    let canceled: RunRecord | undefined;
    void s.scheduler.cancelRun(runA!.id).then((r) => (canceled = r));
    await s.advance(9_999);
    expect(canceled).toBeUndefined();
    await s.advance(1);
    expect(canceled?.status).toBe('canceled');
    // b times out at 15:01 and is abandoned 10 s later.
    await s.advanceTo('2026-03-04T15:01:10Z');
    const [runB] = s.store.listRuns(b.id);
    expect(runB).toMatchObject({ status: 'failed', error: 'run exceeded its time limit of 1m; the query did not stop within 10s and was abandoned' });
    expect(s.scheduler.runningCount).toBe(0);
  });
});

describe('Scheduler: catch-up after downtime', () => {
  // Last dispatched slot 10:00; the server comes back at 15:30 → 11:00..15:00 were missed.
  const cases = [
    { policy: 'all' as const, limit: 1000, ran: ['11', '12', '13', '14', '15'], skipped: undefined },
    { policy: 'all' as const, limit: 2, ran: ['14', '15'], skipped: ['11', '13', 3] },
    { policy: 'latest' as const, limit: 1000, ran: ['15'], skipped: ['11', '14', 4] },
    { policy: 'skip' as const, limit: 1000, ran: [], skipped: ['11', '15', 5] },
  ];
  it.each(cases)('catchup $policy, limit $limit', async ({ policy, limit, ran, skipped }) => {
    const s = setup('2026-03-04T15:30:00Z', { catchupLimit: limit });
    const tk = task({ every: parseDuration('1h'), catchup: policy }, '2026-03-04T10:00:00Z');
    s.flux.auto = () => undefined;
    s.scheduler.start([tk]);
    await settle();
    const hours = (): string[] => s.nows().map((n) => n.slice(11, 13));
    expect(hours()).toEqual(ran);
    const records = s.store.listSkippedSlots(tk.id);
    if (skipped === undefined) {
      expect(records).toEqual([]);
    } else {
      expect(records).toHaveLength(1);
      const [first, last, count] = skipped;
      expect(records[0]).toMatchObject({ firstScheduledForNs: t(`2026-03-04T${first}:00:00Z`), lastScheduledForNs: t(`2026-03-04T${last}:00:00Z`), count });
      expect(records[0]!.reason).toContain(`missed 5 runs while not being scheduled`);
      expect(s.stats.slotsSkippedTotal).toBe(count);
    }
    // Caught-up runs were serial (concurrency 1) and in order; the schedule continues on time.
    expect(s.flux.maxOpen).toBe(Math.min(1, ran.length));
    await s.advanceTo('2026-03-04T16:00:00Z');
    expect(hours().at(-1)).toBe('16');
    expect(s.checkpoints.latest.get(tk.id)).toBe(t('2026-03-04T16:00:00Z'));
  });

  it('the default policy is all; the scheduler-wide default can be changed', async () => {
    const s = setup('2026-03-04T15:30:00Z', { defaultCatchup: 'skip' });
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T10:00:00Z');
    s.scheduler.start([tk]);
    await settle();
    expect(s.flux.calls).toHaveLength(0);
    expect(s.store.listSkippedSlots(tk.id)[0]!.count).toBe(5);
  });

  it('re-activation after being unscheduled catches up from latestScheduled', async () => {
    const s = setup('2026-03-04T09:59:59Z');
    s.flux.auto = () => undefined;
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T09:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T10:00:00Z');
    s.scheduler.unschedule(tk.id);
    await s.advanceTo('2026-03-04T12:30:00Z');
    expect(s.nows()).toEqual(['2026-03-04T10:00:00Z']);
    s.scheduler.schedule({ ...tk, latestScheduledNs: s.checkpoints.latest.get(tk.id)! });
    await settle();
    expect(s.nows()).toEqual(['2026-03-04T10:00:00Z', '2026-03-04T11:00:00Z', '2026-03-04T12:00:00Z']);
  });
});

/** A clock whose timers fire only when told to, so a test can make them fire late (a stalled or suspended process). */
class StallingClock {
  private timers: { atMs: number; fn: () => void }[] = [];
  constructor(public ms: number) {}
  nowMs(): number {
    return this.ms;
  }
  nowNs(): bigint {
    return BigInt(this.ms) * 1_000_000n;
  }
  setTimer(delayMs: number, fn: () => void): { cancel(): void } {
    const timer = { atMs: this.ms + delayMs, fn };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((x) => x !== timer)) };
  }
  /** Jumps to `ms`, then fires whatever is due (late). */
  resumeAt(ms: number): void {
    this.ms = ms;
    const due = this.timers.filter((x) => x.atMs <= ms);
    this.timers = this.timers.filter((x) => x.atMs > ms);
    for (const x of due) x.fn();
  }
}

describe('Scheduler: a process that stalls or is suspended', () => {
  it.each([
    { policy: 'skip' as const, ran: ['15:10'] },
    { policy: 'latest' as const, ran: ['15:09', '15:10'] },
    { policy: 'all' as const, ran: ['15:01', '15:02', '15:03', '15:04', '15:05', '15:06', '15:07', '15:08', '15:09', '15:10'] },
  ])('a wake-up more than a minute late applies catchup $policy', async ({ policy, ran }) => {
    const clock = new StallingClock(ms('2026-03-04T15:00:30Z'));
    const store = new MemoryRunStore();
    const flux = new FakeRunFlux(clock);
    flux.auto = () => undefined;
    const scheduler = new Scheduler({ clock, store, runFlux: flux.fn });
    const tk = task({ every: parseDuration('1m'), catchup: policy }, '2026-03-04T15:00:30Z');
    scheduler.start([tk]);
    clock.resumeAt(ms('2026-03-04T15:09:30Z')); // the 15:01 timer fires 8.5 minutes late
    await settle();
    clock.resumeAt(ms('2026-03-04T15:10:00Z'));
    await settle();
    expect(flux.calls.map((c) => fmt(c.request.nowNs).slice(11, 16))).toEqual(ran);
    expect(store.listSkippedSlots(tk.id).reduce((n, r) => n + r.count, 0)).toBe(10 - ran.length);
  });
});

describe('Scheduler: restart recovery', () => {
  it('re-runs runs left started or scheduled, without catching their slots up twice', async () => {
    const s = setup('2026-03-04T12:30:00Z');
    const tk = task({ every: parseDuration('1h'), concurrency: 2 }, '2026-03-04T12:00:00Z');
    const started: RunRecord = {
      id: '00000000000000a1',
      taskId: tk.id,
      status: 'started',
      trigger: 'schedule',
      scheduledForNs: t('2026-03-04T11:00:00Z'),
      runAtNs: t('2026-03-04T11:00:00Z'),
      startedAtNs: t('2026-03-04T11:00:01Z'),
    };
    const queued: RunRecord = { ...started, id: '00000000000000a2', status: 'scheduled', scheduledForNs: t('2026-03-04T12:00:00Z'), runAtNs: t('2026-03-04T12:00:00Z'), startedAtNs: undefined };
    s.store.createRun({ ...started, status: 'scheduled', startedAtNs: undefined });
    s.store.saveTransition(started, [{ runId: started.id, timeNs: 1n, message: 'Started task from script: "…"' }]);
    s.store.createRun(queued);
    // The checkpoint lags behind the runs (crash between creating the run and checkpointing).
    s.scheduler.start([{ ...tk, latestScheduledNs: t('2026-03-04T11:00:00Z') }]);
    await settle();
    expect(s.nows()).toEqual(['2026-03-04T11:00:00Z', '2026-03-04T12:00:00Z']);
    for (const c of s.flux.open) c.succeed();
    await settle();
    expect(s.store.getRun(started.id)).toMatchObject({ status: 'success', startedAtNs: t('2026-03-04T11:00:01Z') });
    expect(s.logs(started.id)).toEqual([
      'Started task from script: "…"',
      'Run was interrupted by a server restart; running it again',
      expect.stringMatching(/^Started task from script: /),
      'Completed(success)',
    ]);
    expect(s.store.getRun(queued.id)!.status).toBe('success');
    expect(s.store.listRuns(tk.id)).toHaveLength(2);
  });

  it('unfinished runs of tasks that are no longer scheduled are canceled with a reason', () => {
    const s = setup('2026-03-04T12:30:00Z');
    const orphan: RunRecord = { id: '00000000000000b1', taskId: '00000000000000ff', status: 'scheduled', trigger: 'manual', scheduledForNs: 0n, runAtNs: 0n };
    s.store.createRun(orphan);
    s.scheduler.start([]);
    expect(s.store.getRun(orphan.id)!.status).toBe('canceled');
    expect(s.logs(orphan.id)).toEqual(['Run canceled: its task is no longer active', 'Completed(canceled)']);
  });

  it('stop() waits for executing runs; queued runs stay persisted for the next start', async () => {
    const s = setup('2026-03-04T14:59:59Z', { maxConcurrentRuns: 1 });
    const a = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z');
    const b = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z');
    s.scheduler.start([a, b]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    expect(s.flux.open).toHaveLength(1);
    const stopped = s.scheduler.stop();
    await settle();
    s.flux.open[0]!.succeed();
    await stopped;
    const runs = [...s.store.listRuns(a.id), ...s.store.listRuns(b.id)];
    expect(runs.map((r) => r.status).sort()).toEqual(['scheduled', 'success']);
    // A new process picks the queued run up.
    const next = new Scheduler({ clock: s.clock, store: s.store, runFlux: s.flux.fn });
    const restarted = [a, b].map((x) => ({ ...x, latestScheduledNs: s.checkpoints.latest.get(x.id)! }));
    next.start(restarted);
    await settle();
    expect(s.flux.calls).toHaveLength(2);
    expect(s.flux.calls[1]!.request.runId).toBe(runs.find((r) => r.status === 'scheduled')!.id);
    expect(s.clock.pendingTimers).toBe(1); // the next slot, 16:00
    s.flux.open[0]!.succeed();
    await next.stop();
  });
});

describe('Scheduler: cancel', () => {
  it('cancels an executing run: its signal aborts and it ends canceled', async () => {
    const s = setup('2026-03-04T14:59:59Z');
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    const [run] = s.store.listRuns(tk.id);
    const final = await s.scheduler.cancelRun(run!.id);
    expect(s.flux.calls[0]!.request.signal.aborted).toBe(true);
    expect(final.status).toBe('canceled');
    expect(s.logs(run!.id).slice(-2)).toEqual(['Run canceled', 'Completed(canceled)']);
    await expect(s.scheduler.cancelRun(run!.id)).rejects.toMatchObject({ code: 'not found', message: 'run not found' });
  });

  it('cancels a run waiting for the global cap and one backing off between attempts', async () => {
    const s = setup('2026-03-04T14:59:59Z', { maxConcurrentRuns: 1 });
    const a = task({ every: parseDuration('1h'), retry: 3 }, '2026-03-04T14:59:59Z');
    const b = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z');
    s.scheduler.start([a, b]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    const [runB] = s.store.listRuns(b.id);
    expect(runB!.status).toBe('scheduled');
    expect((await s.scheduler.cancelRun(runB!.id)).status).toBe('canceled');
    s.flux.open[0]!.fail('boom');
    await settle();
    const [runA] = s.store.listRuns(a.id);
    expect(runA!.status).toBe('started');
    expect((await s.scheduler.cancelRun(runA!.id)).status).toBe('canceled');
    await s.advance(10_000);
    expect(s.flux.calls).toHaveLength(1);
  });

  it('unknown runs are not found', async () => {
    const s = setup('2026-03-04T14:59:59Z');
    s.scheduler.start([]);
    await expect(s.scheduler.cancelRun('0000000000000bad')).rejects.toMatchObject({ code: 'not found' });
  });
});

describe('Scheduler: manual runs', () => {
  it('a manual run for a past time runs now with now() = scheduledFor (truncated to seconds)', async () => {
    const s = setup('2026-03-04T14:37:12Z');
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:37:12Z');
    s.scheduler.start([tk]);
    const run = s.scheduler.requestRun(tk.id, t('2026-03-01T08:00:00.750Z'));
    expect(run).toMatchObject({ status: 'scheduled', trigger: 'manual', scheduledForNs: t('2026-03-01T08:00:00Z'), requestedAtNs: t('2026-03-04T14:37:12Z') });
    await settle();
    expect(s.nows()).toEqual(['2026-03-01T08:00:00Z']);
    // A backfill is not counted as days late.
    expect([s.stats.scheduleDelay.sumSeconds, s.stats.startDelay.sumSeconds]).toEqual([0, 0]);
  });

  it('without scheduledFor it runs for now', async () => {
    const s = setup('2026-03-04T14:37:12.5Z');
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:37:12Z');
    s.scheduler.start([tk]);
    s.scheduler.requestRun(tk.id);
    await settle();
    expect(s.nows()).toEqual(['2026-03-04T14:37:12Z']);
  });

  it('a future manual run waits for its time; duplicates conflict; cancel before it starts', async () => {
    const s = setup('2026-03-04T14:37:12Z');
    const tk = task({ every: parseDuration('1d') }, '2026-03-04T14:37:12Z');
    s.scheduler.start([tk]);
    const future = s.scheduler.requestRun(tk.id, t('2026-03-04T18:00:00Z'));
    expect(() => s.scheduler.requestRun(tk.id, t('2026-03-04T18:00:00Z'))).toThrow('run already queued');
    const other = s.scheduler.requestRun(tk.id, t('2026-03-04T19:00:00Z'));
    await s.advanceTo('2026-03-04T17:59:59Z');
    expect(s.flux.calls).toHaveLength(0);
    expect((await s.scheduler.cancelRun(other.id)).status).toBe('canceled');
    await s.advanceTo('2026-03-04T18:00:00Z');
    expect(s.nows()).toEqual(['2026-03-04T18:00:00Z']);
    expect(s.flux.calls[0]!.request.runId).toBe(future.id);
    await s.advanceTo('2026-03-04T20:00:00Z');
    expect(s.flux.calls).toHaveLength(1);
  });

  it('manual runs share the task’s concurrency with scheduled ones, oldest scheduledFor first', async () => {
    const s = setup('2026-03-04T14:59:59Z');
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    s.scheduler.requestRun(tk.id, t('2026-03-04T13:00:00Z'));
    await s.advanceTo('2026-03-04T16:00:00Z');
    expect(s.flux.open).toHaveLength(1);
    s.flux.open[0]!.succeed();
    await settle();
    s.flux.open[0]!.succeed();
    await settle();
    expect(s.nows()).toEqual(['2026-03-04T15:00:00Z', '2026-03-04T13:00:00Z', '2026-03-04T16:00:00Z']);
  });

  it('an unscheduled task rejects manual runs and cancels queued ones', async () => {
    const s = setup('2026-03-04T14:37:12Z');
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:37:12Z');
    s.scheduler.start([tk]);
    const queued = s.scheduler.requestRun(tk.id, t('2026-03-04T18:00:00Z'));
    s.scheduler.unschedule(tk.id);
    expect(s.store.getRun(queued.id)!.status).toBe('canceled');
    expect(s.logs(queued.id)).toEqual(['Run canceled: task is no longer active', 'Completed(canceled)']);
    expect(() => s.scheduler.requestRun(tk.id)).toThrow('inactive task');
    await s.advanceTo('2026-03-04T19:00:00Z');
    expect(s.flux.calls).toHaveLength(0);
    expect(s.clock.pendingTimers).toBe(0);
  });
});

describe('Scheduler: manual runs of inactive tasks (beyond InfluxDB)', () => {
  it('runs a task that is not scheduled when its definition is given, then forgets it', async () => {
    const s = setup('2026-03-04T14:37:12Z');
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:37:12Z');
    s.scheduler.start([]);
    const run = s.scheduler.requestRun(tk.id, t('2026-03-04T14:00:00Z'), tk);
    await s.advanceTo('2026-03-04T14:38:00Z');
    expect(s.nows()).toEqual(['2026-03-04T14:00:00Z']);
    s.flux.open[0]!.succeed();
    await settle();
    expect(s.store.getRun(run.id)!.status).toBe('success');
    // No schedule was started for it: nothing else fires, and without a definition it is unknown.
    await s.advanceTo('2026-03-04T17:00:00Z');
    expect(s.flux.calls).toHaveLength(1);
    expect(() => s.scheduler.requestRun(tk.id)).toThrow('inactive task');
    expect(s.clock.pendingTimers).toBe(0);
  });
});

describe('Scheduler: task updates and removal', () => {
  it('an update to a finer schedule takes effect from the last dispatched slot', async () => {
    const s = setup('2026-03-04T13:59:59Z');
    s.flux.auto = () => undefined;
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T13:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T14:20:00Z');
    expect(s.nows()).toEqual(['2026-03-04T14:00:00Z']);
    // As in InfluxDB, switching 1h → 5m at 14:20 fires 14:05..14:20 at once (caught up), then on time.
    s.scheduler.schedule({ ...tk, options: { ...tk.options, every: parseDuration('5m') }, latestScheduledNs: s.checkpoints.latest.get(tk.id)! });
    await settle();
    expect(s.nows().map((n) => n.slice(11, 16))).toEqual(['14:00', '14:05', '14:10', '14:15', '14:20']);
    await s.advanceTo('2026-03-04T14:25:00Z');
    expect(s.nows().at(-1)).toBe('2026-03-04T14:25:00Z');
  });

  it('a new script applies to runs not yet started; a running one keeps its script', async () => {
    const s = setup('2026-03-04T14:59:59Z');
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    s.scheduler.schedule({ ...tk, script: 'new script', latestScheduledNs: t('2026-03-04T15:00:00Z') });
    s.flux.open[0]!.succeed();
    await s.advanceTo('2026-03-04T16:00:00Z');
    expect(s.flux.calls.map((c) => c.request.script)).toEqual([SCRIPT, 'new script']);
  });

  it('unscheduling lets the running run finish and then leaves no timer behind', async () => {
    const s = setup('2026-03-04T14:59:59Z');
    const tk = task({ every: parseDuration('1m') }, '2026-03-04T14:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    s.scheduler.unschedule(tk.id);
    expect(s.scheduler.nextScheduledForNs(tk.id)).toBeUndefined();
    await s.advanceTo('2026-03-04T15:05:00Z');
    s.flux.open[0]!.succeed();
    await settle();
    expect(s.store.listRuns(tk.id).map((r) => r.status)).toEqual(['success']);
    expect(s.flux.calls).toHaveLength(1);
    expect(s.clock.pendingTimers).toBe(0);
  });

  it('a store failure while dispatching one task does not stop the others', async () => {
    const s = setup('2026-03-04T14:59:59Z');
    const good = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z', '000000000000000a');
    const bad = task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z', '000000000000000b');
    const createRun = s.store.createRun.bind(s.store);
    s.store.createRun = (run, logs) => {
      if (run.taskId === bad.id) throw new Error('disk full');
      createRun(run, logs);
    };
    s.scheduler.start([bad, good]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    expect(s.flux.calls.map((c) => c.request.taskId)).toEqual([good.id]);
    // Once the store recovers, the failed task's slot is dispatched (late, not lost).
    s.store.createRun = createRun;
    await s.advance(1000);
    expect(s.flux.calls.map((c) => c.request.taskId)).toEqual([good.id, bad.id]);
    expect(s.nows()).toEqual(['2026-03-04T15:00:00Z', '2026-03-04T15:00:00Z']);
  });
});

describe('Scheduler: lifecycle', () => {
  it('cannot start twice, nor take work after stop', async () => {
    const s = setup('2026-03-04T14:59:59Z');
    s.scheduler.start([]);
    expect(() => s.scheduler.start([])).toThrow('scheduler cannot start when running');
    await s.scheduler.stop();
    expect(() => s.scheduler.schedule(task({ every: parseDuration('1h') }, '2026-03-04T14:59:59Z'))).toThrow('scheduler is stopped');
    expect(s.clock.pendingTimers).toBe(0);
  });
});

describe('Scheduler: restarts in the middle of things', () => {
  it('a run backing off between attempts when the scheduler stops resumes on the next start', async () => {
    const s = setup('2026-03-04T14:59:59Z');
    const tk = task({ every: parseDuration('1h'), retry: 3 }, '2026-03-04T14:59:59Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-03-04T15:00:00Z');
    s.flux.open[0]!.fail('transient');
    await settle();
    await s.scheduler.stop();
    const [run] = s.store.listRuns(tk.id);
    expect(run!.status).toBe('started');
    expect(s.logs(run!.id).at(-1)).toBe('Scheduler stopped before the run finished; it resumes on restart');
    const next = new Scheduler({ clock: s.clock, store: s.store, runFlux: s.flux.fn });
    next.start([{ ...tk, latestScheduledNs: s.checkpoints.latest.get(tk.id)! }]);
    await settle();
    expect(s.flux.calls).toHaveLength(2);
    expect(s.flux.calls[1]!.request.runId).toBe(run!.id);
    s.flux.open[0]!.succeed();
    await settle();
    expect(s.store.getRun(run!.id)!.status).toBe('success');
    await next.stop();
  });

  it('a future manual run survives a restart and runs once, at its time', async () => {
    const s = setup('2026-03-04T14:37:12Z');
    const tk = task({ every: parseDuration('1d') }, '2026-03-04T14:37:12Z');
    s.scheduler.start([tk]);
    const manual = s.scheduler.requestRun(tk.id, t('2026-03-04T18:00:00Z'));
    await s.scheduler.stop();
    const next = new Scheduler({ clock: s.clock, store: s.store, runFlux: s.flux.fn });
    next.start([tk]);
    await s.advanceTo('2026-03-04T17:59:59Z');
    expect(s.flux.calls).toHaveLength(0);
    await s.advanceTo('2026-03-04T18:00:00Z');
    expect(s.flux.calls.map((c) => c.request.runId)).toEqual([manual.id]);
    s.flux.open[0]!.succeed();
    await s.advanceTo('2026-03-04T20:00:00Z');
    expect(s.flux.calls).toHaveLength(1);
    await next.stop();
  });
});

describe('Scheduler: backfill', () => {
  it('queues one run per slot in [from, to), oldest first, serial under concurrency 1', async () => {
    const s = setup('2026-03-04T14:37:12Z');
    s.flux.auto = () => undefined;
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:37:12Z');
    s.scheduler.start([tk]);
    const runs = s.scheduler.requestBackfill(tk.id, t('2026-03-04T10:00:00Z'), t('2026-03-04T13:00:00Z'));
    expect(runs.map((r) => fmt(r.scheduledForNs))).toEqual(['2026-03-04T10:00:00Z', '2026-03-04T11:00:00Z', '2026-03-04T12:00:00Z']);
    await settle();
    expect(s.nows()).toEqual(['2026-03-04T10:00:00Z', '2026-03-04T11:00:00Z', '2026-03-04T12:00:00Z']);
    expect(s.flux.maxOpen).toBe(1);
    expect(s.store.listRuns(tk.id).every((r) => r.status === 'success' && r.trigger === 'manual')).toBe(true);
  });

  it.each([
    { name: 'too many slots', from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z', message: 'backfill would create more than 1000 runs; request a shorter range' },
    { name: 'empty range', from: '2026-03-04T10:00:00Z', to: '2026-03-04T10:00:00Z', message: 'backfill stop must be later than start' },
  ])('rejects $name', ({ from, to, message }) => {
    const s = setup('2026-03-04T14:37:12Z');
    const tk = task({ every: parseDuration('1h') }, '2026-03-04T14:37:12Z');
    s.scheduler.start([tk]);
    expect(() => s.scheduler.requestBackfill(tk.id, t(from), t(to))).toThrow(message);
    expect(s.store.listRuns(tk.id)).toEqual([]);
  });
});

describe('Scheduler: far-future wake-ups', () => {
  it('never asks the clock for a timer beyond setTimeout’s 2^31−1 ms, and still fires on time', async () => {
    const clock = new FakeClock(ms('2026-01-01T00:00:01Z'));
    const delays: number[] = [];
    const recording = {
      nowMs: () => clock.nowMs(),
      nowNs: () => clock.nowNs(),
      setTimer: (delayMs: number, fn: () => void) => {
        delays.push(delayMs);
        return clock.setTimer(delayMs, fn);
      },
    };
    const flux = new FakeRunFlux(clock);
    const scheduler = new Scheduler({ clock: recording, store: new MemoryRunStore(), runFlux: flux.fn });
    scheduler.start([task({ cron: '@yearly' }, '2026-01-01T00:00:01Z')]);
    clock.advanceTo(ms('2027-01-01T00:00:00Z'));
    await settle();
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(flux.calls.map((c) => fmt(c.request.nowNs))).toEqual(['2027-01-01T00:00:00Z']);
  });
});

describe('Scheduler: calendar intervals', () => {
  it('every: 1mo runs on InfluxDB’s aligned day, then by calendar months', async () => {
    const s = setup('2026-01-17T05:12:34Z');
    s.flux.auto = () => undefined;
    const tk = task({ every: parseDuration('1mo') }, '2026-01-17T05:12:34Z');
    s.scheduler.start([tk]);
    await s.advanceTo('2026-04-30T00:00:00Z');
    expect(s.nows()).toEqual(['2026-02-14T00:00:00Z', '2026-03-14T00:00:00Z', '2026-04-14T00:00:00Z']);
  });
});
