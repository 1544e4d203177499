import { invalid, notFound } from '../../core/errors.js';
import type { RouteDef } from '../api-context.js';
import { bucketStorageConfig } from '../bucket-storage-config.js';
import { checkedId } from '../id-param.js';
import { JsonBody } from '../json-body.js';
import { paginate } from '../pagination.js';
import { json, noContent } from '../reply.js';
import { orgJson, userJson } from '../tenant-json.js';
import { orgFromQuery } from '../tenant-params.js';

/** `/api/v2/orgs` (reference §4.3), with members and owners. */
export function orgRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/api/v2/orgs',
      auth: 'token',
      handler: ({ deps, query, auth }) => {
        const one = orgFromQuery(deps.meta, query);
        let all = one === undefined ? deps.meta.orgs.list() : [one];
        const userID = query.get('userID');
        if (userID !== null && userID !== '') {
          const memberOf = new Set(deps.meta.members.orgsOf(userID));
          all = all.filter((o) => memberOf.has(o.id));
        }
        const visible = all.filter((o) => auth.allows('read', { type: 'orgs', id: o.id }));
        const page = paginate(visible, query, '/api/v2/orgs');
        return json(200, { links: page.links, orgs: page.items.map(orgJson) });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/orgs',
      auth: 'token',
      handler: async (ctx) => {
        ctx.auth.require('write', { type: 'orgs' });
        const body = await JsonBody.read(ctx);
        const name = body.string('name');
        if (name === undefined || name.trim() === '') throw invalid('org name is empty');
        const description = body.string('description');
        const { meta } = ctx.deps;
        const creator = ctx.auth.userID;
        const { org, buckets } = meta.transaction(() => {
          const o = meta.orgs.create(description === undefined ? { name } : { name, description });
          if (creator !== undefined && meta.users.findById(creator) !== undefined) meta.members.add(o.id, creator, 'owner');
          return { org: o, buckets: meta.createSystemBuckets(o.id) };
        });
        const storage = ctx.deps.storage();
        for (const b of buckets) await storage.ensureBucket(bucketStorageConfig(b));
        return json(201, orgJson(org));
      },
    },
    {
      method: 'GET',
      path: '/api/v2/orgs/:id',
      auth: 'token',
      handler: ({ deps, params, auth }) => {
        const org = deps.meta.orgs.get(checkedId(params['id']));
        auth.require('read', { type: 'orgs', id: org.id });
        return json(200, orgJson(org));
      },
    },
    {
      method: 'PATCH',
      path: '/api/v2/orgs/:id',
      auth: 'token',
      handler: async (ctx) => {
        const org = ctx.deps.meta.orgs.get(checkedId(ctx.params['id']));
        ctx.auth.require('write', { type: 'orgs', id: org.id });
        const body = await JsonBody.read(ctx);
        const patch: { name?: string; description?: string } = {};
        const name = body.string('name');
        const description = body.string('description');
        if (name !== undefined) patch.name = name;
        if (description !== undefined) patch.description = description;
        return json(200, orgJson(ctx.deps.meta.orgs.update(org.id, patch)));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v2/orgs/:id',
      auth: 'token',
      handler: async ({ deps, params, auth }) => {
        const org = deps.meta.orgs.findById(checkedId(params['id']));
        if (org === undefined) throw notFound('organization not found');
        auth.require('write', { type: 'orgs', id: org.id });
        const buckets = deps.meta.buckets.list(org.id);
        deps.meta.orgs.delete(org.id);
        const storage = deps.storage();
        for (const b of buckets) await storage.dropBucket(b.id);
        return noContent();
      },
    },
    ...(['member', 'owner'] as const).flatMap((role): RouteDef[] => {
      const kind = `${role}s`;
      return [
        {
          method: 'GET',
          path: `/api/v2/orgs/:id/${kind}`,
          auth: 'token',
          handler: ({ deps, params, auth }) => {
            const org = deps.meta.orgs.get(checkedId(params['id']));
            auth.require('read', { type: 'orgs', id: org.id });
            const users = deps.meta.members
              .users(org.id, role)
              .map((id) => deps.meta.users.findById(id))
              .filter((u) => u !== undefined)
              .map((u) => ({ ...userJson(u), role }));
            return json(200, { links: { self: `/api/v2/orgs/${org.id}/${kind}` }, users });
          },
        },
        {
          method: 'POST',
          path: `/api/v2/orgs/:id/${kind}`,
          auth: 'token',
          handler: async (ctx) => {
            const org = ctx.deps.meta.orgs.get(checkedId(ctx.params['id']));
            ctx.auth.require('write', { type: 'orgs', id: org.id });
            const body = await JsonBody.read(ctx);
            const user = ctx.deps.meta.users.get(checkedId(body.string('id')));
            ctx.deps.meta.members.add(org.id, user.id, role);
            return json(201, { ...userJson(user), role });
          },
        },
        {
          method: 'DELETE',
          path: `/api/v2/orgs/:id/${kind}/:userID`,
          auth: 'token',
          handler: (ctx) => {
            const org = ctx.deps.meta.orgs.get(checkedId(ctx.params['id']));
            ctx.auth.require('write', { type: 'orgs', id: org.id });
            ctx.deps.meta.members.remove(org.id, checkedId(ctx.params['userID']), role);
            return noContent();
          },
        },
      ];
    }),
  ];
}
