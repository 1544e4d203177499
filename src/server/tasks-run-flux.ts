import { ANNOTATED_DIALECT, type CsvSink, type EncodeOutcome } from '../flux/csv/index.js';
import { parse, print } from '../flux/syntax/index.js';
import type { MetaStore } from '../meta/meta-store.js';
import { permissionAllows, type Permission } from '../meta/permission.js';
import type { Org } from '../meta/org-store.js';
import type { Task } from '../meta/task-store.js';
import { withPrelude } from '../http/routes/scripts-params.js';
import { taskOptionPrelude } from '../http/routes/tasks-flux.js';
import { rfc3339Seconds } from '../http/routes/tasks-json.js';
import type { QueryAuth } from '../query/query-env.js';
import { paramsRecord } from '../query/query-params.js';
import type { QueryService } from '../query/query-service.js';
import type { RunFlux, RunFluxRequest, RunFluxResult } from '../tasks/index.js';
import { TurnMemo } from '../core/turn-memo.js';

/** InfluxDB's error for a program without any streaming output (reference §2.4). */
export const NO_STREAMING_DATA =
  'error exhausting result iterator: error in query specification while starting program: this Flux script returns no streaming data. Consider adding a "yield" or invoking streaming functions directly, without performing an assignment';

/** Substrings that make a failure unrecoverable, as InfluxDB's `IsUnrecoverable`. */
const UNRECOVERABLE = ['could not find bucket', 'could not parse Flux script'];

const TASKS_PACKAGE = 'influxdata/influxdb/tasks';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The permissions a run executes with: the task owner's, read now (InfluxDB builds an ephemeral
 * authorization from the owner's current permissions, reference §2.3) — the union of the owner's
 * active tokens. An inactive or deleted owner has none, so reads and writes fail as unauthorized.
 */
export function ownerAuth(meta: MetaStore, task: Task): QueryAuth {
  return authFrom(ownerPermissions(meta, task.ownerID));
}

function ownerPermissions(meta: MetaStore, ownerID: string): readonly Permission[] {
  const owner = meta.users.findById(ownerID);
  return owner === undefined || owner.status !== 'active'
    ? []
    : meta.authorizations
        .list({ userID: owner.id })
        .filter((a) => a.status === 'active')
        .flatMap((a) => a.permissions);
}

function authFrom(permissions: readonly Permission[]): QueryAuth {
  return { allows: (action, resource) => permissions.some((p) => permissionAllows(p, { action, resource })) };
}

/**
 * The Flux a run executes. A script task runs its invokable script with `option task = {…}`
 * put in front (Cloud injects the task record; parameters arrive as `params`). When the script
 * imports `influxdata/influxdb/tasks` and the task has succeeded before, `option
 * tasks.lastSuccessTime` is set to that run's scheduledFor, so `tasks.lastSuccess()` works (an
 * option the script sets itself comes later and wins).
 */
export function taskSource(meta: MetaStore, task: Task, flux: string, lastSuccessNs = task.latestSuccessNs): string {
  let source = flux;
  let prelude = '';
  if (task.scriptID !== undefined) {
    const script = meta.scripts.findById(task.scriptID);
    if (script === undefined) throw new Error(`script "${task.scriptID}" not found`);
    source = script.script;
    prelude += taskOptionPrelude(task);
  }
  // Parsed only when the script can import the package (its path is a literal in the source):
  // most runs of most tasks then cost no parse here.
  if (lastSuccessNs !== undefined && source.includes(TASKS_PACKAGE)) {
    const { file } = parse(source);
    const imp = file.imports.find((i) => i.path.value === TASKS_PACKAGE);
    if (imp !== undefined) prelude += `option ${imp.alias?.name ?? 'tasks'}.lastSuccessTime = ${rfc3339Seconds(lastSuccessNs)}\n`;
  }
  return prelude === '' ? source : print(withPrelude(source, prelude));
}

