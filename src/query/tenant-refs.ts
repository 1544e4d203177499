import { ErrorCode } from '../core/errors.js';
import { CallError, type Args } from '../flux/interpreter/index.js';
import type { Bucket } from '../meta/bucket-store.js';
import type { MetaStore } from '../meta/meta-store.js';
import { TurnMemo } from '../core/turn-memo.js';
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
  const lookups = bucketLookupsOf(env.meta);
  const bucket = id !== undefined ? lookups.byId(id) : lookups.byName(org.id, name!);
  if (bucket === undefined || bucket.orgID !== org.id || !env.auth.allows(action, { type: 'buckets', orgID: bucket.orgID, id: bucket.id })) {
    throw new HostError(ErrorCode.NotFound, `failed to initialize execute state: could not find bucket "${name ?? id!}"`);
  }
  return bucket;
}

/**
 * Bucket rows read in one event-loop turn, as the task runner's TurnMemo keeps the org row: runs
 * starting together (a burst at :00 starts a hundred on each group commit) share one SQLite
 * lookup per bucket, for `from()` and `to()` alike. Unlike a plain per-turn memo, an entry is
 * used only while MetaStore.bucketsVersion is the one it was read at, so a bucket created,
 * renamed or deleted (its org's deletion included) is seen by the very next lookup, even in the
 * same turn (src/core/turn-memo.ts); nothing is kept inside a transaction (its reads may roll back). Only the row is
 * shared: each call still checks its own caller's permissions and org, so a permission change is
 * seen as soon as the caller's `auth` shows it. Absent buckets are remembered too (a creation
 * changes the version). Cleared at the end of the turn, so nothing is retained at rest. Rows
 * are frozen: one object is handed to every query of the turn.
 */
class BucketLookups {
  readonly #rows = new TurnMemo<string, Bucket | undefined>();
  #version: number | undefined;

  constructor(private readonly meta: MetaStore) {}

  byId(id: string): Bucket | undefined {
    return this.#get(`i\0${id}`, () => this.meta.buckets.findById(id));
  }

  byName(orgID: string, name: string): Bucket | undefined {
    return this.#get(`n\0${orgID}\0${name}`, () => this.meta.buckets.findByName(orgID, name));
  }

  #get(key: string, load: () => Bucket | undefined): Bucket | undefined {
    const version = this.meta.bucketsVersion();
    if (version === undefined) return load();
    if (version !== this.#version) {
      this.#rows.clear();
      this.#version = version;
    }
    return this.#rows.get(key, () => {
      const row = load();
      return row === undefined ? undefined : Object.freeze(row);
    });
  }
}

const bucketLookups = new WeakMap<MetaStore, BucketLookups>();

function bucketLookupsOf(meta: MetaStore): BucketLookups {
  let lookups = bucketLookups.get(meta);
  if (lookups === undefined) bucketLookups.set(meta, (lookups = new BucketLookups(meta)));
  return lookups;
}
