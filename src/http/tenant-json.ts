import type { Authorization } from '../meta/authorization-store.js';
import type { Bucket } from '../meta/bucket-store.js';
import type { Label } from '../meta/label-store.js';
import type { MetaStore } from '../meta/meta-store.js';
import type { Org } from '../meta/org-store.js';
import type { Permission } from '../meta/permission.js';
import type { User } from '../meta/user-store.js';

/** The JSON shapes of tenancy resources, as InfluxDB 2.7 answers them (reference §4). */

export function orgJson(o: Org): Record<string, unknown> {
  const self = `/api/v2/orgs/${o.id}`;
  const byName = encodeURIComponent(o.name);
  return {
    id: o.id,
    name: o.name,
    description: o.description,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    links: {
      self,
      members: `${self}/members`,
      owners: `${self}/owners`,
      labels: `${self}/labels`,
      secrets: `${self}/secrets`,
      buckets: `/api/v2/buckets?org=${byName}`,
      tasks: `/api/v2/tasks?org=${byName}`,
      dashboards: `/api/v2/dashboards?org=${byName}`,
      logs: `${self}/logs`,
    },
  };
}

export function labelJson(l: Label): Record<string, unknown> {
  return { id: l.id, orgID: l.orgID, name: l.name, properties: l.properties };
}

export function bucketJson(b: Bucket, labels: readonly Label[]): Record<string, unknown> {
  const self = `/api/v2/buckets/${b.id}`;
  const out: Record<string, unknown> = { id: b.id, orgID: b.orgID, type: b.type, name: b.name };
  if (b.description !== undefined) out['description'] = b.description;
  if (b.rp !== undefined) out['rp'] = b.rp;
  out['retentionRules'] = [
    { type: 'expire', everySeconds: b.retentionSeconds, shardGroupDurationSeconds: b.shardGroupDurationSeconds },
  ];
  out['createdAt'] = b.createdAt;
  out['updatedAt'] = b.updatedAt;
  out['links'] = {
    self,
    org: `/api/v2/orgs/${b.orgID}`,
    members: `${self}/members`,
    owners: `${self}/owners`,
    labels: `${self}/labels`,
    write: `/api/v2/write?org=${b.orgID}&bucket=${b.id}`,
  };
  out['labels'] = labels.map(labelJson);
  return out;
}

export function userJson(u: User): Record<string, unknown> {
  return { id: u.id, name: u.name, status: u.status, links: { self: `/api/v2/users/${u.id}` } };
}

/**
 * An authorization. `token` is present only in the response that created it: Sluice keeps only
 * the token's digest (docs/security.md).
 */
export function authorizationJson(meta: MetaStore, a: Authorization, token?: string): Record<string, unknown> {
  const org = meta.orgs.findById(a.orgID);
  const user = a.userID === undefined ? undefined : meta.users.findById(a.userID);
  const out: Record<string, unknown> = { id: a.id };
  if (token !== undefined) out['token'] = token;
  out['status'] = a.status;
  out['description'] = a.description;
  out['orgID'] = a.orgID;
  out['org'] = org?.name ?? '';
  if (a.userID !== undefined) {
    out['userID'] = a.userID;
    out['user'] = user?.name ?? '';
  }
  out['permissions'] = a.permissions.map((p) => permissionJson(meta, p));
  out['createdAt'] = a.createdAt;
  out['updatedAt'] = a.updatedAt;
  out['links'] = {
    self: `/api/v2/authorizations/${a.id}`,
    ...(a.userID === undefined ? {} : { user: `/api/v2/users/${a.userID}` }),
  };
  return out;
}

function permissionJson(meta: MetaStore, p: Permission): Record<string, unknown> {
  const r: Record<string, unknown> = { type: p.resource.type };
  if (p.resource.id !== undefined) {
    r['id'] = p.resource.id;
    const name =
      p.resource.type === 'buckets'
        ? meta.buckets.findById(p.resource.id)?.name
        : p.resource.type === 'orgs'
          ? meta.orgs.findById(p.resource.id)?.name
          : p.resource.type === 'users'
            ? meta.users.findById(p.resource.id)?.name
            : undefined;
    if (name !== undefined) r['name'] = name;
  }
  if (p.resource.orgID !== undefined) {
    r['orgID'] = p.resource.orgID;
    const org = meta.orgs.findById(p.resource.orgID);
    if (org !== undefined) r['org'] = org.name;
  }
  return { action: p.action, resource: r };
}
