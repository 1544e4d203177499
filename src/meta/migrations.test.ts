import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { MetaStore } from './meta-store.js';
import { applyMigrations, MIGRATIONS } from './migrations.js';
import { SqliteRunStore, type StoredRun, type StoredRunStatus } from './run-store.js';

// Migration 6: task_runs_status (every run, rewritten at every transition) replaced by the
// partial index task_runs_unfinished (only runs still scheduled/started, read at start-up).

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDb(): string {
  const d = mkdtempSync(join(tmpdir(), 'sluice-migrations-'));
  dirs.push(d);
  return join(d, 'meta.db');
}

const S = 1_000_000_000n;
function run(id: string, status: StoredRunStatus, scheduledForS: bigint, extra: Partial<StoredRun> = {}): StoredRun {
  return { id, taskId: extra.taskId ?? 't1', status, trigger: 'schedule', scheduledForNs: scheduledForS * S, runAtNs: scheduledForS * S, ...extra };
}

/** Runs of every status, created out of scheduledFor order; ids sort as the scheduler's do. */
const RUNS: readonly StoredRun[] = [
  run('r05', 'success', 5n, { startedAtNs: 5n * S, finishedAtNs: 6n * S, attempts: 1 }),
  run('r03', 'started', 3n, { startedAtNs: 3n * S, attempts: 1, taskId: 't2' }),
  run('r09', 'scheduled', 9n),
  run('r01', 'failed', 1n, { startedAtNs: 1n * S, finishedAtNs: 2n * S, attempts: 2, error: 'boom' }),
  run('r07', 'canceled', 7n, { finishedAtNs: 8n * S }),
  run('r02', 'scheduled', 2n, { trigger: 'manual', requestedAtNs: 1n * S, taskId: 't2' }),
  run('r08', 'started', 9n, { startedAtNs: 9n * S, attempts: 1 }),
];
const UNFINISHED_IN_RECOVERY_ORDER = ['r02', 'r03', 'r08', 'r09'];

function indexesOf(db: Database.Database): { name: string; sql: string | null }[] {
  return db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'task_runs' ORDER BY name").all() as {
    name: string;
    sql: string | null;
  }[];
}

function plan(db: Database.Database, sql: string, params: unknown[] = []): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

/** A file DB at schema version 5 (before the partial index), holding RUNS with a log line each. */
function databaseAtVersion5(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  expect(applyMigrations(db, new FakeClock(), MIGRATIONS.filter((m) => m.version <= 5))).toEqual([1, 2, 3, 4, 5]);
  const store = new SqliteRunStore(db);
  for (const r of RUNS) store.createRun(r, [{ runId: r.id, timeNs: r.scheduledForNs, message: `log of ${r.id}` }]);
  expect(indexesOf(db).map((i) => i.name)).toContain('task_runs_status');
  db.close();
}

