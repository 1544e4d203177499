import { ErrorCode, invalid, notFound, SluiceError } from '../../core/errors.js';
import type { Org } from '../../meta/org-store.js';
import type { Task, TaskPatch, TaskStatus } from '../../meta/task-store.js';
import { extractTaskOptions, type TaskOptions } from '../../tasks/index.js';
import type { RequestContext, RouteDef } from '../api-context.js';
import { checkedId } from '../id-param.js';
import { JsonBody } from '../json-body.js';
import { json, noContent } from '../reply.js';
import { labelJson, userJson } from '../tenant-json.js';
import { bodyTaskOptions, patchFluxOptions, scheduleFields, type BodyOptions } from './tasks-flux.js';
import { taskJson } from './tasks-json.js';
import { limitParam, queryString, taskFor, withPrefix } from './tasks-request.js';
import { taskRunRoutes } from './tasks-run-routes.js';
import type { TasksRuntime } from './tasks-runtime.js';

/** How many upcoming slots GET /tasks/{id} lists in `nextRuns` (a Sluice addition). */
const NEXT_RUNS = 5;

function present(ctx: RequestContext, t: Task, options: { basic?: boolean; nextRuns?: readonly bigint[] } = {}): Record<string, unknown> {
  const org = ctx.deps.meta.orgs.findById(t.orgID);
  return taskJson(t, { orgName: org?.name ?? '', labels: ctx.deps.meta.labels.forResource('tasks', t.id), ...options });
}

function statusOf(raw: string | undefined): TaskStatus | undefined {
  if (raw === undefined) return undefined;
  if (raw !== 'active' && raw !== 'inactive') throw invalid(`failed to decode request: invalid task status: "${raw}"`);
  return raw;
}

/** `org` / `orgID` of a request (query or body); the ID wins. Unknown org: InfluxDB's messages. */
function resolveOrg(ctx: RequestContext, orgID: string | undefined, orgName: string | undefined, missing: () => never): Org {
  if (orgID !== undefined) {
    const id = withPrefix('failed to decode request', () => checkedId(orgID));
    const org = ctx.deps.meta.orgs.findById(id);
    if (org === undefined) throw notFound(`could not identify organization: organization not found`);
    return org;
  }
  if (orgName !== undefined) {
    const org = ctx.deps.meta.orgs.findByName(orgName);
    if (org === undefined) throw notFound(`could not identify organization: organization name "${orgName}" not found`);
    return org;
  }
  return missing();
}

/**
 * `/api/v2/tasks` (reference §4.3–4.6): list, create (from Flux, or Cloud-style from an
 * invokable script), get, update, delete, plus labels, members and owners; runs and logs are in
 * tasks-run-routes.ts. Options are extracted from the Flux AST and validated with InfluxDB's
 * messages; scheduling is the runtime's.
 */
