// Durable run bookkeeping (issue 6): every run of every task is persisted in the metadata DB
// (SQLite, WAL, synchronous = FULL) as it moves scheduled → started → success, with its log lines.
//
// Figure: full run lifecycles per second through SqliteRunStore on a real file (create + 2
// transitions + 3 log lines, each call durable when it returns). Baseline: the same calls on
// MemoryRunStore in the same run, so the ratio is the cost of durability. Target ≥ 500 runs/s:
// 10,000 hourly tasks finishing within one minute need ~170 runs/s, with room for log-heavy runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetaStore } from '../src/meta/meta-store.js';
import { MemoryRunStore } from '../src/tasks/memory-run-store.js';
import { transitionTo, type RunRecord } from '../src/tasks/run-lifecycle.js';
import type { RunStore } from '../src/tasks/run-store.js';
import { medianMs, type BenchSuite } from './harness.js';

const RUNS = 2_000;
const S = 1_000_000_000n;

function lifecycles(store: RunStore, offset: number): void {
  for (let i = 0; i < RUNS; i++) {
    const id = (offset + i + 1).toString(16).padStart(16, '0');
    const at = BigInt(1_700_000_000 + i) * S;
    const run: RunRecord = { id, taskId: '00000000000000aa', status: 'scheduled', trigger: 'schedule', scheduledForNs: at, runAtNs: at };
    store.createRun(run);
    const started = transitionTo(run, 'started', at + 1n);
    store.saveTransition(started, [{ runId: id, timeNs: at + 1n, message: 'Started task from script: "…"' }]);
    store.appendLogs([{ runId: id, timeNs: at + 2n, message: 'some output' }]);
    store.saveTransition(transitionTo(started, 'success', at + 3n, { attempts: 1 }), [{ runId: id, timeNs: at + 3n, message: 'Completed(success)' }]);
  }
}

const suite: BenchSuite = {
  name: 'tasks-run-store',
  async run(report) {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-runs-'));
    const meta = MetaStore.open(join(dir, 'meta.db'));
    try {
      let round = 0;
      const sqliteMs = await medianMs(() => lifecycles(meta.runs, RUNS * round++), 3, 1);
      const memory = new MemoryRunStore();
      let memRound = 0;
      const memoryMs = await medianMs(() => lifecycles(memory, RUNS * memRound++), 3, 1);
      const perSecond = (ms: number): number => (RUNS / ms) * 1000;
      const value = perSecond(sqliteMs);
      report({
        name: 'run lifecycles persisted (SQLite, synchronous=FULL)',
        value,
        unit: 'runs/s',
        baseline: { name: 'MemoryRunStore', value: perSecond(memoryMs) },
        target: '>= 500',
        ok: value >= 500,
      });
    } finally {
      meta.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
