import { invalid, notFound } from '../../core/errors.js';
import type { Dbrp } from '../../meta/dbrp-store.js';
import type { Org } from '../../meta/org-store.js';
import type { RequestContext, RouteDef } from '../api-context.js';
import { checkedId } from '../id-param.js';
import { JsonBody } from '../json-body.js';
import { json, noContent } from '../reply.js';
import { bucketInOrg, requiredOrgFromQuery } from '../tenant-params.js';

/** InfluxDB's DBRP JSON: snake_case `retention_policy`, `default`, `virtual`. */
const dbrpJson = (d: Dbrp): Record<string, unknown> => ({
  id: d.id,
  orgID: d.orgID,
  bucketID: d.bucketID,
  database: d.database,
  retention_policy: d.retentionPolicy,
  default: d.isDefault,
  virtual: false,
});

/** A mapping of the org named in the query; access follows the mapped bucket's permissions. */
function dbrpFor(ctx: RequestContext, action: 'read' | 'write'): Dbrp {
  const org = requiredOrgFromQuery(ctx.deps.meta, ctx.query);
  const d = ctx.deps.meta.dbrps.get(checkedId(ctx.params['id']));
  if (d.orgID !== org.id) throw notFound('unable to find DBRP');
  ctx.auth.require(action, { type: 'buckets', orgID: d.orgID, id: d.bucketID });
  return d;
}

function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (v !== 'true' && v !== 'false') throw invalid(`${name} must be true or false`);
  return v === 'true';
}

/** `/api/v2/dbrps` (reference §2.2): explicit v1 database/retention-policy → bucket mappings. */
export function dbrpRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/api/v2/dbrps',
      auth: 'token',
      handler: ({ deps, query, auth }) => {
        const org = requiredOrgFromQuery(deps.meta, query);
        const str = (k: string): string | undefined => {
          const v = query.get(k);
          return v === null || v === '' ? undefined : v;
        };
        const isDefault = boolParam(query, 'default');
        const list = deps.meta.dbrps
          .list({
            orgID: org.id,
            ...(str('id') === undefined ? {} : { id: str('id')! }),
            ...(str('bucketID') === undefined ? {} : { bucketID: str('bucketID')! }),
            ...(str('db') === undefined ? {} : { database: str('db')! }),
            ...(str('rp') === undefined ? {} : { retentionPolicy: str('rp')! }),
            ...(isDefault === undefined ? {} : { isDefault }),
          })
          .filter((d) => auth.allows('read', { type: 'buckets', orgID: d.orgID, id: d.bucketID }));
        return json(200, { content: list.map(dbrpJson) });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/dbrps',
      auth: 'token',
      handler: async (ctx) => {
        const { meta } = ctx.deps;
        const body = await JsonBody.read(ctx);
        const orgQuery = new URLSearchParams();
        for (const k of ['orgID', 'org']) {
          const v = body.string(k);
          if (v !== undefined) orgQuery.set(k, v);
        }
        const org: Org = requiredOrgFromQuery(meta, orgQuery);
        const bucketID = body.string('bucketID');
        if (bucketID === undefined || bucketID === '') throw invalid('bucketID is required');
        const bucket = bucketInOrg(meta, org, { id: bucketID });
        ctx.auth.require('write', { type: 'buckets', orgID: org.id, id: bucket.id });
        const isDefault = body.value['default'];
        if (isDefault !== undefined && typeof isDefault !== 'boolean') throw invalid('default must be a boolean');
        const d = meta.dbrps.create({
          orgID: org.id,
          bucketID: bucket.id,
          database: body.string('database') ?? '',
          retentionPolicy: body.string('retention_policy') ?? '',
          ...(isDefault === undefined ? {} : { isDefault }),
        });
        return json(201, dbrpJson(d));
      },
    },
    { method: 'GET', path: '/api/v2/dbrps/:id', auth: 'token', handler: (ctx) => json(200, { content: dbrpJson(dbrpFor(ctx, 'read')) }) },
    {
      method: 'PATCH',
      path: '/api/v2/dbrps/:id',
      auth: 'token',
      handler: async (ctx) => {
        const d = dbrpFor(ctx, 'write');
        const body = await JsonBody.read(ctx);
        const rp = body.string('retention_policy');
        const isDefault = body.value['default'];
        if (isDefault !== undefined && typeof isDefault !== 'boolean') throw invalid('default must be a boolean');
        const updated = ctx.deps.meta.dbrps.update(d.id, {
          ...(rp === undefined ? {} : { retentionPolicy: rp }),
          ...(isDefault === undefined ? {} : { isDefault }),
        });
        return json(200, { content: dbrpJson(updated) });
      },
    },
    {
      method: 'DELETE',
      path: '/api/v2/dbrps/:id',
      auth: 'token',
      handler: (ctx) => {
        ctx.deps.meta.dbrps.delete(dbrpFor(ctx, 'write').id);
        return noContent();
      },
    },
  ];
}
