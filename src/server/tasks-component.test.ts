import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { ApiMetrics } from '../http/api-metrics.js';
import { MetaStore } from '../meta/meta-store.js';
import { DEFAULT_QUERY_LIMITS, QueryController } from '../query/query-controller.js';
import { QueryService } from '../query/query-service.js';
import type { Storage } from '../storage/storage.js';
import { transitionTo, type RunRecord } from '../tasks/index.js';
import { defaultConfig } from './config.js';
import { effectiveMaxConcurrentRuns, tasksComponent } from './tasks-component.js';

const DAY_MS = 86_400_000;

function setup(): { meta: MetaStore; clock: FakeClock; start: () => Promise<{ stop(): Promise<void> }>; metrics: ApiMetrics } {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const meta = MetaStore.open(':memory:', { clock });
  // Nothing in these tests reads or writes data: the scripts use no buckets, and the org has no `_tasks` bucket.
  const storage = (): Storage => ({}) as Storage;
  const metrics = new ApiMetrics(() => undefined);
  const query = new QueryService({ meta, storage, controller: new QueryController(DEFAULT_QUERY_LIMITS, clock) });
  const start = async (): Promise<{ stop(): Promise<void> }> => {
    const c = tasksComponent({ meta, storage, clock, logger: silentLogger(), config: { ...defaultConfig(), taskMaxConcurrency: 3 }, metrics }, { query });
    await c.start!();
    return { stop: () => c.stop!() };
  };
  return { meta, clock, start, metrics };
}

function finishedRun(meta: MetaStore, clock: FakeClock, id: string): RunRecord {
  const nowNs = clock.nowNs();
  const run: RunRecord = { id, taskId: '00000000000000aa', status: 'scheduled', trigger: 'manual', scheduledForNs: nowNs, runAtNs: nowNs };
  meta.runs.createRun(run, [{ runId: id, timeNs: nowNs, message: 'queued' }]);
  const done = transitionTo(transitionTo(run, 'started', nowNs), 'success', nowNs);
  meta.runs.saveTransition(done);
  return done;
}

describe('tasksComponent', () => {
  it('sweeps finished runs and their logs once they are older than 30 days, hourly', async () => {
    const { meta, clock, start } = setup();
    const old = finishedRun(meta, clock, '0000000000000001');
    clock.advance(10 * DAY_MS);
    const newer = finishedRun(meta, clock, '0000000000000002');
    const component = await start();
    clock.advance(20 * DAY_MS - 2 * 3_600_000);
    expect(meta.runs.getRun(old.id)).toBeDefined();
    clock.advance(3 * 3_600_000);
    expect(meta.runs.getRun(old.id)).toBeUndefined();
    expect(meta.runs.listLogs(old.id)).toEqual([]);
    expect(meta.runs.getRun(newer.id)).toBeDefined();
    await component.stop();
  });

  it('registers task_scheduler metrics in the server registry', async () => {
    const { start, metrics } = setup();
    const component = await start();
    const text = await metrics.registry.metrics();
    for (const name of ['task_scheduler_schedule_delay', 'task_executor_run_latency_seconds', 'task_scheduler_current_execution', 'task_scheduler_queue_length', 'task_executor_total_runs_complete']) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    await component.stop();
  });

  it('schedules stored active tasks on start, skipping one whose options no longer validate', async () => {
    const { meta, clock, start } = setup();
    const orgID = meta.orgs.create({ name: 'o' }).id;
    const broken = meta.tasks.create({ orgID, ownerID: 'u', name: 'broken', flux: 'option task = {name: "broken"}' });
    const ok = meta.tasks.create({ orgID, ownerID: 'u', name: 'ok', flux: 'option task = {name: "ok", every: 1h}\nx = 1' });
    const component = await start();
    clock.advance(3_600_000);
    for (let i = 0; i < 100 && meta.tasks.get(ok.id).lastRunStatus === undefined; i++) await new Promise((r) => setTimeout(r, 5));
    const [run] = meta.runs.listRuns(ok.id);
    expect(run).toMatchObject({ status: 'failed', scheduledForNs: BigInt(Date.UTC(2026, 0, 1, 1)) * 1_000_000n });
    // A script without streaming output fails as InfluxDB's does; the real error is lastRunError.
    expect(meta.tasks.get(ok.id).lastRunError).toContain('this Flux script returns no streaming data');
    expect(meta.runs.listRuns(broken.id)).toEqual([]);
    await component.stop();
  });

  it('caps executing runs at --task-max-concurrency alone (task runs have their own query controller)', () => {
    const cases: [number, number][] = [
      [100, 100],
      [4, 4],
      [0, Number.MAX_SAFE_INTEGER],
    ];
    for (const [task, want] of cases) expect(effectiveMaxConcurrentRuns(task), `${task}`).toBe(want);
  });
});
