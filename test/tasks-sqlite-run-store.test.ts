import { describe, expect, it } from 'vitest';
import { MetaStore } from '../src/meta/meta-store.js';
import { SqliteRunStore } from '../src/meta/run-store.js';
import type { RunStore } from '../src/tasks/run-store.js';
import { runRunStoreSuite } from '../src/tasks/testing/run-store-suite.js';
import { transitionTo, type RunRecord } from '../src/tasks/run-lifecycle.js';
import { FakeClock } from '../src/core/clock.js';

// The SQLite store must honour the task engine's contract; assigning it to RunStore also checks
// at compile time that its restated shapes match src/tasks.
const open = (): RunStore => MetaStore.open(':memory:').runs;
runRunStoreSuite('SqliteRunStore', open);

const S = 1_000_000_000n;
const run = (id: string, s: number): RunRecord => ({
  id,
  taskId: '00000000000000aa',
  status: 'scheduled',
  trigger: 'schedule',
  scheduledForNs: BigInt(s) * S,
  runAtNs: BigInt(s) * S,
});

describe('SqliteRunStore retention', () => {
  it('deletes finished runs (and logs) older than the cutoff, keeps unfinished and newer ones', () => {
    const store: SqliteRunStore = MetaStore.open(':memory:').runs;
    const old = run('0000000000000001', 10);
    store.createRun(old, [{ runId: old.id, timeNs: 10n * S, message: 'x' }]);
    store.saveTransition(transitionTo(transitionTo(old, 'started', 11n * S), 'success', 12n * S));
    const recent = run('0000000000000002', 20);
    store.createRun(recent);
    store.saveTransition(transitionTo(transitionTo(recent, 'started', 21n * S), 'failed', 40n * S));
    const stuck = run('0000000000000003', 5);
    store.createRun(stuck);
    expect(store.deleteFinishedBefore(30n * S)).toBe(1);
    expect(store.getRun(old.id)).toBeUndefined();
    expect(store.listLogs(old.id)).toEqual([]);
    expect(store.getRun(recent.id)?.status).toBe('failed');
    expect(store.getRun(stuck.id)?.status).toBe('scheduled');
  });

  it('keeps nanosecond precision beyond 2^53 and survives reopening the DB file', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'sluice-runs-'));
    try {
      const path = join(dir, 'meta.db');
      const meta = MetaStore.open(path, { clock: new FakeClock() });
      const r = { ...run('0000000000000004', 1_700_000_000), requestedAtNs: 1_700_000_000_123_456_789n };
      meta.runs.createRun(r);
      meta.close();
      const again = MetaStore.open(path);
      expect(again.runs.getRun(r.id)).toEqual(r);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