describe('migration 6: task_runs_unfinished', () => {
  it('a database at version 5 opens, migrates, and keeps its runs and logs', () => {
    const path = tempDb();
    databaseAtVersion5(path);

    const meta = MetaStore.open(path, { clock: new FakeClock() });
    expect(meta.appliedMigrations).toEqual([6]);
    for (const r of RUNS) {
      expect(meta.runs.getRun(r.id)).toEqual(r);
      expect(meta.runs.listLogs(r.id)).toEqual([{ runId: r.id, timeNs: r.scheduledForNs, message: `log of ${r.id}` }]);
    }
    expect(meta.runs.findUnfinishedRuns().map((r) => r.id)).toEqual(UNFINISHED_IN_RECOVERY_ORDER);
    expect(meta.runs.listRuns('t2', { statuses: ['scheduled'] }).map((r) => r.id)).toEqual(['r02']);
    meta.close();

    // The schema as a new database gets it, and reopening applies nothing more.
    const raw = new Database(path, { readonly: true });
    expect(indexesOf(raw).map((i) => i.name)).toEqual(['sqlite_autoindex_task_runs_1', 'task_runs_task', 'task_runs_unfinished']);
    expect(raw.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 6 });
    expect(raw.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    raw.close();
    const reopened = MetaStore.open(path);
    expect(reopened.appliedMigrations).toEqual([]);
    expect(reopened.runs.findUnfinishedRuns().map((r) => r.id)).toEqual(UNFINISHED_IN_RECOVERY_ORDER);
    reopened.close();
  });

  it('a new database has the partial index only', () => {
    const db = new Database(':memory:');
    applyMigrations(db, new FakeClock());
    const indexes = indexesOf(db);
    expect(indexes.map((i) => i.name)).not.toContain('task_runs_status');
    expect(indexes.find((i) => i.name === 'task_runs_unfinished')?.sql).toMatch(/WHERE status IN \('scheduled', 'started'\)$/);
  });

  it("start-up recovery's query is answered from the partial index, in order, without a sort", () => {
    // The statement findUnfinishedRuns really prepares (not a copy of its text), planned by SQLite.
    const prepared: string[] = [];
    const prepare = Database.prototype.prepare;
    vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, sql: string) {
      prepared.push(sql);
      return prepare.call(this, sql);
    });
    const meta = MetaStore.open(':memory:');
    for (const r of RUNS) meta.runs.createRun(r);
    prepared.length = 0;
    expect(meta.runs.findUnfinishedRuns().map((r) => r.id)).toEqual(UNFINISHED_IN_RECOVERY_ORDER);
    vi.restoreAllMocks();
    expect(prepared).toHaveLength(1);

    const db = new Database(':memory:');
    applyMigrations(db, new FakeClock());
    expect(plan(db, prepared[0]!)).toEqual(['SCAN task_runs USING INDEX task_runs_unfinished']);
    meta.close();
  });

  it('runs leave the index as they finish; recovery sees exactly the runs in flight', () => {
    const db = new Database(':memory:');
    applyMigrations(db, new FakeClock());
    const store = new SqliteRunStore(db);
    // Rows of the partial index, read through it (SQLite refuses INDEXED BY when it cannot use it).
    const inIndex = (): string[] =>
      (
        db
          .prepare(`SELECT id FROM task_runs INDEXED BY task_runs_unfinished WHERE status IN ('scheduled', 'started') ORDER BY scheduled_for_ns, id`)
          .all() as { id: string }[]
      ).map((r) => r.id);
    const steps: { do: () => void; unfinished: string[] }[] = [
      { do: () => store.createRun(run('a', 'scheduled', 2n)), unfinished: ['a'] },
      { do: () => store.createRun(run('b', 'scheduled', 1n)), unfinished: ['b', 'a'] },
      { do: () => store.saveTransition(run('a', 'started', 2n, { startedAtNs: 3n * S, attempts: 1 })), unfinished: ['b', 'a'] },
      { do: () => store.saveTransition(run('a', 'success', 2n, { startedAtNs: 3n * S, finishedAtNs: 4n * S, attempts: 1 })), unfinished: ['b'] },
      { do: () => store.saveTransition(run('b', 'canceled', 1n, { finishedAtNs: 4n * S })), unfinished: [] },
      { do: () => store.createRun(run('c', 'scheduled', 0n)), unfinished: ['c'] },
      { do: () => store.saveTransition(run('c', 'failed', 0n, { finishedAtNs: 5n * S, error: 'x' })), unfinished: [] },
    ];
    for (const step of steps) {
      step.do();
      expect(inIndex()).toEqual(step.unfinished);
      expect(store.findUnfinishedRuns().map((r) => r.id)).toEqual(step.unfinished);
    }
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });
});

describe('schema of the file', () => {
  it("MetaStore's bucket-change triggers are TEMP: not in the file, which another connection can still change", () => {
    const path = tempDb();
    const meta = MetaStore.open(path);
    const org = meta.orgs.create({ name: 'acme' });
    const before = meta.bucketsVersion();
    meta.buckets.create({ orgID: org.id, name: 'b' });
    expect(meta.bucketsVersion()).not.toBe(before);
    meta.close();

    const raw = new Database(path);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()).toEqual([]);
    // Without MetaStore's connection-local function, a trigger in the file would fail this write.
    expect(raw.prepare("UPDATE buckets SET name = 'c' WHERE name = 'b'").run().changes).toBe(1);
    raw.close();
    const reopened = MetaStore.open(path);
    expect(reopened.buckets.findByName(org.id, 'c')).toBeDefined();
    reopened.close();
  });
});