export function taskRoutes(runtime: TasksRuntime): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/api/v2/tasks',
      auth: 'token',
      handler: (ctx) => {
        const { query, auth, deps } = ctx;
        const limit = limitParam(query, 'limit', 100, 1, 500, 'limit must be between 1 and 500');
        const type = query.get('type') ?? '';
        if (type !== '' && type !== 'system' && type !== 'basic') throw invalid(`"${type}" is not a valid task type`);
        const after = queryString(query, 'after');
        const user = queryString(query, 'user');
        const orgIDRaw = queryString(query, 'orgID');
        const orgName = queryString(query, 'org');
        // An unknown org is a decode error here (400), as in InfluxDB's list handler.
        let org: Org | undefined;
        if (orgIDRaw !== undefined) {
          org = deps.meta.orgs.findById(withPrefix('failed to decode request', () => checkedId(orgIDRaw)));
          if (org === undefined) throw invalid(`failed to decode request: org ${orgIDRaw} not found or unauthorized`);
        } else if (orgName !== undefined) {
          org = deps.meta.orgs.findByName(orgName);
          if (org === undefined) throw invalid(`failed to decode request: org ${orgName} not found or unauthorized`);
        }
        const statusRaw = queryString(query, 'status');
        // InfluxDB ignores unknown status values rather than failing.
        const status = statusRaw === 'active' || statusRaw === 'inactive' ? statusRaw : undefined;
        // InfluxDB: without an org or a user filter, the caller's own tasks.
        const ownerID = user !== undefined ? withPrefix('failed to decode request', () => checkedId(user)) : org === undefined ? auth.userID : undefined;
        const name = queryString(query, 'name');
        const scriptID = queryString(query, 'scriptID');
        const tasks: Task[] = [];
        let cursor = after === undefined ? undefined : withPrefix('failed to decode request', () => checkedId(after));
        // Read in id order past tasks the caller may not read, until a page is full.
        for (;;) {
          const batch = deps.meta.tasks.list({
            ...(org === undefined ? {} : { orgID: org.id }),
            ...(ownerID === undefined ? {} : { ownerID }),
            ...(name === undefined ? {} : { name }),
            ...(status === undefined ? {} : { status }),
            ...(cursor === undefined ? {} : { after: cursor }),
            limit: 500,
          });
          for (const t of batch) {
            if (tasks.length === limit) break;
            if (scriptID !== undefined && t.scriptID !== scriptID) continue;
            if (auth.allows('read', { type: 'tasks', orgID: t.orgID, id: t.id })) tasks.push(t);
          }
          if (tasks.length === limit || batch.length < 500) break;
          cursor = batch[batch.length - 1]!.id;
        }
        const link = (afterId?: string): string => {
          const q = new URLSearchParams();
          if (afterId !== undefined) q.set('after', afterId);
          for (const k of ['orgID', 'org', 'user']) {
            const v = query.get(k);
            if (v !== null && v !== '') q.set(k, v);
          }
          q.set('limit', String(limit));
          return `/api/v2/tasks?${q.toString()}`;
        };
        const links: Record<string, string> = { self: link(after) };
        if (tasks.length === limit) links['next'] = link(tasks[tasks.length - 1]!.id);
        return json(200, { links, tasks: tasks.map((t) => present(ctx, t, { basic: type === 'basic' })) });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/tasks',
      auth: 'token',
      handler: async (ctx) => {
        const body = await JsonBody.read(ctx);
        const decode = <T>(fn: () => T): T => withPrefix('failed to decode request', fn);
        const flux = body.string('flux');
        const scriptID = body.string('scriptID');
        const scriptParameters = body.object('scriptParameters');
        if (flux !== undefined && flux !== '' && scriptID !== undefined) throw invalid('failed to decode request: flux and scriptID cannot both be given');
        if (scriptParameters !== undefined && scriptID === undefined) throw invalid('failed to decode request: scriptParameters requires scriptID');
        if ((flux === undefined || flux === '') && scriptID === undefined) throw invalid('failed to decode request: missing flux');
        const status = statusOf(body.string('status'));
        const description = body.string('description');
        const org = resolveOrg(ctx, body.string('orgID'), body.string('org'), () => {
          throw invalid('failed to decode request: missing orgID and org');
        });
        ctx.auth.require('write', { type: 'tasks', orgID: org.id });
        const ownerID = ctx.auth.userID;
        if (ownerID === undefined) throw invalid('a task needs an owner: create it with a token that belongs to a user');
        const nowNs = ctx.deps.clock.nowNs();

        let options: TaskOptions;
        if (scriptID !== undefined) {
          const script = ctx.deps.meta.scripts.get(decode(() => checkedId(scriptID)));
          if (script.orgID !== org.id) throw notFound(`script "${script.id}" not found`);
          options = bodyTaskOptions(
            {
              ...pick(body, 'name'),
              ...pick(body, 'every'),
              ...pick(body, 'cron'),
              ...pick(body, 'offset'),
            },
            nowNs,
          );
        } else {
          options = extractTaskOptions(flux!, nowNs);
        }
        const task = ctx.deps.meta.tasks.create({
          orgID: org.id,
          ownerID,
          name: options.name,
          flux: flux ?? '',
          ...(description === undefined ? {} : { description }),
          ...(status === undefined ? {} : { status }),
          ...scheduleFields(options),
          ...(scriptID === undefined ? {} : { scriptID, scriptParameters: scriptParameters ?? {} }),
        });
        runtime.taskSaved(task);
        return json(201, present(ctx, task));
      },
    },
    {
      method: 'GET',
      path: '/api/v2/tasks/:id',
      auth: 'token',
      handler: (ctx) => {
        const task = taskFor(ctx, 'read', 'failed to find task');
        return json(200, present(ctx, task, { nextRuns: runtime.nextRuns(task, NEXT_RUNS) }));
      },
    },
    {
      method: 'PATCH',
      path: '/api/v2/tasks/:id',
      auth: 'token',
      handler: async (ctx) => {
        const task = taskFor(ctx, 'write', 'failed to update task');
        const body = await JsonBody.read(ctx);
        const decode = <T>(fn: () => T): T => withPrefix('failed to decode request', fn);
        const flux = body.string('flux');
        const status = statusOf(body.string('status'));
        const description = body.string('description');
        const offset = body.string('offset');
        // An empty or zero offset removes it; the other options are ignored when empty.
        const opts: BodyOptions = { ...pick(body, 'name'), ...pick(body, 'every'), ...pick(body, 'cron'), ...(offset === undefined ? {} : { offset }) };
        const scriptID = body.string('scriptID');
        const scriptParameters = body.object('scriptParameters');
        if (nonEmpty(opts.every) && nonEmpty(opts.cron)) throw invalid('failed to decode request: cannot specify both every and cron');
        const touchesOptions = nonEmpty(opts.name) || nonEmpty(opts.every) || nonEmpty(opts.cron) || opts.offset !== undefined;
        if (flux === undefined && status === undefined && description === undefined && !touchesOptions && scriptID === undefined && scriptParameters === undefined) {
          throw invalid('failed to decode request: cannot update task without content');
        }
        const nowNs = ctx.deps.clock.nowNs();
        const patch: { -readonly [K in keyof TaskPatch]: TaskPatch[K] } = {};
        if (status !== undefined) patch.status = status;
        if (description !== undefined) patch.description = description;

        const isScriptTask = (scriptID ?? task.scriptID) !== undefined;
        if (isScriptTask && flux !== undefined && flux !== '') throw invalid('failed to decode request: flux and scriptID cannot both be given');
        let options: TaskOptions | undefined;
        if (isScriptTask) {
          if (scriptID !== undefined) {
            const script = ctx.deps.meta.scripts.get(decode(() => checkedId(scriptID)));
            if (script.orgID !== task.orgID) throw notFound(`script "${script.id}" not found`);
            patch.scriptID = script.id;
          }
          if (scriptParameters !== undefined) patch.scriptParameters = scriptParameters;
          if (touchesOptions) {
            const every = nonEmpty(opts.cron) ? undefined : (opts.every ?? task.every);
            const cron = nonEmpty(opts.every) ? undefined : (opts.cron ?? task.cron);
            const offset = opts.offset ?? task.offset;
            options = bodyTaskOptions(
              {
                name: opts.name ?? task.name,
                ...(every === undefined ? {} : { every }),
                ...(cron === undefined ? {} : { cron }),
                ...(offset === undefined ? {} : { offset }),
              },
              nowNs,
            );
          }
        } else if (flux !== undefined || touchesOptions) {
          let newFlux = flux ?? task.flux;
          if (touchesOptions) newFlux = patchFluxOptions(newFlux, opts);
          options = extractTaskOptions(newFlux, nowNs);
          patch.flux = newFlux;
        }
        if (options !== undefined) {
          const fields = scheduleFields(options);
          patch.name = options.name;
          patch.every = fields.every ?? null;
          patch.cron = fields.cron ?? null;
          patch.offset = fields.offset ?? null;
        }
        // Re-activation skips the slots missed while inactive (InfluxDB): deactivating was deliberate.
        const updated = ctx.deps.meta.tasks.update(task.id, patch, { resetOnActivate: true });
        runtime.taskSaved(updated);
        return json(200, present(ctx, updated));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v2/tasks/:id',
      auth: 'token',
      handler: (ctx) => {
        const task = taskFor(ctx, 'write', 'failed to delete task');
        const { meta } = ctx.deps;
        meta.transaction(() => {
          meta.tasks.delete(task.id);
          meta.labels.detachAll('tasks', task.id);
          meta.runs.deleteFinishedRunsOfTask(task.id);
        });
        runtime.taskDeleted(task.id);
        return noContent();
      },
    },
    ...labelRoutes(),
    ...ownerRoutes(runtime),
    ...taskRunRoutes(runtime),
  ];
}

