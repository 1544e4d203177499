import { ErrorCode, invalid, notFound, SluiceError } from '../../core/errors.js';
import type { Script, ScriptLanguage } from '../../meta/script-store.js';
import type { RequestContext, RouteDef } from '../api-context.js';
import { checkedId } from '../id-param.js';
import { JsonBody } from '../json-body.js';
import { json, noContent } from '../reply.js';
import { checkParamsProvided, scriptParams } from './scripts-params.js';
import { scriptJson } from './tasks-json.js';
import { limitParam, queryString, withPrefix } from './tasks-request.js';
import type { TasksRuntime } from './tasks-runtime.js';

/*
 * Invokable scripts (InfluxDB Cloud, reference §4.8). The permission model has no `scripts`
 * resource type, so scripts are guarded like tasks: read/write:tasks in the script's org.
 */

function scriptFor(ctx: RequestContext, action: 'read' | 'write'): Script {
  const id = withPrefix('failed to decode request', () => checkedId(ctx.params['id']));
  const script = ctx.deps.meta.scripts.findById(id);
  if (script === undefined) throw notFound(`script "${id}" not found`);
  ctx.auth.require(action, { type: 'tasks', orgID: script.orgID });
  return script;
}

function required(body: JsonBody, key: string): string {
  const v = body.string(key);
  if (v === undefined || v === '') throw invalid(`${key} is required`);
  return v;
}

/** `orgID`, else `org` (name), else the token's org. */
function orgOf(ctx: RequestContext, orgID: string | undefined, orgName: string | undefined): string {
  if (orgID !== undefined) {
    const org = ctx.deps.meta.orgs.findById(withPrefix('failed to decode request', () => checkedId(orgID)));
    if (org === undefined) throw notFound('organization not found');
    return org.id;
  }
  if (orgName !== undefined) {
    const org = ctx.deps.meta.orgs.findByName(orgName);
    if (org === undefined) throw notFound(`organization name "${orgName}" not found`);
    return org.id;
  }
  return ctx.auth.orgID;
}

export function scriptRoutes(runtime: TasksRuntime): RouteDef[] {
  return [
    {
      method: 'POST',
      path: '/api/v2/scripts',
      auth: 'token',
      handler: async (ctx) => {
        const body = await JsonBody.read(ctx);
        const name = required(body, 'name');
        const script = required(body, 'script');
        const language = (body.string('language') ?? 'flux') as ScriptLanguage;
        const description = body.string('description');
        const orgID = orgOf(ctx, body.string('orgID'), body.string('org'));
        ctx.auth.require('write', { type: 'tasks', orgID });
        const created = ctx.deps.meta.scripts.create({ orgID, name, script, language, ...(description === undefined ? {} : { description }) });
        return json(201, scriptJson(created));
      },
    },
    {
      method: 'GET',
      path: '/api/v2/scripts',
      auth: 'token',
      handler: (ctx) => {
        const { query } = ctx;
        const limit = limitParam(query, 'limit', 100, 0, 500, 'limit must be between 0 and 500');
        const offset = limitParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER, 'offset must be 0 or more');
        const orgIDRaw = queryString(query, 'orgID');
        const orgName = queryString(query, 'org');
        const orgID = orgIDRaw === undefined && orgName === undefined ? undefined : orgOf(ctx, orgIDRaw, orgName);
        const name = queryString(query, 'name');
        const scripts = ctx.deps.meta.scripts
          .list({ ...(orgID === undefined ? {} : { orgID }), ...(name === undefined ? {} : { name }) })
          .filter((s) => ctx.auth.allows('read', { type: 'tasks', orgID: s.orgID }))
          .slice(offset, offset + limit);
        return json(200, { scripts: scripts.map(scriptJson) });
      },
    },
    { method: 'GET', path: '/api/v2/scripts/:id', auth: 'token', handler: (ctx) => json(200, scriptJson(scriptFor(ctx, 'read'))) },
    {
      method: 'PATCH',
      path: '/api/v2/scripts/:id',
      auth: 'token',
      handler: async (ctx) => {
        const s = scriptFor(ctx, 'write');
        const body = await JsonBody.read(ctx, { allowEmpty: true });
        const name = body.string('name');
        const description = body.string('description');
        const script = body.string('script');
        const updated = ctx.deps.meta.scripts.update(s.id, {
          ...(name === undefined || name === '' ? {} : { name }),
          ...(description === undefined ? {} : { description }),
          ...(script === undefined ? {} : { script }),
        });
        return json(200, scriptJson(updated));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v2/scripts/:id',
      auth: 'token',
      handler: (ctx) => {
        // Cloud answers 204 for unknown scripts too.
        const id = withPrefix('failed to decode request', () => checkedId(ctx.params['id']));
        const s = ctx.deps.meta.scripts.findById(id);
        if (s !== undefined) {
          ctx.auth.require('write', { type: 'tasks', orgID: s.orgID });
          ctx.deps.meta.scripts.delete(s.id);
        }
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/api/v2/scripts/:id/params',
      auth: 'token',
      handler: (ctx) => {
        const s = scriptFor(ctx, 'read');
        return json(200, { params: Object.fromEntries(scriptParams(s.script)) });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/scripts/:id/invoke',
      auth: 'token',
      handler: async (ctx) => {
        const s = scriptFor(ctx, 'read');
        if (s.language !== 'flux') throw new SluiceError(ErrorCode.NotImplemented, `invoking ${s.language} scripts is not supported`);
        const body = await JsonBody.read(ctx, { allowEmpty: true });
        const params = body.object('params') ?? {};
        checkParamsProvided(s.script, params);
        const abort = new AbortController();
        const onClose = (): void => abort.abort();
        ctx.res.once('close', onClose);
        try {
          const chunks: string[] = [];
          const outcome = await runtime.invokeScript(s, params, ctx.auth, abort.signal, (chunk) => void chunks.push(chunk));
          if (outcome.error !== undefined) ctx.deps.logger.debug({ err: outcome.error }, 'script invocation failed after output started');
          return { status: 200, text: chunks.join(''), headers: { 'content-type': 'text/csv; charset=utf-8' } };
        } finally {
          ctx.res.off('close', onClose);
        }
      },
    },
  ];
}
