import { invalid, notFound } from '../../core/errors.js';
import { parseRfc3339Ns } from '../../core/time.js';
import type { Task } from '../../meta/task-store.js';
import { isTerminal, type RunLogEntry, type RunRecord } from '../../tasks/index.js';
import type { RequestContext, RouteDef } from '../api-context.js';
import { checkedId } from '../id-param.js';
import { JsonBody } from '../json-body.js';
import { json, noContent } from '../reply.js';
import { logEventJson, runJson } from './tasks-json.js';
import { limitParam, prefixed, queryString, taskFor, withPrefix } from './tasks-request.js';
import type { TasksRuntime } from './tasks-runtime.js';

/** The run named by `:runID`, of the task of the route; 404 `<prefix>: run not found` otherwise. */
function runOf(ctx: RequestContext, task: Task, prefix: string): RunRecord {
  const id = withPrefix('failed to decode request', () => checkedId(ctx.params['runID']));
  const run = ctx.deps.meta.runs.getRun(id);
  if (run === undefined || run.taskId !== task.id) throw notFound(`${prefix}: run not found`);
  return run;
}

function timeParam(query: URLSearchParams, name: string): bigint | undefined {
  const raw = queryString(query, name);
  return raw === undefined ? undefined : withPrefix('failed to decode request', () => parseRfc3339Ns(raw));
}

/** The logs of the task's most recent runs (at most 100, as InfluxDB), oldest run first. */
function taskLogs(ctx: RequestContext, task: Task): RunLogEntry[] {
  const runs = ctx.deps.meta.runs.listRuns(task.id, { limit: 100 }).reverse();
  return runs.flatMap((r) => ctx.deps.meta.runs.listLogs(r.id));
}

/**
 * Runs and logs of a task (reference §3.7–3.10, §4.7): list with `after`, `limit`, `afterTime`,
 * `beforeTime`; manual runs with an optional `scheduledFor`; get, cancel, retry; logs.
 */
export function taskRunRoutes(runtime: TasksRuntime): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/api/v2/tasks/:id/runs',
      auth: 'token',
      handler: (ctx) => {
        const task = taskFor(ctx, 'read', 'failed to find task');
        const { query } = ctx;
        const limit = limitParam(query, 'limit', 100, 1, 500, 'run limit is out of bounds, must be between 1 and 500');
        const afterNs = timeParam(query, 'afterTime');
        const beforeNs = timeParam(query, 'beforeTime');
        if (afterNs !== undefined && beforeNs !== undefined && beforeNs <= afterNs) {
          throw invalid('failed to decode request: beforeTime must be later than afterTime');
        }
        const afterRaw = queryString(query, 'after');
        const after = afterRaw === undefined ? undefined : withPrefix('failed to decode request', () => checkedId(afterRaw));
        let runs = ctx.deps.meta.runs.listRuns(task.id, {
          limit: after === undefined ? limit : 10_000,
          ...(afterNs === undefined ? {} : { afterNs }),
          ...(beforeNs === undefined ? {} : { beforeNs }),
        });
        // InfluxDB's `after` compares run IDs as strings.
        if (after !== undefined) runs = runs.filter((r) => r.id > after).slice(0, limit);
        return json(200, {
          links: { self: `/api/v2/tasks/${task.id}/runs`, task: `/api/v2/tasks/${task.id}` },
          runs: runs.map((r) => runJson(r)),
        });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/tasks/:id/runs',
      auth: 'token',
      handler: async (ctx) => {
        const task = taskFor(ctx, 'write', 'failed to force run');
        const body = await JsonBody.read(ctx, { allowEmpty: true });
        const raw = body.string('scheduledFor');
        const scheduledForNs = raw === undefined || raw === '' ? undefined : withPrefix('failed to decode request', () => parseRfc3339Ns(raw));
        // Unlike InfluxDB, an inactive task can be run by hand (e.g. to test or backfill it first).
        const run = withPrefix('failed to force run', () => runtime.requestRun(task, scheduledForNs));
        return json(201, runJson(run));
      },
    },
    {
      method: 'GET',
      path: '/api/v2/tasks/:id/runs/:runID',
      auth: 'token',
      handler: (ctx) => {
        const task = taskFor(ctx, 'read', 'failed to find task');
        const run = runOf(ctx, task, 'failed to find run');
        return json(200, runJson(run, ctx.deps.meta.runs.listLogs(run.id)));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v2/tasks/:id/runs/:runID',
      auth: 'token',
      handler: async (ctx) => {
        const task = taskFor(ctx, 'write', 'failed to cancel run');
        const run = runOf(ctx, task, 'failed to cancel run');
        if (isTerminal(run.status)) throw notFound('failed to cancel run: run not found');
        try {
          await runtime.cancelRun(run.id);
        } catch (e) {
          throw prefixed('failed to cancel run', e);
        }
        return noContent();
      },
    },
    {
      method: 'POST',
      path: '/api/v2/tasks/:id/runs/:runID/retry',
      auth: 'token',
      handler: (ctx) => {
        const task = taskFor(ctx, 'write', 'failed to retry run');
        const run = runOf(ctx, task, 'failed to retry run');
        // The same scheduledFor, so the retry queries the same window.
        const retry = withPrefix('failed to retry run', () => runtime.requestRun(task, run.scheduledForNs));
        return json(200, runJson(retry));
      },
    },
    {
      method: 'GET',
      path: '/api/v2/tasks/:id/logs',
      auth: 'token',
      handler: (ctx) => {
        const task = taskFor(ctx, 'read', 'failed to find task');
        return json(200, { events: taskLogs(ctx, task).map(logEventJson) });
      },
    },
    {
      method: 'GET',
      path: '/api/v2/tasks/:id/runs/:runID/logs',
      auth: 'token',
      handler: (ctx) => {
        const task = taskFor(ctx, 'read', 'failed to find task');
        const run = runOf(ctx, task, 'failed to find run');
        return json(200, { events: ctx.deps.meta.runs.listLogs(run.id).map(logEventJson) });
      },
    },
  ];
}
