import { ErrorCode, invalid, SluiceError } from '../../core/errors.js';
import { parseRfc3339Ns } from '../../core/time.js';
import type { RequestContext, RouteDef } from '../api-context.js';
import { parseDeletePredicate } from '../delete-predicate.js';
import { JsonBody } from '../json-body.js';
import { noContent, type Reply } from '../reply.js';
import { bucketInOrg, requiredOrgFromQuery } from '../tenant-params.js';

/** `POST /api/v2/delete` (reference §4.6): start and stop are both inclusive. */
export function deleteRoutes(): RouteDef[] {
  return [{ method: 'POST', path: '/api/v2/delete', auth: 'token', handler: deletePoints }];
}

async function deletePoints(ctx: RequestContext): Promise<Reply> {
  const { meta } = ctx.deps;
  const auth = ctx.auth;
  const org = requiredOrgFromQuery(meta, ctx.query);
  const bucketID = ctx.query.get('bucketID');
  const bucketName = ctx.query.get('bucket');
  if ((bucketID === null || bucketID === '') && (bucketName === null || bucketName === '')) {
    throw invalid('Please provide either bucketID or bucket');
  }
  const bucket = bucketInOrg(meta, org, { id: bucketID, name: bucketName });
  if (!auth.allows('write', { type: 'buckets', orgID: bucket.orgID, id: bucket.id })) {
    throw new SluiceError(ErrorCode.Forbidden, 'insufficient permissions to delete');
  }
  let body: JsonBody;
  try {
    body = await JsonBody.read(ctx);
  } catch (e) {
    if (e instanceof SluiceError && e.code === ErrorCode.Invalid) throw invalid(`error decoding json body: ${e.message}`);
    throw e;
  }
  const startNs = timeField(body, 'start');
  const stopNs = timeField(body, 'stop');
  if (startNs > stopNs) throw invalid('error decoding json body: start must not be after stop');
  const predicate = parseDeletePredicate(body.string('predicate') ?? '');
  await ctx.deps.storage().delete({ bucketId: bucket.id, startNs, stopNs, ...(predicate === undefined ? {} : { predicate }) });
  return noContent();
}

function timeField(body: JsonBody, field: 'start' | 'stop'): bigint {
  const raw = body.value[field];
  try {
    if (typeof raw !== 'string') throw new Error('not a string');
    return parseRfc3339Ns(raw);
  } catch {
    throw invalid(
      `error decoding json body: invalid RFC3339Nano for field ${field}, please format your time with RFC3339Nano format, example: 2009-01-02T23:00:00Z`,
    );
  }
}
