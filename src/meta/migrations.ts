import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { formatRfc3339Nano } from '../core/time.js';

/**
 * Versioned schema migrations of the metadata DB. Each migration runs once, inside a transaction
 * together with the row that records it in `schema_migrations`, so a crash mid-migration leaves
 * the DB at the previous version. Versions are only ever appended; a shipped migration is never
 * edited (write a new one instead).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tenancy: orgs, users, buckets, authorizations, labels',
    sql: `
      CREATE TABLE orgs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        password_hash TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE buckets (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        rp TEXT,
        retention_seconds INTEGER NOT NULL,
        shard_group_seconds INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (org_id, name)
      );
      CREATE TABLE authorizations (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        permissions TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE labels (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        properties TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (org_id, name)
      );
      CREATE TABLE label_mappings (
        label_id TEXT NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
        resource_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        PRIMARY KEY (label_id, resource_type, resource_id)
      );
      CREATE INDEX label_mappings_resource ON label_mappings (resource_type, resource_id);
    `,
  },
  {
    version: 2,
    name: 'sessions (POST /api/v2/signin)',
    sql: `
      CREATE TABLE sessions (
        key_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at_ms INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'dbrp mappings (v1 database/retention policy → bucket)',
    sql: `
      CREATE TABLE dbrps (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        bucket_id TEXT NOT NULL REFERENCES buckets(id) ON DELETE CASCADE,
        database TEXT NOT NULL,
        retention_policy TEXT NOT NULL,
        is_default INTEGER NOT NULL,
        UNIQUE (org_id, database, retention_policy)
      );
    `,
  },
  {
    version: 4,
    name: 'org members and owners',
    sql: `
      CREATE TABLE org_members (
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (org_id, user_id)
      );
      CREATE INDEX org_members_user ON org_members (user_id);
    `,
  },
  {
    version: 5,
    name: 'tasks, task runs and run logs, skipped slots, invokable scripts',
    // Times are INTEGER nanoseconds since the Unix epoch (read back as bigint).
    sql: `
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        owner_id TEXT NOT NULL,
        type TEXT NOT NULL DEFAULT 'system',
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        flux TEXT NOT NULL,
        every TEXT,
        cron TEXT,
        offset TEXT,
        script_id TEXT,
        script_parameters TEXT,
        authorization_id TEXT,
        latest_scheduled_ns INTEGER NOT NULL,
        latest_completed_ns INTEGER NOT NULL,
        latest_success_ns INTEGER,
        latest_failure_ns INTEGER,
        last_run_status TEXT,
        last_run_error TEXT,
        created_at_ns INTEGER NOT NULL,
        updated_at_ns INTEGER
      );
      CREATE INDEX tasks_org ON tasks (org_id);
      CREATE TABLE task_runs (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL,
        status TEXT NOT NULL,
        trigger TEXT NOT NULL,
        scheduled_for_ns INTEGER NOT NULL,
        run_at_ns INTEGER NOT NULL,
        requested_at_ns INTEGER,
        started_at_ns INTEGER,
        finished_at_ns INTEGER,
        attempts INTEGER,
        error TEXT
      );
      CREATE INDEX task_runs_task ON task_runs (task_id, scheduled_for_ns);
      CREATE INDEX task_runs_status ON task_runs (status);
      CREATE TABLE task_run_logs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES task_runs(id) ON DELETE CASCADE,
        time_ns INTEGER NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX task_run_logs_run ON task_run_logs (run_id, seq);
      CREATE TABLE task_skipped_slots (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL,
        first_scheduled_for_ns INTEGER NOT NULL,
        last_scheduled_for_ns INTEGER NOT NULL,
        count INTEGER NOT NULL,
        reason TEXT NOT NULL,
        recorded_at_ns INTEGER NOT NULL
      );
      CREATE INDEX task_skipped_slots_task ON task_skipped_slots (task_id, seq);
      CREATE TABLE scripts (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        script TEXT NOT NULL,
        language TEXT NOT NULL,
        created_at_ns INTEGER NOT NULL,
        updated_at_ns INTEGER NOT NULL,
        UNIQUE (org_id, name)
      );
    `,
  },
  {
    version: 6,
    name: 'task runs: partial index of unfinished runs instead of an index on every status',
    // `task_runs_status` (migration 5) indexed every run's status, so each transition of every
    // run rewrote an entry of it (scheduled → started → success: a delete and an insert each),
    // while the one query it served is start-up recovery (SqliteRunStore.findUnfinishedRuns:
    // `status IN ('scheduled', 'started') ORDER BY scheduled_for_ns, id`). The partial index
    // holds only the runs still scheduled or started, in the order recovery reads them (no sort),
    // so a finished run leaves it and the index stays as small as the runs in flight. SQLite uses
    // a partial index only for a query whose WHERE contains the index's WHERE term as written:
    // the recovery query must keep `status IN ('scheduled', 'started')` word for word (checked by
    // EXPLAIN QUERY PLAN in migrations.test.ts). The other status filters (retention's and a
    // deleted task's `NOT IN`, listRuns' `status IN (?…)` next to `task_id = ?`) never used the
    // old index: they go through task_runs_task or a scan, as before.
    sql: `
      DROP INDEX task_runs_status;
      CREATE INDEX task_runs_unfinished ON task_runs (scheduled_for_ns, id) WHERE status IN ('scheduled', 'started');
    `,
  },
];

/**
 * Applies every migration newer than the DB's version, in order. Returns the versions applied.
 * Refuses a DB written by a newer Sluice (its version is above the last migration known here).
 */
export function applyMigrations(db: Database.Database, clock: Clock, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  if (current > latest) {
    throw new Error(`metadata schema version ${current} is newer than this sluice supports (${latest}); upgrade sluice`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, formatRfc3339Nano(clock.nowNs()));
    })();
    applied.push(m.version);
  }
  return applied;
}
