import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../core/errors.js';
import { transitionTo, type RunRecord } from '../run-lifecycle.js';
import type { RunStore } from '../run-store.js';

const S = 1_000_000_000n;

function run(id: string, taskId: string, scheduledForS: number, fields: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    taskId,
    status: 'scheduled',
    trigger: 'schedule',
    scheduledForNs: BigInt(scheduledForS) * S,
    runAtNs: BigInt(scheduledForS) * S,
    ...fields,
  };
}

const ids = (runs: readonly RunRecord[]): string[] => runs.map((r) => r.id);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof SluiceError ? e.code : 'not a SluiceError';
  }
  return undefined;
}

/**
 * The behaviour every RunStore must have. Call from a test file with a factory returning a fresh,
 * empty store: `runRunStoreSuite('SqliteRunStore', () => new SqliteRunStore(openTempDb()))`.
 */
export function runRunStoreSuite(name: string, makeStore: () => RunStore): void {
  describe(`RunStore contract: ${name}`, () => {
    it('creates, reads and round-trips every field, bigint times included', () => {
      const store = makeStore();
      const r = run('0000000000000001', '00000000000000aa', 1_700_000_000, {
        trigger: 'manual',
        requestedAtNs: 1_700_000_000_123_456_789n,
        runAtNs: 1_700_000_060n * S,
      });
      store.createRun(r, [{ runId: r.id, timeNs: 5n, message: 'queued' }]);
      expect(store.getRun(r.id)).toEqual(r);
      expect(store.listLogs(r.id)).toEqual([{ runId: r.id, timeNs: 5n, message: 'queued' }]);
      expect(store.getRun('00000000000000ff')).toBeUndefined();
    });

    it('rejects a duplicate id with conflict', () => {
      const store = makeStore();
      store.createRun(run('0000000000000001', '00000000000000aa', 1));
      expect(codeOf(() => store.createRun(run('0000000000000001', '00000000000000aa', 2)))).toBe('conflict');
    });

    it('persists each transition with its log lines, in order', () => {
      const store = makeStore();
      const r0 = run('0000000000000001', '00000000000000aa', 100);
      store.createRun(r0);
      const r1 = transitionTo(r0, 'started', 101n * S);
      store.saveTransition(r1, [{ runId: r0.id, timeNs: 101n * S, message: 'Started task from script: "x"' }]);
      store.appendLogs([{ runId: r0.id, timeNs: 102n * S, message: 'boom' }]);
      const r2 = transitionTo(r1, 'failed', 103n * S, { attempts: 2, error: 'boom' });
      store.saveTransition(r2, [{ runId: r0.id, timeNs: 103n * S, message: 'Completed(failed)' }]);
      expect(store.getRun(r0.id)).toEqual(r2);
      expect(store.getRun(r0.id)).toMatchObject({ status: 'failed', startedAtNs: 101n * S, finishedAtNs: 103n * S, attempts: 2, error: 'boom' });
      expect(store.listLogs(r0.id).map((l) => l.message)).toEqual(['Started task from script: "x"', 'boom', 'Completed(failed)']);
    });

    it('saveTransition and appendLogs of an unknown run throw not found', () => {
      const store = makeStore();
      expect(codeOf(() => store.saveTransition(run('0000000000000009', '00000000000000aa', 1)))).toBe('not found');
      expect(codeOf(() => store.appendLogs([{ runId: '0000000000000009', timeNs: 1n, message: 'x' }]))).toBe('not found');
    });

    it('lists a task’s runs most recent first, with filters and limit', () => {
      const store = makeStore();
      store.createRun(run('0000000000000001', '00000000000000aa', 10));
      store.createRun(run('0000000000000002', '00000000000000aa', 30));
      store.createRun(run('0000000000000003', '00000000000000aa', 20));
      store.createRun(run('0000000000000004', '00000000000000bb', 40));
      const started = transitionTo(store.getRun('0000000000000003')!, 'started', 21n * S);
      store.saveTransition(started);
      expect(ids(store.listRuns('00000000000000aa'))).toEqual(['0000000000000002', '0000000000000003', '0000000000000001']);
      expect(ids(store.listRuns('00000000000000aa', { limit: 2 }))).toEqual(['0000000000000002', '0000000000000003']);
      expect(ids(store.listRuns('00000000000000aa', { afterNs: 10n * S }))).toEqual(['0000000000000002', '0000000000000003']);
      expect(ids(store.listRuns('00000000000000aa', { beforeNs: 30n * S }))).toEqual(['0000000000000003', '0000000000000001']);
      expect(ids(store.listRuns('00000000000000aa', { statuses: ['started'] }))).toEqual(['0000000000000003']);
      expect(store.listRuns('00000000000000cc')).toEqual([]);
    });

    it('finds unfinished runs of all tasks, oldest first', () => {
      const store = makeStore();
      store.createRun(run('0000000000000001', '00000000000000aa', 30));
      store.createRun(run('0000000000000002', '00000000000000bb', 10));
      store.createRun(run('0000000000000003', '00000000000000aa', 20));
      store.saveTransition(transitionTo(store.getRun('0000000000000003')!, 'started', 21n * S));
      store.saveTransition(transitionTo(store.getRun('0000000000000001')!, 'canceled', 22n * S));
      expect(ids(store.findUnfinishedRuns())).toEqual(['0000000000000002', '0000000000000003']);
    });

    it('records skipped slots per task, most recent first', () => {
      const store = makeStore();
      const a = { taskId: '00000000000000aa', firstScheduledForNs: 1n * S, lastScheduledForNs: 5n * S, count: 5, reason: 'r1', recordedAtNs: 9n * S };
      const b = { ...a, firstScheduledForNs: 6n * S, lastScheduledForNs: 7n * S, count: 2, reason: 'r2', recordedAtNs: 10n * S };
      store.recordSkippedSlots(a);
      store.recordSkippedSlots({ ...a, taskId: '00000000000000bb' });
      store.recordSkippedSlots(b);
      expect(store.listSkippedSlots('00000000000000aa')).toEqual([b, a]);
    });
  });
}
