import type Database from 'better-sqlite3';
import { conflict, notFound } from '../core/errors.js';
import type { Id } from '../core/ids.js';
import { StatementCache } from './statement-cache.js';

/*
 * Task runs, their logs and skipped-slot records in SQLite. The shapes below are those of
 * src/tasks (RunRecord, RunLogEntry, SkippedSlots, RunQuery): meta may not import tasks (the
 * dependency direction is tasks → meta), so they are restated here and TypeScript's structural
 * typing makes SqliteRunStore a `RunStore` (checked in test/tasks-sqlite-run-store.test.ts,
 * which runs the contract suite against it).
 */

export type StoredRunStatus = 'scheduled' | 'started' | 'success' | 'failed' | 'canceled';

export interface StoredRun {
  readonly id: Id;
  readonly taskId: Id;
  readonly status: StoredRunStatus;
  readonly trigger: 'schedule' | 'manual';
  readonly scheduledForNs: bigint;
  readonly runAtNs: bigint;
  readonly requestedAtNs?: bigint;
  readonly startedAtNs?: bigint;
  readonly finishedAtNs?: bigint;
  readonly attempts?: number;
  readonly error?: string;
}

export interface StoredRunLog {
  readonly runId: Id;
  readonly timeNs: bigint;
  readonly message: string;
}

export interface StoredSkippedSlots {
  readonly taskId: Id;
  readonly firstScheduledForNs: bigint;
  readonly lastScheduledForNs: bigint;
  readonly count: number;
  readonly reason: string;
  readonly recordedAtNs: bigint;
}

export interface StoredRunQuery {
  readonly limit?: number;
  readonly afterNs?: bigint;
  readonly beforeNs?: bigint;
  readonly statuses?: readonly StoredRunStatus[];
}

interface RunRow {
  id: string;
  task_id: string;
  status: StoredRunStatus;
  trigger: 'schedule' | 'manual';
  scheduled_for_ns: bigint;
  run_at_ns: bigint;
  requested_at_ns: bigint | null;
  started_at_ns: bigint | null;
  finished_at_ns: bigint | null;
  attempts: bigint | null;
  error: string | null;
}

function toRun(r: RunRow): StoredRun {
  return {
    id: r.id,
    taskId: r.task_id,
    status: r.status,
    trigger: r.trigger,
    scheduledForNs: r.scheduled_for_ns,
    runAtNs: r.run_at_ns,
    ...(r.requested_at_ns === null ? {} : { requestedAtNs: r.requested_at_ns }),
    ...(r.started_at_ns === null ? {} : { startedAtNs: r.started_at_ns }),
    ...(r.finished_at_ns === null ? {} : { finishedAtNs: r.finished_at_ns }),
    ...(r.attempts === null ? {} : { attempts: Number(r.attempts) }),
    ...(r.error === null ? {} : { error: r.error }),
  };
}

