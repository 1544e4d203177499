import { invalid, notFound } from '../../core/errors.js';
import type { Label } from '../../meta/label-store.js';
import type { RequestContext, RouteDef } from '../api-context.js';
import { checkedId } from '../id-param.js';
import { JsonBody } from '../json-body.js';
import { json, noContent } from '../reply.js';
import { labelJson } from '../tenant-json.js';

function labelFor(ctx: RequestContext, action: 'read' | 'write'): Label {
  const l = ctx.deps.meta.labels.get(checkedId(ctx.params['id']));
  ctx.auth.require(action, { type: 'labels', orgID: l.orgID, id: l.id });
  return l;
}

const one = (l: Label): Record<string, unknown> => ({ label: labelJson(l), links: { self: `/api/v2/labels/${l.id}` } });

function propertiesOf(body: JsonBody): Record<string, string> | undefined {
  const p = body.object('properties');
  if (p === undefined) return undefined;
  for (const [k, v] of Object.entries(p)) if (typeof v !== 'string') throw invalid(`label property "${k}" must be a string`);
  return p as Record<string, string>;
}

/** `/api/v2/labels` (reference §4.7). Attachments live with each resource's routes. */
export function labelRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/api/v2/labels',
      auth: 'token',
      handler: ({ deps, query, auth }) => {
        const orgID = query.get('orgID');
        const name = query.get('name');
        const labels = deps.meta.labels
          .list({
            ...(orgID === null || orgID === '' ? {} : { orgID }),
            ...(name === null || name === '' ? {} : { name }),
          })
          .filter((l) => auth.allows('read', { type: 'labels', orgID: l.orgID, id: l.id }));
        return json(200, { links: { self: '/api/v2/labels' }, labels: labels.map(labelJson) });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/labels',
      auth: 'token',
      handler: async (ctx) => {
        const body = await JsonBody.read(ctx);
        const orgIDRaw = body.string('orgID');
        if (orgIDRaw === undefined || orgIDRaw === '') throw invalid('orgID is required');
        const name = body.string('name');
        if (name === undefined || name.trim() === '') throw invalid('label name is required');
        const org = ctx.deps.meta.orgs.findById(checkedId(orgIDRaw));
        if (org === undefined) throw notFound('organization not found');
        ctx.auth.require('write', { type: 'labels', orgID: org.id });
        const properties = propertiesOf(body);
        const label = ctx.deps.meta.labels.create({ orgID: org.id, name, ...(properties === undefined ? {} : { properties }) });
        return json(201, one(label));
      },
    },
    { method: 'GET', path: '/api/v2/labels/:id', auth: 'token', handler: (ctx) => json(200, one(labelFor(ctx, 'read'))) },
    {
      method: 'PATCH',
      path: '/api/v2/labels/:id',
      auth: 'token',
      handler: async (ctx) => {
        const l = labelFor(ctx, 'write');
        const body = await JsonBody.read(ctx);
        const name = body.string('name');
        const properties = propertiesOf(body);
        const updated = ctx.deps.meta.labels.update(l.id, {
          ...(name === undefined ? {} : { name }),
          ...(properties === undefined ? {} : { properties }),
        });
        return json(200, one(updated));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v2/labels/:id',
      auth: 'token',
      handler: (ctx) => {
        ctx.deps.meta.labels.delete(labelFor(ctx, 'write').id);
        return noContent();
      },
    },
  ];
}
