import { ErrorCode } from '../core/errors.js';
import { CallError, type Args } from '../flux/interpreter/index.js';
import type { Bucket } from '../meta/bucket-store.js';
import type { Org } from '../meta/org-store.js';
import { HostError } from './host-error.js';
import type { QueryEnv } from './query-env.js';

/** Which org and bucket a call names (`org`/`orgID`, `bucket`/`bucketID`), as given. */
export interface TenantRef {
  readonly org?: string | undefined;
  readonly orgID?: string | undefined;
  readonly bucket?: string | undefined;
  readonly bucketID?: string | undefined;
}

export function tenantRefOf(args: Args): TenantRef {
  return { org: args.optString('org'), orgID: args.optString('orgID'), bucket: args.optString('bucket'), bucketID: args.optString('bucketID') };
}

/** The organization named by `org`/`orgID`, else the query's own. */
export function resolveOrg(env: QueryEnv, ref: TenantRef): Org {
  const { org: name, orgID: id } = ref;
  if (name !== undefined && id !== undefined) throw new CallError('must specify only one of org or orgID');
  if (name === undefined && id === undefined) return env.org;
  const org = id !== undefined ? env.meta.orgs.findById(id) : env.meta.orgs.findByName(name!);
  if (org === undefined) throw new HostError(ErrorCode.NotFound, `failed to initialize execute state: could not find organization "${name ?? id!}"`);
  return org;
}

/**
 * The bucket named by `bucket`/`bucketID` in the referenced org, checked against the caller's
 * permission for `action`. A bucket the caller may not use is reported as missing, as
 * InfluxDB's authorized bucket lookup does.
 */
export function resolveBucket(env: QueryEnv, ref: TenantRef, action: 'read' | 'write'): Bucket {
  const { bucket: name, bucketID: id } = ref;
  if (name === undefined && id === undefined) throw new CallError('must specify bucket or bucketID');
  if (name !== undefined && id !== undefined) throw new CallError('must specify only one of bucket or bucketID');
  const org = resolveOrg(env, ref);
  const bucket = id !== undefined ? env.meta.buckets.findById(id) : env.meta.buckets.findByName(org.id, name!);
  if (bucket === undefined || bucket.orgID !== org.id || !env.auth.allows(action, { type: 'buckets', orgID: bucket.orgID, id: bucket.id })) {
    throw new HostError(ErrorCode.NotFound, `failed to initialize execute state: could not find bucket "${name ?? id!}"`);
  }
  return bucket;
}
