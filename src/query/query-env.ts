import { ExternalKey } from '../flux/interpreter/index.js';
import type { MetaStore } from '../meta/meta-store.js';
import type { Org } from '../meta/org-store.js';
import type { Action, Resource } from '../meta/permission.js';
import type { Storage } from '../storage/storage.js';

/** The caller's permissions, as the HTTP layer's Authorizer (or a task's owner) gives them. */
export interface QueryAuth {
  allows(action: Action, resource: Resource): boolean;
}

/**
 * What the storage-backed builtins (`from`, `to`, `buckets`) of one query need from the host:
 * the engine, the metadata, the organization the query runs in and the caller's permissions.
 * Given to an execution as the external `QUERY_ENV`.
 */
export interface QueryEnv {
  readonly storage: Storage;
  readonly meta: MetaStore;
  readonly org: Org;
  readonly auth: QueryAuth;
  /**
   * Push-down of filter/aggregates into storage reads (default true). Turned off only to check
   * that push-down and plain execution agree.
   */
  readonly pushDown?: boolean;
}

export const QUERY_ENV = new ExternalKey<QueryEnv>('InfluxDB storage');
