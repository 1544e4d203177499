import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { parseDuration } from '../core/duration.js';
import { backoffDelayMs, RunExecutor, type ExecutableTask } from './executor.js';
import { FairQueue } from './fair-queue.js';
import { MemoryRunStore } from './memory-run-store.js';
import { validateTaskOptions } from './options/task-options.js';
import { RunInterrupt } from './run-interrupt.js';
import type { RunRecord } from './run-lifecycle.js';
import { FakeRunFlux, settle } from './testing/fake-run-flux.js';

describe('backoffDelayMs', () => {
  it.each([
    { attempt: 1, want: 10_000 },
    { attempt: 2, want: 20_000 },
    { attempt: 3, want: 40_000 },
    { attempt: 6, want: 320_000 },
    { attempt: 7, want: 600_000 },
    { attempt: 10, want: 600_000 },
  ])('after failure $attempt: $want ms', ({ attempt, want }) => {
    expect(backoffDelayMs(attempt, { baseMs: 10_000, maxMs: 600_000 })).toBe(want);
  });
});

function fixture() {
  const clock = new FakeClock(Date.UTC(2026, 2, 4, 15));
  const store = new MemoryRunStore();
  const flux = new FakeRunFlux(clock);
  const executor = new RunExecutor({ clock, store, runFlux: flux.fn, backoff: { baseMs: 1000, maxMs: 1000 } });
  const task: ExecutableTask = {
    id: '00000000000000aa',
    script: 'from(bucket: "b")',
    options: validateTaskOptions({ name: 't', every: parseDuration('1h') }, 0n),
    authorization: 'auth',
  };
  const run: RunRecord = { id: '0000000000000001', taskId: task.id, status: 'scheduled', trigger: 'schedule', scheduledForNs: clock.nowNs(), runAtNs: clock.nowNs() };
  store.createRun(run);
  const logs = (): string[] => store.listLogs(run.id).map((l) => l.message);
  return { clock, store, flux, executor, task, run, logs };
}

describe('RunExecutor', () => {
  it('runs once and records started → success with InfluxDB log lines', async () => {
    const f = fixture();
    const queue = new FairQueue(1);
    const interrupt = new RunInterrupt();
    const done = f.executor.execute({ run: f.run, task: f.task, interrupt, acquireSlot: () => queue.acquire(f.task.id, interrupt) });
    await settle();
    expect(f.flux.calls[0]!.request).toMatchObject({ nowNs: f.run.scheduledForNs, authorization: 'auth', script: f.task.script });
    f.flux.calls[0]!.succeed();
    const final = await done;
    expect(final).toMatchObject({ status: 'success', attempts: 1 });
    expect(f.store.getRun(f.run.id)).toEqual(final);
    expect(f.logs()).toEqual(['Started task from script: "from(bucket: \\"b\\")"', 'Completed(success)']);
    expect(queue.running).toBe(0);
  });

  it.each([
    { action: 'stop' as const, status: 'scheduled', lines: ['Scheduler stopped before the run finished; it resumes on restart'] },
    { action: 'cancel' as const, status: 'canceled', lines: ['Run canceled', 'Completed(canceled)'] },
  ])('$action while waiting for a slot leaves the run $status', async ({ action, status, lines }) => {
    const f = fixture();
    const queue = new FairQueue(1);
    const hold = await queue.acquire('other');
    const interrupt = new RunInterrupt();
    const done = f.executor.execute({ run: f.run, task: f.task, interrupt, acquireSlot: () => queue.acquire(f.task.id, interrupt) });
    await settle();
    interrupt[action]();
    expect((await done).status).toBe(status);
    expect(f.store.getRun(f.run.id)!.status).toBe(status);
    expect(f.logs()).toEqual(lines);
    expect(f.flux.calls).toHaveLength(0);
    hold();
  });

  it('a run recovered as started is run again without a second transition to started', async () => {
    const f = fixture();
    const started = { ...f.run, status: 'started' as const, startedAtNs: 5n };
    f.store.saveTransition(started);
    f.flux.auto = () => undefined;
    const final = await f.executor.execute({ run: started, task: f.task, interrupt: new RunInterrupt(), acquireSlot: () => Promise.resolve(() => undefined) });
    expect(final).toMatchObject({ status: 'success', startedAtNs: 5n });
    expect(f.logs()).toEqual(['Run was interrupted by a server restart; running it again', 'Started task from script: "from(bucket: \\"b\\")"', 'Completed(success)']);
  });
});

describe('RunExecutor onFinished logs', () => {
  function withFinished() {
    const f = fixture();
    const finished: { status: string; logs: string[] | undefined; storeLogs: string[] }[] = [];
    const executor = new RunExecutor({
      clock: f.clock,
      store: f.store,
      runFlux: f.flux.fn,
      backoff: { baseMs: 1000, maxMs: 1000 },
      // What the store holds at that moment must be what onFinished is given.
      onFinished: (run, logs) => finished.push({ status: run.status, logs: logs?.map((l) => l.message), storeLogs: f.logs() }),
    });
    return { ...f, executor, finished };
  }

  it.each([
    { outcome: 'success', retry: 1 },
    { outcome: 'fail once then succeed', retry: 2 },
    { outcome: 'fail', retry: 1 },
  ])('a fresh run ($outcome) passes every line it wrote, in order', async ({ outcome, retry }) => {
    const f = withFinished();
    const task = { ...f.task, options: validateTaskOptions({ name: 't', every: parseDuration('1h'), retry }, 0n) };
    const done = f.executor.execute({ run: f.run, task, interrupt: new RunInterrupt(), acquireSlot: () => Promise.resolve(() => undefined), fresh: true });
    await settle();
    f.flux.calls[0]!.request.log('script says hi');
    if (outcome === 'success') f.flux.calls[0]!.succeed();
    else f.flux.calls[0]!.fail('boom');
    if (outcome === 'fail once then succeed') {
      await settle();
      f.clock.advance(1000);
      await settle();
      f.flux.calls[1]!.succeed();
    }
    await done;
    expect(f.finished).toHaveLength(1);
    const [{ logs, storeLogs }] = f.finished as [(typeof f.finished)[0]];
    expect(logs).toEqual(storeLogs);
    expect(logs).toContain('script says hi');
    expect(logs!.length).toBeGreaterThanOrEqual(3);
  });

  it('a run not marked fresh (recovered) passes no lines: older ones may exist', async () => {
    const f = withFinished();
    f.flux.auto = () => undefined;
    await f.executor.execute({ run: f.run, task: f.task, interrupt: new RunInterrupt(), acquireSlot: () => Promise.resolve(() => undefined) });
    expect(f.finished).toEqual([{ status: 'success', logs: undefined, storeLogs: ['Started task from script: "from(bucket: \\"b\\")"', 'Completed(success)'] }]);
  });
});