/**
 * What a run knows of its task: the row as of the task's last save (the scheduler's definition,
 * replaced on every update through `TasksRuntime.taskSaved`), so a run reads no task row. The
 * row's run checkpoints are stale in it (`tasks.lastSuccess` comes from the scheduler instead).
 * `liveness` is shared by every context of one task id and marked when the task is deleted, so a
 * run still queued then fails as `task not found`, as it would reading the row.
 */
export interface TaskRunContext {
  readonly task: Task;
  readonly liveness: { deleted: boolean };
}

function isTaskRunContext(v: unknown): v is TaskRunContext {
  return typeof v === 'object' && v !== null && 'task' in v && 'liveness' in v;
}

/**
 * RunFlux for the scheduler, over the query path: compiles the task's program (a failure is
 * InfluxDB's `could not parse Flux script: …`, unrecoverable), runs it through the query
 * controller in the task's org as its owner with `now()` = scheduledFor, and discards the output
 * (side effects such as `to()` are what a task is for). Runtime failures are `could not execute
 * task run: …`; a program with no result at all fails as InfluxDB's does.
 */
export function makeRunFlux(meta: MetaStore, query: QueryService): RunFlux {
  // The owner's permissions are read once per loop turn, not per run: runs of one owner starting
  // together share them (see TurnMemo for why a revocation is still seen by the next runs).
  const permissions = new TurnMemo<string, readonly Permission[]>();
  // Likewise the org row (a deleted org is seen by the next turn's runs).
  const orgs = new TurnMemo<string, Org | undefined>();
  return async (req: RunFluxRequest): Promise<RunFluxResult> => {
    // The scheduler's definition when it has one (see TaskRunContext), else the row.
    const context = isTaskRunContext(req.authorization) ? req.authorization : undefined;
    const task = context === undefined ? meta.tasks.findById(req.taskId) : context.liveness.deleted ? undefined : context.task;
    if (task === undefined) return { error: 'could not execute task run: task not found', unrecoverable: true };
    const org = orgs.get(task.orgID, (id) => meta.orgs.findById(id));
    if (org === undefined) return { error: 'could not execute task run: organization not found', unrecoverable: true };
    let source: string;
    try {
      source = taskSource(meta, task, req.script, context === undefined ? task.latestSuccessNs : req.lastSuccessNs);
      query.compile(source);
    } catch (e) {
      return { error: `could not parse Flux script: ${messageOf(e)}`, unrecoverable: true };
    }
    let written = 0;
    try {
      const outcome = await query.execute(
        {
          query: source,
          org,
          auth: authFrom(permissions.get(task.ownerID, (id) => ownerPermissions(meta, id))),
          nowNs: req.nowNs,
          params: paramsRecord(task.scriptParameters ?? {}),
          dialect: ANNOTATED_DIALECT,
          signal: req.signal,
        },
        (chunk) => {
          written += chunk.length;
        },
      );
      if (outcome.error !== undefined) throw outcome.error;
    } catch (e) {
      const message = messageOf(e);
      return { error: `could not execute task run: ${message}`, unrecoverable: UNRECOVERABLE.some((u) => message.includes(u)) };
    }
    if (written === 0) return { error: NO_STREAMING_DATA };
    return {};
  };
}

/** Invokes a script over the query path as the caller, with `params`, writing annotated CSV. */
export function invokeScript(
  meta: MetaStore,
  query: QueryService,
  req: { script: string; orgID: string; params: Readonly<Record<string, unknown>>; auth: QueryAuth; nowNs: bigint; signal: AbortSignal },
  sink: CsvSink,
): Promise<EncodeOutcome> {
  const org = meta.orgs.get(req.orgID);
  return query.execute(
    { query: req.script, org, auth: req.auth, nowNs: req.nowNs, params: paramsRecord(req.params), dialect: ANNOTATED_DIALECT, signal: req.signal },
    sink,
  );
}