function nonEmpty(s: string | undefined): s is string {
  return s !== undefined && s !== '';
}

function pick<K extends 'name' | 'every' | 'cron' | 'offset'>(body: JsonBody, key: K): Partial<Record<K, string>> {
  const v = body.string(key);
  return v === undefined || v === '' ? {} : ({ [key]: v } as Record<K, string>);
}

function labelRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/api/v2/tasks/:id/labels',
      auth: 'token',
      handler: (ctx) => {
        const t = taskFor(ctx, 'read', 'failed to find task');
        return json(200, { links: { self: '/api/v2/labels' }, labels: ctx.deps.meta.labels.forResource('tasks', t.id).map(labelJson) });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/tasks/:id/labels',
      auth: 'token',
      handler: async (ctx) => {
        const t = taskFor(ctx, 'write', 'failed to update task');
        const body = await JsonBody.read(ctx);
        const label = ctx.deps.meta.labels.get(checkedId(body.string('labelID')));
        ctx.auth.require('read', { type: 'labels', orgID: label.orgID, id: label.id });
        ctx.deps.meta.labels.attach(label.id, 'tasks', t.id);
        return json(201, { label: labelJson(label), links: { self: `/api/v2/labels/${label.id}` } });
      },
    },
    {
      method: 'DELETE',
      path: '/api/v2/tasks/:id/labels/:labelID',
      auth: 'token',
      handler: (ctx) => {
        const t = taskFor(ctx, 'write', 'failed to update task');
        ctx.deps.meta.labels.detach(checkedId(ctx.params['labelID']), 'tasks', t.id);
        return noContent();
      },
    },
  ];
}

