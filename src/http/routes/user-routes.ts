import { invalid, notFound } from '../../core/errors.js';
import { isUserStatus, type UserStatus } from '../../meta/user-store.js';
import type { RequestContext, RouteDef } from '../api-context.js';
import { checkedId } from '../id-param.js';
import { JsonBody } from '../json-body.js';
import { paginate } from '../pagination.js';
import { json, noContent } from '../reply.js';
import { userJson } from '../tenant-json.js';

/** `/api/v2/users` and `/api/v2/me` (reference §4.5). */
export function userRoutes(): RouteDef[] {
  const setPassword = async (ctx: RequestContext): Promise<ReturnType<typeof noContent>> => {
    const user = ctx.deps.meta.users.get(checkedId(ctx.params['id']));
    if (ctx.auth.userID !== user.id) ctx.auth.require('write', { type: 'users', id: user.id });
    const body = await JsonBody.read(ctx);
    ctx.deps.meta.users.setPassword(user.id, body.string('password') ?? '');
    return noContent();
  };
  return [
    {
      method: 'GET',
      path: '/api/v2/users',
      auth: 'token',
      handler: ({ deps, query, auth }) => {
        let all = deps.meta.users.list();
        const name = query.get('name');
        const id = query.get('id');
        if (name !== null && name !== '') all = all.filter((u) => u.name === name);
        if (id !== null && id !== '') all = all.filter((u) => u.id === id);
        const visible = all.filter((u) => u.id === auth.userID || auth.allows('read', { type: 'users', id: u.id }));
        const page = paginate(visible, query, '/api/v2/users');
        return json(200, { links: page.links, users: page.items.map(userJson) });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/users',
      auth: 'token',
      handler: async (ctx) => {
        ctx.auth.require('write', { type: 'users' });
        const body = await JsonBody.read(ctx);
        const name = body.string('name');
        if (name === undefined || name.trim() === '') throw invalid('user name is empty');
        const status = statusOf(body);
        return json(201, userJson(ctx.deps.meta.users.create(status === undefined ? { name } : { name, status })));
      },
    },
    {
      method: 'GET',
      path: '/api/v2/users/:id',
      auth: 'token',
      handler: ({ deps, params, auth }) => {
        const user = deps.meta.users.get(checkedId(params['id']));
        if (auth.userID !== user.id) auth.require('read', { type: 'users', id: user.id });
        return json(200, userJson(user));
      },
    },
    {
      method: 'PATCH',
      path: '/api/v2/users/:id',
      auth: 'token',
      handler: async (ctx) => {
        const user = ctx.deps.meta.users.get(checkedId(ctx.params['id']));
        ctx.auth.require('write', { type: 'users', id: user.id });
        const body = await JsonBody.read(ctx);
        const patch: { name?: string; status?: UserStatus } = {};
        const name = body.string('name');
        const status = statusOf(body);
        if (name !== undefined) patch.name = name;
        if (status !== undefined) patch.status = status;
        return json(200, userJson(ctx.deps.meta.users.update(user.id, patch)));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v2/users/:id',
      auth: 'token',
      handler: ({ deps, params, auth }) => {
        const user = deps.meta.users.get(checkedId(params['id']));
        auth.require('write', { type: 'users', id: user.id });
        deps.meta.users.delete(user.id);
        return noContent();
      },
    },
    { method: 'POST', path: '/api/v2/users/:id/password', auth: 'token', handler: setPassword },
    { method: 'PUT', path: '/api/v2/users/:id/password', auth: 'token', handler: setPassword },
    {
      method: 'GET',
      path: '/api/v2/me',
      auth: 'token',
      handler: ({ deps, auth }) => {
        const user = auth.userID === undefined ? undefined : deps.meta.users.findById(auth.userID);
        if (user === undefined) throw notFound('user not found');
        return json(200, userJson(user));
      },
    },
  ];
}

function statusOf(body: JsonBody): UserStatus | undefined {
  const s = body.string('status');
  if (s === undefined) return undefined;
  if (!isUserStatus(s)) throw invalid(`invalid user status "${s}"`);
  return s;
}
