import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { invalid, notFound } from '../core/errors.js';
import { newId, type Id } from '../core/ids.js';
import { NS_PER_S } from '../core/time.js';
import { StatementCache } from './statement-cache.js';

export type TaskStatus = 'active' | 'inactive';
export type TaskRunOutcome = 'success' | 'failed' | 'canceled';

/**
 * A task as stored. Times are nanoseconds since the Unix epoch. The schedule fields (`every`,
 * `cron`, `offset`) are the option literals as written (e.g. `"1h30m"`), kept for display and
 * filtering; the script (or, for script tasks, these fields) stays the source of truth.
 */
export interface Task {
  readonly id: Id;
  readonly orgID: Id;
  readonly ownerID: Id;
  /** `system` for tasks made through /api/v2/tasks (InfluxDB's default type). */
  readonly type: string;
  readonly name: string;
  readonly description: string;
  readonly status: TaskStatus;
  readonly flux: string;
  readonly every?: string;
  readonly cron?: string;
  readonly offset?: string;
  /** Cloud-style task running an invokable script with parameters. */
  readonly scriptID?: Id;
  readonly scriptParameters?: Record<string, unknown>;
  /** The token the run executes with; absent: the owner's permissions (InfluxDB ≥ 2019). */
  readonly authorizationID?: Id;
  /** Scheduler checkpoint: last slot dispatched or skipped (InfluxDB's latestScheduled). */
  readonly latestScheduledNs: bigint;
  readonly latestCompletedNs: bigint;
  readonly latestSuccessNs?: bigint;
  readonly latestFailureNs?: bigint;
  readonly lastRunStatus?: TaskRunOutcome;
  readonly lastRunError?: string;
  readonly createdAtNs: bigint;
  readonly updatedAtNs?: bigint;
}

export interface TaskCreate {
  readonly orgID: Id;
  readonly ownerID: Id;
  readonly name: string;
  readonly description?: string;
  readonly status?: TaskStatus;
  readonly flux: string;
  readonly every?: string;
  readonly cron?: string;
  readonly offset?: string;
  readonly scriptID?: Id;
  readonly scriptParameters?: Record<string, unknown>;
  readonly authorizationID?: Id;
}

/** Fields a PATCH may change; `null` clears an optional field. */
export interface TaskPatch {
  /** A new owner: runs execute with this user's permissions from then on. */
  readonly ownerID?: Id;
  readonly name?: string;
  readonly description?: string;
  readonly status?: TaskStatus;
  readonly flux?: string;
  readonly every?: string | null;
  readonly cron?: string | null;
  readonly offset?: string | null;
  readonly scriptID?: Id | null;
  readonly scriptParameters?: Record<string, unknown> | null;
}

export interface TaskFilter {
  readonly orgID?: Id;
  readonly ownerID?: Id;
  readonly name?: string;
  readonly status?: TaskStatus;
  /** Only tasks with id > after (ids are time-ordered, so roughly creation order). */
  readonly after?: Id;
  readonly limit?: number;
}

interface TaskRow {
  id: string;
  org_id: string;
  owner_id: string;
  type: string;
  name: string;
  description: string;
  status: TaskStatus;
  flux: string;
  every: string | null;
  cron: string | null;
  offset: string | null;
  script_id: string | null;
  script_parameters: string | null;
  authorization_id: string | null;
  latest_scheduled_ns: bigint;
  latest_completed_ns: bigint;
  latest_success_ns: bigint | null;
  latest_failure_ns: bigint | null;
  last_run_status: TaskRunOutcome | null;
  last_run_error: string | null;
  created_at_ns: bigint;
  updated_at_ns: bigint | null;
}

