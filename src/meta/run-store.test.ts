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
