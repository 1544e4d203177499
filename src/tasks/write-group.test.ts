import { describe, expect, it } from 'vitest';
import { MetaStore } from '../meta/meta-store.js';
import { MemoryRunStore } from './memory-run-store.js';
import type { RunRecord } from './run-lifecycle.js';
import type { RunStore } from './run-store.js';
import { WriteGroup } from './write-group.js';

const run = (id: string): RunRecord => ({ id, taskId: '00000000000000aa', status: 'scheduled', trigger: 'schedule', scheduledForNs: 1n, runAtNs: 1n });

/** A manual `defer`: flushes only when the test says so. */
function manual(): { defer: (f: () => void) => void; pending: () => number; flush: () => void } {
  const queued: (() => void)[] = [];
  return { defer: (f) => queued.push(f), pending: () => queued.length, flush: () => queued.splice(0).forEach((f) => f()) };
}

async function outcome(p: Promise<void>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
}

describe('WriteGroup', () => {
  it('writes queued before a flush commit in one batch, in order, and settle only after it', async () => {
    const store = new MemoryRunStore();
    let batches = 0;
    const batch = store.batch.bind(store);
    store.batch = <T>(fn: () => T): T => (batches++, batch(fn));
    const m = manual();
    const group = new WriteGroup(store, m.defer);
    const done: string[] = [];
    const writes = ['0000000000000001', '0000000000000002', '0000000000000003'].map((id) =>
      group.write(() => store.createRun(run(id))).then(() => done.push(id)),
    );
    expect(m.pending()).toBe(1); // one flush scheduled for the three
    await Promise.resolve();
    expect(done).toEqual([]);
    expect(store.getRun('0000000000000001')).toBeUndefined();
    m.flush();
    await Promise.all(writes);
    expect(done).toEqual(['0000000000000001', '0000000000000002', '0000000000000003']);
    // One outer batch plus one savepoint per write.
    expect(batches).toBe(4);
    expect(store.listRuns('00000000000000aa').map((r) => r.id)).toEqual(['0000000000000003', '0000000000000002', '0000000000000001']);
  });

  it('an atomic write runs without a savepoint of its own; one that throws is rejected alone on SQLite', async () => {
    const meta = MetaStore.open(':memory:');
    try {
      const store: RunStore = meta.runs;
      store.createRun(run('0000000000000009'));
      let batches = 0;
      const batch = store.batch!.bind(store);
      store.batch = <T>(fn: () => T): T => (batches++, batch(fn));
      const m = manual();
      const group = new WriteGroup(store, m.defer);
      const a = outcome(group.write(() => store.createRun(run('0000000000000001')), { atomic: true }));
      const dup = outcome(group.write(() => store.createRun(run('0000000000000009')), { atomic: true }));
      const b = outcome(group.write(() => store.createRun(run('0000000000000002')), { atomic: true }));
      m.flush();
      expect([await a, await dup, await b]).toEqual(['ok', 'run 0000000000000009 already exists', 'ok']);
      expect(batches).toBe(1); // the outer batch only
      expect(store.listRuns('00000000000000aa').map((r) => r.id)).toEqual(['0000000000000009', '0000000000000002', '0000000000000001']);
    } finally {
      meta.close();
    }
  });

  it('on SQLite, a write that throws is undone and rejected alone; the others commit', async () => {
    const meta = MetaStore.open(':memory:');
    try {
      const store: RunStore = meta.runs;
      store.createRun(run('0000000000000009'));
      const m = manual();
      const group = new WriteGroup(store, m.defer);
      const a = outcome(group.write(() => store.createRun(run('0000000000000001'))));
      const dup = outcome(
        group.write(() => {
          store.appendLogs([{ runId: '0000000000000009', timeNs: 2n, message: 'before the conflict' }]);
          store.createRun(run('0000000000000009'));
        }),
      );
      const b = outcome(group.write(() => store.createRun(run('0000000000000002'))));
      m.flush();
      expect([await a, await dup, await b]).toEqual(['ok', 'run 0000000000000009 already exists', 'ok']);
      expect(store.findUnfinishedRuns().map((r) => r.id)).toEqual(['0000000000000001', '0000000000000002', '0000000000000009']);
      expect(store.listLogs('0000000000000009')).toEqual([]);
    } finally {
      meta.close();
    }
  });

  it('a store without batch gets each write committed at once', async () => {
    const inner = new MemoryRunStore();
    const store: RunStore = {
      createRun: (r, l) => inner.createRun(r, l),
      saveTransition: (r, l) => inner.saveTransition(r, l),
      appendLogs: (l) => inner.appendLogs(l),
      getRun: (id) => inner.getRun(id),
      listRuns: (id, q) => inner.listRuns(id, q),
      listLogs: (id) => inner.listLogs(id),
      findUnfinishedRuns: () => inner.findUnfinishedRuns(),
      recordSkippedSlots: (s) => inner.recordSkippedSlots(s),
      listSkippedSlots: (id) => inner.listSkippedSlots(id),
    };
    const m = manual();
    const group = new WriteGroup(store, m.defer);
    const p = group.write(() => store.createRun(run('0000000000000001')));
    expect(store.getRun('0000000000000001')).toBeDefined();
    expect(m.pending()).toBe(0);
    expect(await outcome(p)).toBe('ok');
    expect(await outcome(group.write(() => store.createRun(run('0000000000000001'))))).toBe('run 0000000000000001 already exists');
  });
});