function toTask(r: TaskRow): Task {
  const opt = <K extends string, V>(key: K, v: V | null): Partial<Record<K, V>> => (v === null ? {} : ({ [key]: v } as Record<K, V>));
  return {
    id: r.id,
    orgID: r.org_id,
    ownerID: r.owner_id,
    type: r.type,
    name: r.name,
    description: r.description,
    status: r.status,
    flux: r.flux,
    ...opt('every', r.every),
    ...opt('cron', r.cron),
    ...opt('offset', r.offset),
    ...opt('scriptID', r.script_id),
    ...opt('scriptParameters', r.script_parameters === null ? null : (JSON.parse(r.script_parameters) as Record<string, unknown>)),
    ...opt('authorizationID', r.authorization_id),
    latestScheduledNs: r.latest_scheduled_ns,
    latestCompletedNs: r.latest_completed_ns,
    ...opt('latestSuccessNs', r.latest_success_ns),
    ...opt('latestFailureNs', r.latest_failure_ns),
    ...opt('lastRunStatus', r.last_run_status),
    ...opt('lastRunError', r.last_run_error),
    createdAtNs: r.created_at_ns,
    ...opt('updatedAtNs', r.updated_at_ns),
  };
}

const truncateToSecond = (ns: bigint): bigint => ns - (((ns % NS_PER_S) + NS_PER_S) % NS_PER_S);

/**
 * Tasks in the metadata DB. Also the durable half of the scheduler's checkpoints:
 * `advanceLatestScheduled` and `recordRunFinished` only ever move times forward, so a late or
 * repeated report cannot rewind a task.
 */
export class TaskStore {
  private readonly sql: StatementCache;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  private big(sql: string): Database.Statement {
    return this.sql.get(sql).safeIntegers(true);
  }

  /** `createdAt`, `latestScheduled` and `latestCompleted` start at now truncated to whole seconds, as in InfluxDB. */
  create(input: TaskCreate): Task {
    const nowNs = truncateToSecond(this.clock.nowNs());
    const status = input.status ?? 'active';
    checkStatus(status);
    const id = newId();
    this.sql
      .get(
        `INSERT INTO tasks (id, org_id, owner_id, type, name, description, status, flux, every, cron, offset, script_id,
         script_parameters, authorization_id, latest_scheduled_ns, latest_completed_ns, created_at_ns)
         VALUES (?, ?, ?, 'system', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.orgID,
        input.ownerID,
        input.name,
        input.description ?? '',
        status,
        input.flux,
        input.every ?? null,
        input.cron ?? null,
        input.offset ?? null,
        input.scriptID ?? null,
        input.scriptParameters === undefined ? null : JSON.stringify(input.scriptParameters),
        input.authorizationID ?? null,
        nowNs,
        nowNs,
        nowNs,
      );
    return this.get(id);
  }

  findById(id: string): Task | undefined {
    const row = this.big('SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
    return row === undefined ? undefined : toTask(row);
  }

  /** Throws `not found` (`task not found`, InfluxDB's wording). */
  get(id: string): Task {
    const t = this.findById(id);
    if (t === undefined) throw notFound('task not found');
    return t;
  }

  /** Tasks in id order. */
  list(filter: TaskFilter = {}): Task[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const eq = (column: string, v: unknown): void => {
      if (v === undefined) return;
      where.push(`${column} = ?`);
      args.push(v);
    };
    eq('org_id', filter.orgID);
    eq('owner_id', filter.ownerID);
    eq('name', filter.name);
    eq('status', filter.status);
    if (filter.after !== undefined) {
      where.push('id > ?');
      args.push(filter.after);
    }
    const limit = filter.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
    const rows = this.big(`SELECT * FROM tasks${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY id${limit}`).all(
      ...args,
    ) as TaskRow[];
    return rows.map(toTask);
  }

  /**
   * Applies a patch and stamps `updatedAt`. Activation (inactive → active) resets
   * `latestScheduled`/`latestCompleted` to now only when `resetOnActivate` is set (InfluxDB's
   * skip-missed-runs behaviour); otherwise the preserved checkpoint lets the scheduler catch up.
   */
  update(id: string, patch: TaskPatch, options: { resetOnActivate?: boolean } = {}): Task {
    return this.db.transaction(() => {
      const before = this.get(id);
      const sets: string[] = [];
      const args: unknown[] = [];
      const set = (column: string, v: unknown): void => {
        sets.push(`${column} = ?`);
        args.push(v);
      };
      if (patch.ownerID !== undefined) set('owner_id', patch.ownerID);
      if (patch.name !== undefined) set('name', patch.name);
      if (patch.description !== undefined) set('description', patch.description);
      if (patch.status !== undefined) {
        checkStatus(patch.status);
        set('status', patch.status);
      }
      if (patch.flux !== undefined) set('flux', patch.flux);
      if (patch.every !== undefined) set('every', patch.every);
      if (patch.cron !== undefined) set('cron', patch.cron);
      if (patch.offset !== undefined) set('offset', patch.offset);
      if (patch.scriptID !== undefined) set('script_id', patch.scriptID);
      if (patch.scriptParameters !== undefined) {
        set('script_parameters', patch.scriptParameters === null ? null : JSON.stringify(patch.scriptParameters));
      }
      const nowNs = this.clock.nowNs();
      if (options.resetOnActivate === true && before.status === 'inactive' && patch.status === 'active') {
        const s = truncateToSecond(nowNs);
        set('latest_scheduled_ns', s);
        set('latest_completed_ns', s);
      }
      set('updated_at_ns', nowNs);
      this.sql.get(`UPDATE tasks SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
      return this.get(id);
    })();
  }

