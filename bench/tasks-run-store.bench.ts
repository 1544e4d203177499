// Run bookkeeping (issue 6): every run of every task is persisted in the metadata DB (SQLite,
// WAL) as it moves scheduled → started → success, with its log lines.
//
// Figures: full run lifecycles per second through SqliteRunStore on a real file (create + 2
// transitions + 3 log lines, 4 transactions), with the server's setting (synchronous = NORMAL:
// no fsync per commit, durable at WAL checkpoints) and with synchronous = FULL (an fsync per
// commit, the previous setting). Baseline: the same calls on MemoryRunStore in the same run.
// Targets: ≥ 500 runs/s at FULL (10,000 hourly tasks within a minute ≈ 170 runs/s) and ≥ 2,000
// runs/s at NORMAL (10,000 tasks every minute ≈ 170 runs/s, so the bookkeeping takes under a tenth
// of the one event loop and leaves it to the queries).
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
    const memory = new MemoryRunStore();
    let memRound = 0;
    const memoryMs = await medianMs(() => lifecycles(memory, RUNS * memRound++), 3, 1);
    const perSecond = (ms: number): number => (RUNS / ms) * 1000;
    for (const [synchronous, target] of [['NORMAL', 2_000], ['FULL', 500]] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-runs-'));
      const meta = MetaStore.open(join(dir, 'meta.db'), { synchronous });
      try {
        let round = 0;
        const value = perSecond(await medianMs(() => lifecycles(meta.runs, RUNS * round++), 3, 1));
        report({
          name: `run lifecycles persisted (SQLite WAL, synchronous=${synchronous}${synchronous === 'NORMAL' ? ', the server setting' : ''})`,
          value,
          unit: 'runs/s',
          baseline: { name: 'MemoryRunStore', value: perSecond(memoryMs) },
          target: `>= ${target}`,
          ok: value >= target,
        });
      } finally {
        meta.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  },
};

export default suite;
