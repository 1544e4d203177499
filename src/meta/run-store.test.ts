import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../core/errors.js';
import { MetaStore } from './meta-store.js';
import type { StoredRun } from './run-store.js';

const S = 1_000_000_000n;

function run(id: string, at: bigint): StoredRun {
  return { id, taskId: '00000000000000aa', status: 'scheduled', trigger: 'schedule', scheduledForNs: at, runAtNs: at };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof SluiceError ? e.code : `not a SluiceError: ${String(e)}`;
  }
  return undefined;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-meta-runs-'));
  dirs.push(dir);
  return join(dir, 'meta.db');
}

describe('SqliteRunStore writes (one transaction per call)', () => {
  it.each([
    {
      name: 'duplicate createRun is a conflict and adds none of its log lines',
      act: (m: MetaStore) =>
        m.runs.createRun(run('0000000000000001', 2n * S), [{ runId: '0000000000000001', timeNs: 2n * S, message: 'dup' }]),
      code: 'conflict',
    },
    {
      name: 'createRun with a log line of an unknown run is not found and creates nothing',
      act: (m: MetaStore) =>
        m.runs.createRun(run('0000000000000002', 2n * S), [{ runId: '00000000000000ff', timeNs: 2n * S, message: 'x' }]),
      code: 'not found',
    },
    {
      name: 'saveTransition with a log line of an unknown run is not found and changes nothing',
      act: (m: MetaStore) =>
        m.runs.saveTransition({ ...run('0000000000000001', S), status: 'started', startedAtNs: 3n * S }, [
          { runId: '00000000000000ff', timeNs: 3n * S, message: 'x' },
        ]),
      code: 'not found',
    },
  ])('$name', ({ act, code }) => {
    const meta = MetaStore.open(':memory:');
    try {
      meta.runs.createRun(run('0000000000000001', S), [{ runId: '0000000000000001', timeNs: S, message: 'first' }]);
      expect(codeOf(() => act(meta))).toBe(code);
      expect(meta.runs.getRun('0000000000000001')).toEqual(run('0000000000000001', S));
      expect(meta.runs.getRun('0000000000000002')).toBeUndefined();
      expect(meta.runs.listLogs('0000000000000001').map((l) => l.message)).toEqual(['first']);
    } finally {
      meta.close();
    }
  });

  it.each(['NORMAL', 'FULL'] as const)('with synchronous = %s, a committed lifecycle is there after reopening', (synchronous) => {
    const path = tempDb();
    const first = MetaStore.open(path, { synchronous });
    const r = run('0000000000000003', 5n * S);
    first.runs.createRun(r, [{ runId: r.id, timeNs: 5n * S, message: 'scheduled' }]);
    first.runs.saveTransition({ ...r, status: 'success', startedAtNs: 6n * S, finishedAtNs: 7n * S, attempts: 1 }, [
      { runId: r.id, timeNs: 7n * S, message: 'Completed(success)' },
    ]);
    first.close();
    const again = MetaStore.open(path);
    try {
      expect(again.runs.getRun(r.id)).toEqual({ ...r, status: 'success', startedAtNs: 6n * S, finishedAtNs: 7n * S, attempts: 1 });
      expect(again.runs.listLogs(r.id).map((l) => l.message)).toEqual(['scheduled', 'Completed(success)']);
      expect(again.runs.findUnfinishedRuns()).toEqual([]);
    } finally {
      again.close();
    }
  });
});

describe('SqliteRunStore.batch (one commit for many writes)', () => {
  it('writes inside a batch commit together with the task checkpoints, and survive reopening', () => {
    const path = tempDb();
    const first = MetaStore.open(path);
    const orgID = first.orgs.create({ name: 'acme' }).id;
    const task = first.tasks.create({ orgID, ownerID: '0000000000000001', name: 't', flux: 'x', every: '1m' });
    const runs = Array.from({ length: 3 }, (_, i) => ({ ...run(`000000000000010${i}`, task.latestScheduledNs + BigInt(60 * (i + 1)) * S), taskId: task.id }));
    first.runs.batch(() => {
      for (const r of runs) {
        first.runs.createRun(r);
        first.tasks.advanceLatestScheduled(task.id, r.scheduledForNs);
      }
      // Reads inside the batch see its writes.
      expect(first.runs.findUnfinishedRuns().map((r) => r.id)).toEqual(runs.map((r) => r.id));
    });
    first.close();
    const again = MetaStore.open(path);
    try {
      expect(again.runs.findUnfinishedRuns()).toEqual(runs);
      expect(again.tasks.get(task.id).latestScheduledNs).toBe(runs[2]!.scheduledForNs);
    } finally {
      again.close();
    }
  });

  it.each([
    { name: 'an error leaving the batch undoes all of its writes', caught: false, kept: [] as string[] },
    { name: 'a write that throws and is caught inside is undone alone', caught: true, kept: ['0000000000000201', '0000000000000203'] },
  ])('$name', ({ caught, kept }) => {
    const meta = MetaStore.open(':memory:');
    try {
      meta.runs.createRun(run('0000000000000202', S));
      const act = (): void =>
        meta.runs.batch(() => {
          meta.runs.createRun(run('0000000000000201', 2n * S));
          try {
            // A duplicate, with a log line: the conflict undoes this call's writes only.
            meta.runs.createRun(run('0000000000000202', 3n * S), [{ runId: '0000000000000202', timeNs: 3n * S, message: 'dup' }]);
          } catch (e) {
            if (!caught) throw e;
          }
          meta.runs.createRun(run('0000000000000203', 4n * S));
        });
      expect(codeOf(act)).toBe(caught ? undefined : 'conflict');
      const ids = meta.runs.findUnfinishedRuns().map((r) => r.id).filter((id) => id !== '0000000000000202');
      expect(ids).toEqual(kept);
      expect(meta.runs.getRun('0000000000000202')).toEqual(run('0000000000000202', S));
      expect(meta.runs.listLogs('0000000000000202')).toEqual([]);
    } finally {
      meta.close();
    }
  });
});