/**
 * Members and owners. A task has exactly one owner, whose permissions its runs execute with;
 * adding an owner transfers ownership to that user (who must belong to the task's org). Task
 * members are not kept (visibility comes from `read:tasks` in the org), so the members list is
 * empty and changing it is `not implemented`.
 */
function ownerRoutes(runtime: TasksRuntime): RouteDef[] {
  const notKept = (): never => {
    throw new SluiceError(ErrorCode.NotImplemented, 'task members are not kept: access to tasks comes from read/write:tasks permissions in the org');
  };
  return [
    {
      method: 'GET',
      path: '/api/v2/tasks/:id/members',
      auth: 'token',
      handler: (ctx) => {
        const t = taskFor(ctx, 'read', 'failed to find task');
        return json(200, { links: { self: `/api/v2/tasks/${t.id}/members` }, users: [] });
      },
    },
    { method: 'POST', path: '/api/v2/tasks/:id/members', auth: 'token', handler: (ctx) => (taskFor(ctx, 'write', 'failed to update task'), notKept()) },
    {
      method: 'DELETE',
      path: '/api/v2/tasks/:id/members/:userID',
      auth: 'token',
      handler: (ctx) => (taskFor(ctx, 'write', 'failed to update task'), notKept()),
    },
    {
      method: 'GET',
      path: '/api/v2/tasks/:id/owners',
      auth: 'token',
      handler: (ctx) => {
        const t = taskFor(ctx, 'read', 'failed to find task');
        const owner = ctx.deps.meta.users.findById(t.ownerID);
        return json(200, { links: { self: `/api/v2/tasks/${t.id}/owners` }, users: owner === undefined ? [] : [{ ...userJson(owner), role: 'owner' }] });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/tasks/:id/owners',
      auth: 'token',
      handler: async (ctx) => {
        const t = taskFor(ctx, 'write', 'failed to update task');
        const body = await JsonBody.read(ctx);
        const user = ctx.deps.meta.users.get(checkedId(body.string('id')));
        if (ctx.deps.meta.members.roleOf(t.orgID, user.id) === undefined) {
          throw invalid(`user ${user.id} is not a member of the task's organization`);
        }
        // The scheduler's definition carries the owner its runs execute as.
        runtime.taskSaved(ctx.deps.meta.tasks.update(t.id, { ownerID: user.id }));
        return json(201, { ...userJson(user), role: 'owner' });
      },
    },
    {
      method: 'DELETE',
      path: '/api/v2/tasks/:id/owners/:userID',
      auth: 'token',
      handler: (ctx) => {
        const t = taskFor(ctx, 'write', 'failed to update task');
        const userID = checkedId(ctx.params['userID']);
        if (userID !== t.ownerID) throw notFound('user is not an owner of this task');
        throw invalid('a task keeps exactly one owner: add another owner to transfer ownership');
      },
    },
  ];
}