  /** Deletes a task; unknown ids throw `not found`. */
  delete(id: string): void {
    if (this.sql.get('DELETE FROM tasks WHERE id = ?').run(id).changes === 0) throw notFound('task not found');
  }

  /** Scheduler checkpoint: a slot was dispatched or skipped. Forward-only. */
  advanceLatestScheduled(id: string, scheduledForNs: bigint): void {
    this.sql.get('UPDATE tasks SET latest_scheduled_ns = ? WHERE id = ? AND latest_scheduled_ns < ?').run(scheduledForNs, id, scheduledForNs);
  }

  /**
   * `advanceLatestScheduled` for many tasks dispatched for the same slot (10,000 tasks due at
   * :00), a few hundred ids per statement.
   */
  advanceLatestScheduledMany(ids: readonly string[], scheduledForNs: bigint): void {
    let i = 0;
    for (; i + ADVANCE_IDS <= ids.length; i += ADVANCE_IDS) {
      this.sql.get(ADVANCE_MANY).run(scheduledForNs, scheduledForNs, ...ids.slice(i, i + ADVANCE_IDS));
    }
    for (; i < ids.length; i++) this.advanceLatestScheduled(ids[i]!, scheduledForNs);
  }

  /**
   * A run reached a terminal state: `lastRunStatus`/`lastRunError` take the run's outcome (the
   * error cleared unless failed), `latestCompleted`, `latestSuccess`/`latestFailure` move forward
   * to its scheduledFor. A task deleted meanwhile is ignored.
   */
  recordRunFinished(id: string, run: { status: TaskRunOutcome; scheduledForNs: bigint; error?: string }): void {
    const error = run.status === 'failed' ? (run.error ?? 'Completed(failed)') : null;
    if (run.status === 'canceled') this.sql.get(RUN_FINISHED_CANCELED).run(run.status, error, run.scheduledForNs, id);
    else this.sql.get(run.status === 'success' ? RUN_FINISHED_SUCCESS : RUN_FINISHED_FAILED).run(run.status, error, run.scheduledForNs, run.scheduledForNs, run.scheduledForNs, id);
  }
}

const ADVANCE_IDS = 128;
const ADVANCE_MANY = `UPDATE tasks SET latest_scheduled_ns = ? WHERE latest_scheduled_ns < ? AND id IN (${Array.from({ length: ADVANCE_IDS }, () => '?').join(', ')})`;

/** recordRunFinished's statements, built once (one per outcome: which `latest_*` column moves). */
const runFinishedSql = (column?: string): string =>
  `UPDATE tasks SET last_run_status = ?, last_run_error = ?, latest_completed_ns = MAX(latest_completed_ns, ?)${
    column === undefined ? '' : `, ${column} = MAX(COALESCE(${column}, ?), ?)`
  } WHERE id = ?`;
const RUN_FINISHED_SUCCESS = runFinishedSql('latest_success_ns');
const RUN_FINISHED_FAILED = runFinishedSql('latest_failure_ns');
const RUN_FINISHED_CANCELED = runFinishedSql();

function checkStatus(status: string): void {
  if (status !== 'active' && status !== 'inactive') throw invalid(`invalid task status: "${status}"`);
}
