import { ErrorCode, invalid, notFound, SluiceError } from '../../core/errors.js';
import type { Bucket } from '../../meta/bucket-store.js';
import type { MetaStore } from '../../meta/meta-store.js';
import type { Authorizer } from '../authorizer.js';
import type { RequestContext, RouteDef } from '../api-context.js';
import { bucketStorageConfig } from '../bucket-storage-config.js';
import { checkedId } from '../id-param.js';
import { JsonBody } from '../json-body.js';
import { paginate } from '../pagination.js';
import { json, noContent } from '../reply.js';
import { bucketJson, labelJson } from '../tenant-json.js';
import { orgFromQuery } from '../tenant-params.js';

const present = (meta: MetaStore, b: Bucket): Record<string, unknown> => bucketJson(b, meta.labels.forResource('buckets', b.id));

/** A bucket the caller may `action`; unknown → 404, not permitted → 401 as InfluxDB answers. */
function bucketFor(ctx: RequestContext, action: 'read' | 'write'): Bucket {
  const b = ctx.deps.meta.buckets.get(checkedId(ctx.params['id']));
  ctx.auth.require(action, { type: 'buckets', orgID: b.orgID, id: b.id });
  return b;
}

/** `/api/v2/buckets` (reference §4.4), with label attachments. */
export function bucketRoutes(): RouteDef[] {
  return [
    { method: 'GET', path: '/api/v2/buckets', auth: 'token', handler: listBuckets },
    { method: 'POST', path: '/api/v2/buckets', auth: 'token', handler: createBucket },
    {
      method: 'GET',
      path: '/api/v2/buckets/:id',
      auth: 'token',
      handler: (ctx) => json(200, present(ctx.deps.meta, bucketFor(ctx, 'read'))),
    },
    { method: 'PATCH', path: '/api/v2/buckets/:id', auth: 'token', handler: patchBucket },
    {
      method: 'DELETE',
      path: '/api/v2/buckets/:id',
      auth: 'token',
      handler: async (ctx) => {
        const b = bucketFor(ctx, 'write');
        ctx.deps.meta.transaction(() => {
          ctx.deps.meta.buckets.delete(b.id);
          ctx.deps.meta.labels.detachAll('buckets', b.id);
        });
        await ctx.deps.storage().dropBucket(b.id);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/api/v2/buckets/:id/labels',
      auth: 'token',
      handler: (ctx) => {
        const b = bucketFor(ctx, 'read');
        return json(200, {
          links: { self: `/api/v2/buckets/${b.id}/labels` },
          labels: ctx.deps.meta.labels.forResource('buckets', b.id).map(labelJson),
        });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/buckets/:id/labels',
      auth: 'token',
      handler: async (ctx) => {
        const b = bucketFor(ctx, 'write');
        const body = await JsonBody.read(ctx);
        const label = ctx.deps.meta.labels.get(checkedId(body.string('labelID')));
        ctx.auth.require('read', { type: 'labels', orgID: label.orgID, id: label.id });
        ctx.deps.meta.labels.attach(label.id, 'buckets', b.id);
        return json(201, { label: labelJson(label), links: { self: `/api/v2/labels/${label.id}` } });
      },
    },
    {
      method: 'DELETE',
      path: '/api/v2/buckets/:id/labels/:labelID',
      auth: 'token',
      handler: (ctx) => {
        const b = bucketFor(ctx, 'write');
        ctx.deps.meta.labels.detach(checkedId(ctx.params['labelID']), 'buckets', b.id);
        return noContent();
      },
    },
    ...['members', 'owners'].map(
      (kind): RouteDef => ({
        method: 'GET',
        path: `/api/v2/buckets/:id/${kind}`,
        auth: 'token',
        handler: (ctx) => {
          const b = bucketFor(ctx, 'read');
          return json(200, { links: { self: `/api/v2/buckets/${b.id}/${kind}` }, users: [] });
        },
      }),
    ),
  ];
}

function listBuckets(ctx: RequestContext): ReturnType<typeof json> {
  const { meta } = ctx.deps;
  const { query, auth } = ctx;
  const org = orgFromQuery(meta, query);
  let all = meta.buckets.list(org?.id);
  const id = query.get('id');
  if (id !== null && id !== '') all = all.filter((b) => b.id === id);
  const name = query.get('name');
  if (name !== null && name !== '') {
    all = all.filter((b) => b.name === name);
    if (org !== undefined && all.length === 0) throw notFound(`bucket "${name}" not found`);
  }
  const visible = all.filter((b) => readable(auth, b));
  const page = paginate(visible, query, '/api/v2/buckets');
  return json(200, { links: page.links, buckets: page.items.map((b) => present(meta, b)) });
}

const readable = (auth: Authorizer, b: Bucket): boolean => auth.allows('read', { type: 'buckets', orgID: b.orgID, id: b.id });

interface RuleInput {
  everySeconds?: number;
  shardGroupDurationSeconds?: number;
}

/** `retentionRules`: at most one `expire` rule; values are whole, non-negative seconds. */
function retentionRule(body: JsonBody): RuleInput | undefined {
  const rules = body.array('retentionRules');
  if (rules === undefined || rules.length === 0) return undefined;
  if (rules.length > 1) throw new SluiceError(ErrorCode.UnprocessableEntity, 'expected at most one retention rule');
  const r = rules[0];
  if (r === null || typeof r !== 'object') throw invalid('failed to decode request body: retention rule must be an object');
  const rule = r as Record<string, unknown>;
  const out: RuleInput = {};
  for (const key of ['everySeconds', 'shardGroupDurationSeconds'] as const) {
    const v = rule[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(`failed to decode request body: ${key} must be an integer`);
    out[key] = v;
  }
  return out;
}

async function createBucket(ctx: RequestContext): Promise<ReturnType<typeof json>> {
  const { meta } = ctx.deps;
  const body = await JsonBody.read(ctx);
  const orgIDRaw = body.string('orgID');
  if (orgIDRaw === undefined || orgIDRaw === '') throw invalid('organization id must be provided');
  const org = meta.orgs.findById(checkedId(orgIDRaw));
  if (org === undefined) throw notFound('organization not found');
  ctx.auth.require('write', { type: 'buckets', orgID: org.id });
  const rule = retentionRule(body);
  const description = body.string('description');
  const rp = body.string('rp');
  const bucket = meta.buckets.create({
    orgID: org.id,
    name: body.string('name') ?? '',
    ...(description === undefined ? {} : { description }),
    ...(rp === undefined ? {} : { rp }),
    ...(rule?.everySeconds === undefined ? {} : { retentionSeconds: rule.everySeconds }),
    ...(rule?.shardGroupDurationSeconds === undefined ? {} : { shardGroupDurationSeconds: rule.shardGroupDurationSeconds }),
  });
  try {
    await ctx.deps.storage().ensureBucket(bucketStorageConfig(bucket));
  } catch (e) {
    meta.buckets.delete(bucket.id);
    throw e;
  }
  return json(201, present(meta, bucket));
}

async function patchBucket(ctx: RequestContext): Promise<ReturnType<typeof json>> {
  const b = bucketFor(ctx, 'write');
  const body = await JsonBody.read(ctx);
  const rule = retentionRule(body);
  const patch: Parameters<MetaStore['buckets']['update']>[1] = {};
  const name = body.string('name');
  const description = body.string('description');
  if (name !== undefined) patch.name = name;
  if (description !== undefined) patch.description = description;
  if (rule?.everySeconds !== undefined) patch.retentionSeconds = rule.everySeconds;
  // An explicitly empty rule list means "keep forever".
  if (body.array('retentionRules')?.length === 0) patch.retentionSeconds = 0;
  if (rule?.shardGroupDurationSeconds !== undefined) patch.shardGroupDurationSeconds = rule.shardGroupDurationSeconds;
  const updated = ctx.deps.meta.buckets.update(b.id, patch);
  await ctx.deps.storage().ensureBucket(bucketStorageConfig(updated));
  return json(200, present(ctx.deps.meta, updated));
}
