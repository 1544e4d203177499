import { invalid, notFound } from '../core/errors.js';
import { isValidId } from '../core/ids.js';
import type { Bucket } from '../meta/bucket-store.js';
import type { MetaStore } from '../meta/meta-store.js';
import type { Org } from '../meta/org-store.js';
import { checkedId } from './id-param.js';

/**
 * Resolves `orgID` / `org` query parameters as InfluxDB does: `orgID` wins; an `org` that looks
 * like an ID is looked up only as an ID, anything else as a name. Undefined when neither is given.
 */
export function orgFromQuery(meta: MetaStore, query: URLSearchParams): Org | undefined {
  const orgID = query.get('orgID');
  if (orgID !== null && orgID !== '') {
    const org = meta.orgs.findById(checkedId(orgID));
    if (org === undefined) throw notFound('organization not found');
    return org;
  }
  const name = query.get('org');
  if (name === null || name === '') return undefined;
  if (isValidId(name)) {
    const org = meta.orgs.findById(name);
    if (org === undefined) throw notFound('organization not found');
    return org;
  }
  const org = meta.orgs.findByName(name);
  if (org === undefined) throw notFound(`organization name "${name}" not found`);
  return org;
}

export function requiredOrgFromQuery(meta: MetaStore, query: URLSearchParams): Org {
  const org = orgFromQuery(meta, query);
  if (org === undefined) throw invalid('Please provide either orgID or org');
  return org;
}

/** A bucket of `org` by `bucketID`, or by `bucket` tried as an ID first and then as a name. */
export function bucketInOrg(meta: MetaStore, org: Org, ref: { id?: string | null; name?: string | null }): Bucket {
  if (ref.id !== undefined && ref.id !== null && ref.id !== '') {
    const b = meta.buckets.findById(checkedId(ref.id));
    if (b === undefined || b.orgID !== org.id) throw notFound(`bucket "${ref.id}" not found`);
    return b;
  }
  const name = ref.name ?? '';
  if (isValidId(name)) {
    const b = meta.buckets.findById(name);
    if (b !== undefined && b.orgID === org.id) return b;
  }
  const b = meta.buckets.findByName(org.id, name);
  if (b === undefined) throw notFound(`bucket "${name}" not found`);
  return b;
}
