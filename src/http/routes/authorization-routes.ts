import { ErrorCode, invalid, notFound, SluiceError } from '../../core/errors.js';
import { isValidId } from '../../core/ids.js';
import { isAuthorizationStatus, type Authorization, type AuthorizationStatus } from '../../meta/authorization-store.js';
import { formatPermission, isResourceType, type Permission, type Resource } from '../../meta/permission.js';
import type { RequestContext, RouteDef } from '../api-context.js';
import { checkedId } from '../id-param.js';
import { JsonBody } from '../json-body.js';
import { paginate } from '../pagination.js';
import { json, noContent } from '../reply.js';
import { authorizationJson } from '../tenant-json.js';
import { orgFromQuery } from '../tenant-params.js';

const resourceOf = (a: Authorization): Resource => ({ type: 'authorizations', orgID: a.orgID, id: a.id });

function authorizationFor(ctx: RequestContext, action: 'read' | 'write'): Authorization {
  const a = ctx.deps.meta.authorizations.get(checkedId(ctx.params['id']));
  ctx.auth.require(action, resourceOf(a));
  return a;
}

/** `/api/v2/authorizations` (reference §4.2). */
export function authorizationRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/api/v2/authorizations',
      auth: 'token',
      handler: ({ deps, query, auth }) => {
        const { meta } = deps;
        const org = orgFromQuery(meta, query);
        let userID = query.get('userID') ?? undefined;
        const userName = query.get('user');
        if ((userID === undefined || userID === '') && userName !== null && userName !== '') {
          userID = meta.users.findByName(userName)?.id ?? '-';
        }
        const all = meta.authorizations.list({
          ...(org === undefined ? {} : { orgID: org.id }),
          ...(userID === undefined || userID === '' ? {} : { userID }),
        });
        const visible = all.filter((a) => auth.allows('read', resourceOf(a)));
        const page = paginate(visible, query, '/api/v2/authorizations');
        return json(200, { links: page.links, authorizations: page.items.map((a) => authorizationJson(meta, a)) });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/authorizations',
      auth: 'token',
      handler: async (ctx) => {
        const { meta } = ctx.deps;
        const body = await JsonBody.read(ctx);
        const orgIDRaw = body.string('orgID');
        if (orgIDRaw === undefined || orgIDRaw === '') throw invalid('org id required');
        const org = meta.orgs.findById(checkedId(orgIDRaw));
        if (org === undefined) throw notFound('organization not found');
        ctx.auth.require('write', { type: 'authorizations', orgID: org.id });
        const permissions = permissionsOf(body.array('permissions'));
        for (const p of permissions) {
          if (p.resource.type === 'instance' || !ctx.auth.allows(p.action, p.resource)) {
            throw new SluiceError(ErrorCode.Forbidden, `permission ${formatPermission(p)} is not allowed`);
          }
        }
        const userIDRaw = body.string('userID');
        const userID = userIDRaw === undefined || userIDRaw === '' ? ctx.auth.userID : checkedId(userIDRaw);
        if (userID !== undefined && meta.users.findById(userID) === undefined) throw notFound('user not found');
        const status = statusOf(body);
        const description = body.string('description');
        const { authorization, token } = meta.authorizations.create({
          orgID: org.id,
          permissions,
          ...(userID === undefined ? {} : { userID }),
          ...(status === undefined ? {} : { status }),
          ...(description === undefined ? {} : { description }),
        });
        return json(201, authorizationJson(meta, authorization, token));
      },
    },
    {
      method: 'GET',
      path: '/api/v2/authorizations/:id',
      auth: 'token',
      handler: (ctx) => json(200, authorizationJson(ctx.deps.meta, authorizationFor(ctx, 'read'))),
    },
    {
      method: 'PATCH',
      path: '/api/v2/authorizations/:id',
      auth: 'token',
      handler: async (ctx) => {
        const a = authorizationFor(ctx, 'write');
        const body = await JsonBody.read(ctx);
        const patch: { status?: AuthorizationStatus; description?: string } = {};
        const status = statusOf(body);
        const description = body.string('description');
        if (status !== undefined) patch.status = status;
        if (description !== undefined) patch.description = description;
        return json(200, authorizationJson(ctx.deps.meta, ctx.deps.meta.authorizations.update(a.id, patch)));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v2/authorizations/:id',
      auth: 'token',
      handler: (ctx) => {
        const a = authorizationFor(ctx, 'write');
        ctx.deps.meta.authorizations.delete(a.id);
        return noContent();
      },
    },
  ];
}

function statusOf(body: JsonBody): AuthorizationStatus | undefined {
  const s = body.string('status');
  if (s === undefined) return undefined;
  if (!isAuthorizationStatus(s)) throw invalid(`invalid authorization status "${s}"`);
  return s;
}

/** Validates `permissions` of a create request. */
function permissionsOf(raw: unknown[] | undefined): Permission[] {
  if (raw === undefined || raw.length === 0) throw invalid('authorization must include permissions');
  return raw.map((p) => {
    if (p === null || typeof p !== 'object') throw invalid('invalid permission');
    const { action, resource } = p as { action?: unknown; resource?: unknown };
    if (action !== 'read' && action !== 'write') throw invalid(`unknown action "${String(action)}"`);
    if (resource === null || typeof resource !== 'object') throw invalid('permission resource is required');
    const r = resource as { type?: unknown; id?: unknown; orgID?: unknown };
    if (!isResourceType(r.type)) throw invalid(`invalid resource type for permission: "${String(r.type)}"`);
    const out: { type: Resource['type']; id?: string; orgID?: string } = { type: r.type };
    for (const key of ['id', 'orgID'] as const) {
      const v = r[key];
      if (v === undefined || v === null || v === '') continue;
      if (typeof v !== 'string' || !isValidId(v)) throw invalid(`invalid ${key} for permission`);
      out[key] = v;
    }
    return { action, resource: out };
  });
}