const RUN_COLUMNS = 'id, task_id, status, trigger, scheduled_for_ns, run_at_ns, requested_at_ns, started_at_ns, finished_at_ns, attempts, error';
// Statements run per run are built once: the statement cache is keyed by SQL text, and a string
// built per call is hashed per call (10,000 run creations at :00).
const INSERT_RUN = `INSERT INTO task_runs (${RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const SELECT_RUN = `SELECT ${RUN_COLUMNS} FROM task_runs WHERE id = ?`;
/** Default age after which finished runs and their logs are deleted (InfluxDB keeps 3 days in `_tasks`). */
export const DEFAULT_RUN_RETENTION_NS = 30n * 86_400n * 1_000_000_000n;

/**
 * Run records (the task engine's RunStore contract): every method is one SQLite statement or
 * transaction, atomic and ordered. Durability (see MetaStore.open): the DB runs in WAL mode with
 * synchronous = NORMAL, so a committed call survives a process crash at once and a power loss or
 * OS crash once the WAL is checkpointed/synced; such a crash can lose only the last transactions,
 * never corrupt the DB. Losing a transition is safe by construction: a run whose record says
 * `scheduled` or `started` is run again on start (findUnfinishedRuns), and a lost createRun is
 * a slot the scheduler catches up from the task's latestScheduled checkpoint.
 */
export class SqliteRunStore {
  private readonly sql: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.sql = new StatementCache(db);
  }

  /** A statement whose integer columns read back as bigint (nanosecond times exceed 2^53). */
  private big(sql: string): Database.Statement {
    return this.sql.get(sql).safeIntegers(true);
  }

  createRun(run: StoredRun, logs: readonly StoredRunLog[] = []): void {
    const insert = (): void => {
      try {
        this.sql.get(INSERT_RUN).run(...runValues(run));
      } catch (e) {
        // The primary key answers "already exists" without a SELECT before every insert.
        if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw conflict(`run ${run.id} already exists`);
        throw e;
      }
    };
    // One statement is atomic by itself: a transaction (a savepoint inside a batch) only when
    // log lines come with it. The scheduler creates thousands of runs per batch without any.
    if (logs.length === 0) insert();
    else this.atomic(() => (insert(), this.insertLogs(logs, run.id)));
  }

  saveTransition(run: StoredRun, logs: readonly StoredRunLog[] = []): void {
    // Only what a transition changes (run-lifecycle's transitionTo): the rest of a run is fixed
    // when it is created, and leaving the indexed columns alone spares their index updates.
    const update = (): void => {
      const changed = this.sql
        .get('UPDATE task_runs SET status = ?, started_at_ns = ?, finished_at_ns = ?, attempts = ?, error = ? WHERE id = ?')
        .run(run.status, run.startedAtNs ?? null, run.finishedAtNs ?? null, run.attempts ?? null, run.error ?? null, run.id).changes;
      if (changed === 0) throw notFound('run not found');
    };
    if (logs.length === 0) update();
    else this.atomic(() => (update(), this.insertLogs(logs, run.id)));
  }

  /** Runs `fn` as one transaction (a savepoint when already inside one, e.g. a batch). */
  private atomic(fn: () => void): void {
    this.#atomic ??= this.db.transaction((f: () => void) => f());
    this.#atomic(fn);
  }

  #atomic: ((fn: () => void) => void) | undefined;

  /**
   * One SQLite transaction around `fn`: the writes inside (this store's and any other store's on
   * the same connection, e.g. the task checkpoints) commit together; the writes' own transactions
   * become savepoints, so one that throws is undone alone when `fn` catches it.
   */
  batch<T>(fn: () => T): T {
    let out: T | undefined;
    this.atomic(() => {
      out = fn();
    });
    return out as T;
  }

  appendLogs(logs: readonly StoredRunLog[]): void {
    this.atomic(() => this.insertLogs(logs));
  }

  getRun(runId: Id): StoredRun | undefined {
    const row = this.big(SELECT_RUN).get(runId) as RunRow | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  listRuns(taskId: Id, query: StoredRunQuery = {}): StoredRun[] {
    const where = ['task_id = ?'];
    const args: unknown[] = [taskId];
    if (query.afterNs !== undefined) {
      where.push('scheduled_for_ns > ?');
      args.push(query.afterNs);
    }
    if (query.beforeNs !== undefined) {
      where.push('scheduled_for_ns < ?');
      args.push(query.beforeNs);
    }
    if (query.statuses !== undefined) {
      if (query.statuses.length === 0) return [];
      where.push(`status IN (${query.statuses.map(() => '?').join(', ')})`);
      args.push(...query.statuses);
    }
    args.push(query.limit ?? 100);
    const rows = this.big(
      `SELECT ${RUN_COLUMNS} FROM task_runs WHERE ${where.join(' AND ')} ORDER BY scheduled_for_ns DESC, id DESC LIMIT ?`,
    ).all(...args) as RunRow[];
    return rows.map(toRun);
  }

  listLogs(runId: Id): StoredRunLog[] {
    const rows = this.big('SELECT run_id, time_ns, message FROM task_run_logs WHERE run_id = ? ORDER BY seq').all(runId) as {
      run_id: string;
      time_ns: bigint;
      message: string;
    }[];
    return rows.map((r) => ({ runId: r.run_id, timeNs: r.time_ns, message: r.message }));
  }

  findUnfinishedRuns(): StoredRun[] {
    const rows = this.big(
      `SELECT ${RUN_COLUMNS} FROM task_runs WHERE status IN ('scheduled', 'started') ORDER BY scheduled_for_ns, id`,
    ).all() as RunRow[];
    return rows.map(toRun);
  }

  recordSkippedSlots(s: StoredSkippedSlots): void {
    this.sql
      .get(
        `INSERT INTO task_skipped_slots (task_id, first_scheduled_for_ns, last_scheduled_for_ns, count, reason, recorded_at_ns)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(s.taskId, s.firstScheduledForNs, s.lastScheduledForNs, s.count, s.reason, s.recordedAtNs);
  }

  listSkippedSlots(taskId: Id): StoredSkippedSlots[] {
    const rows = this.big(
      `SELECT task_id, first_scheduled_for_ns, last_scheduled_for_ns, count, reason, recorded_at_ns
       FROM task_skipped_slots WHERE task_id = ? ORDER BY seq DESC`,
    ).all(taskId) as {
      task_id: string;
      first_scheduled_for_ns: bigint;
      last_scheduled_for_ns: bigint;
      count: bigint;
      reason: string;
      recorded_at_ns: bigint;
    }[];
    return rows.map((r) => ({
      taskId: r.task_id,
      firstScheduledForNs: r.first_scheduled_for_ns,
      lastScheduledForNs: r.last_scheduled_for_ns,
      count: Number(r.count),
      reason: r.reason,
      recordedAtNs: r.recorded_at_ns,
    }));
  }

  /**
   * Retention: deletes finished runs (and their logs) that finished before `cutoffNs`, and
   * skipped-slot records made before it. Unfinished runs are kept whatever their age (recovery
   * needs them). Returns how many runs were deleted.
   */
  deleteFinishedBefore(cutoffNs: bigint): number {
    return this.db.transaction(() => {
      this.sql
        .get(
          `DELETE FROM task_run_logs WHERE run_id IN
           (SELECT id FROM task_runs WHERE finished_at_ns IS NOT NULL AND finished_at_ns < ? AND status NOT IN ('scheduled', 'started'))`,
        )
        .run(cutoffNs);
      const runs = this.sql
        .get(`DELETE FROM task_runs WHERE finished_at_ns IS NOT NULL AND finished_at_ns < ? AND status NOT IN ('scheduled', 'started')`)
        .run(cutoffNs).changes;
      this.sql.get('DELETE FROM task_skipped_slots WHERE recorded_at_ns < ?').run(cutoffNs);
      return runs;
    })();
  }

  /** Deletes every finished run of a deleted task (unfinished ones end through the scheduler, then age out). */
  deleteFinishedRunsOfTask(taskId: Id): void {
    this.db.transaction(() => {
      this.sql
        .get(`DELETE FROM task_run_logs WHERE run_id IN (SELECT id FROM task_runs WHERE task_id = ? AND status NOT IN ('scheduled', 'started'))`)
        .run(taskId);
      this.sql.get(`DELETE FROM task_runs WHERE task_id = ? AND status NOT IN ('scheduled', 'started')`).run(taskId);
      this.sql.get('DELETE FROM task_skipped_slots WHERE task_id = ?').run(taskId);
    })();
  }

  /** Inserts log lines of existing runs; `knownRunId` was just written in this transaction (no lookup). */
  private insertLogs(logs: readonly StoredRunLog[], knownRunId?: Id): void {
    if (logs.length === 0) return;
    const exists = this.sql.get('SELECT 1 FROM task_runs WHERE id = ?');
    const insert = this.sql.get('INSERT INTO task_run_logs (run_id, time_ns, message) VALUES (?, ?, ?)');
    const known = new Set<string>(knownRunId === undefined ? [] : [knownRunId]);
    for (const l of logs) {
      if (!known.has(l.runId)) {
        if (exists.get(l.runId) === undefined) throw notFound('run not found');
        known.add(l.runId);
      }
      insert.run(l.runId, l.timeNs, l.message);
    }
  }
}

function runValues(r: StoredRun): unknown[] {
  return [
    r.id,
    r.taskId,
    r.status,
    r.trigger,
    r.scheduledForNs,
    r.runAtNs,
    r.requestedAtNs ?? null,
    r.startedAtNs ?? null,
    r.finishedAtNs ?? null,
    r.attempts ?? null,
    r.error ?? null,
  ];
}
