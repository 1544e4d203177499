import { ErrorCode, invalid, isSluiceError, notFound, SluiceError } from '../../core/errors.js';
import { PRECISION_NS, type Precision } from '../../lineprotocol/point.js';
import type { Bucket } from '../../meta/bucket-store.js';
import type { Org } from '../../meta/org-store.js';
import type { RequestContext, RouteDef } from '../api-context.js';
import { authenticateToken, basicCredentials, tokenFromHeader, type Authorizer } from '../authorizer.js';
import { readBody } from '../request-body.js';
import { noContent, type Reply } from '../reply.js';
import { bucketInOrg, orgFromQuery, requiredOrgFromQuery } from '../tenant-params.js';
import { WriteBodyPool } from './write-body-pool.js';

/**
 * Write bodies are read into reused memory and handed back once parsed: `deps.parseLines` returns
 * points that do not refer to the body's bytes (the line protocol parser copies into strings).
 */
const bodies = new WriteBodyPool();

/** `POST /api/v2/write` and the v1 `POST /write` (reference §1.4, §2). */
export function writeRoutes(): RouteDef[] {
  return [
    { method: 'POST', path: '/api/v2/write', auth: 'token', handler: writeV2 },
    { method: 'POST', path: '/write', auth: 'none', handler: writeV1 },
  ];
}

const forbiddenWrite = (): SluiceError => new SluiceError(ErrorCode.Forbidden, 'insufficient permissions for write');

/** InfluxDB's order of checks: auth → precision → bucket param → org → bucket → permission → body. */
async function writeV2(ctx: RequestContext): Promise<Reply> {
  const auth = ctx.auth;
  const precision = v2Precision(ctx.query.get('precision'));
  const bucketRef = ctx.query.get('bucket');
  if (bucketRef === null || bucketRef === '') throw notFound('bucket not found');
  const org = requiredOrgFromQuery(ctx.deps.meta, ctx.query);
  const bucket = bucketInOrg(ctx.deps.meta, org, { name: bucketRef });
  if (!auth.allows('write', { type: 'buckets', orgID: bucket.orgID, id: bucket.id })) throw forbiddenWrite();
  return ingest(ctx, bucket, precision);
}

function v2Precision(p: string | null): Precision {
  if (p === null || p === '') return 'ns';
  if (p === 'ns' || p === 'us' || p === 'ms' || p === 's') return p;
  throw invalid('invalid precision; valid precision units are ns, us, ms, and s');
}

/**
 * v1 write: `db`/`rp` map to a bucket through an explicit DBRP mapping, else to bucket `db/rp`,
 * or `db` for the default retention policy `autogen`, in `org` (or the token's org).
 * Credentials: `u`/`p`, `Token [user:]token`, `Bearer`, or Basic with the token as password.
 * Precision: only `us`, `ms` and `s` scale (as in InfluxDB 2.x); anything else is nanoseconds.
 */
async function writeV1(ctx: RequestContext): Promise<Reply> {
  const { meta } = ctx.deps;
  const auth = v1Authorizer(ctx);
  const db = ctx.query.get('db');
  if (db === null || db === '') throw invalid('missing db');
  const rp = ctx.query.get('rp') ?? '';
  const org: Org | undefined = orgFromQuery(meta, ctx.query) ?? meta.orgs.findById(auth.orgID);
  if (org === undefined) throw notFound('organization not found');
  // Explicit mappings (/api/v2/dbrps) first, then InfluxDB's virtual ones: bucket `db/rp`, or
  // bucket `db` for the default retention policy.
  const explicit = rp === '' ? meta.dbrps.findDefault(org.id, db) : meta.dbrps.find(org.id, db, rp);
  const candidates = rp === '' ? [db, `${db}/autogen`] : rp === 'autogen' ? [`${db}/autogen`, db] : [`${db}/${rp}`];
  const bucket =
    explicit !== undefined
      ? meta.buckets.findById(explicit.bucketID)
      : candidates.map((name) => meta.buckets.findByName(org.id, name)).find((b) => b !== undefined);
  if (bucket === undefined) throw notFound('no dbrp mapping found');
  if (!auth.allows('write', { type: 'buckets', orgID: bucket.orgID, id: bucket.id })) throw forbiddenWrite();
  const p = ctx.query.get('precision');
  const precision: Precision = p === 'us' || p === 'ms' || p === 's' ? p : 'ns';
  return ingest(ctx, bucket, precision);
}

function v1Authorizer(ctx: RequestContext): Authorizer {
  const password = ctx.query.get('p');
  if (password !== null && password !== '') return authenticateToken(ctx.deps.meta, password);
  const header = ctx.req.headers.authorization;
  if (header !== undefined && /^\s*basic\s/i.test(header)) return authenticateToken(ctx.deps.meta, basicCredentials(header)?.password);
  let token = tokenFromHeader(header);
  if (token !== undefined && token.includes(':')) token = token.slice(token.indexOf(':') + 1);
  return authenticateToken(ctx.deps.meta, token);
}

/** Reads, parses and stores one batch: 204, 400 (nothing written), 422 (some points dropped). */
async function ingest(ctx: RequestContext, bucket: Bucket, precision: Precision): Promise<Reply> {
  const { deps } = ctx;
  const release = deps.writeLimiter.acquire();
  deps.metrics.writesInFlight.inc();
  try {
    const body = await readBody(ctx.req, deps.options.maxBodyBytes, bodies);
    deps.metrics.writeBytes.inc(body.length);
    const nowNs = deps.clock.nowNs();
    const mult = PRECISION_NS[precision];
    let points;
    try {
      points = deps.parseLines(body, { precision, defaultTimeNs: nowNs - (((nowNs % mult) + mult) % mult) });
    } catch (e) {
      if (isSluiceError(e)) throw e;
      throw invalid((e as Error).message, { cause: e });
    } finally {
      bodies.give(body);
    }
    if (points.length === 0) return noContent();
    let result;
    try {
      result = await deps.storage().write(bucket.id, points);
    } catch (e) {
      if (isSluiceError(e)) throw e;
      throw new SluiceError(ErrorCode.Internal, `unexpected error writing points to database: ${(e as Error).message}`, { cause: e });
    }
    deps.metrics.writePoints.inc(result.accepted);
    deps.metrics.writeValues.inc(result.values);
    if (result.rejected.length > 0) {
      deps.metrics.writeRejectedPoints.inc(result.rejected.length);
      throw new SluiceError(
        ErrorCode.UnprocessableEntity,
        `failure writing points to database: partial write: ${result.rejected[0]!.reason} dropped=${result.rejected.length}`,
      );
    }
    return noContent();
  } finally {
    deps.metrics.writesInFlight.dec();
    release();
  }
}
