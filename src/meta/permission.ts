/**
 * InfluxDB's permission model (reference §4.2): a permission grants one action on a resource type,
 * optionally narrowed to one org (`orgID`) or one resource (`id`). Write does not imply read.
 */
export const RESOURCE_TYPES = [
  'authorizations',
  'buckets',
  'dashboards',
  'orgs',
  'sources',
  'tasks',
  'telegrafs',
  'users',
  'variables',
  'scrapers',
  'secrets',
  'labels',
  'views',
  'documents',
  'notificationRules',
  'notificationEndpoints',
  'checks',
  'dbrp',
  'notebooks',
  'annotations',
  'remotes',
  'replications',
  'instance',
] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];
export type Action = 'read' | 'write';

export interface Resource {
  readonly type: ResourceType;
  readonly id?: string;
  readonly orgID?: string;
}

export interface Permission {
  readonly action: Action;
  readonly resource: Resource;
}

export function isResourceType(s: unknown): s is ResourceType {
  return typeof s === 'string' && (RESOURCE_TYPES as readonly string[]).includes(s);
}

/**
 * Whether `granted` covers `requested`. A requested resource without `id` asks for every resource
 * of that type (in `orgID`, or everywhere without it), so only an equally wide grant covers it.
 * For type `orgs`, the org's own id is the resource id and also counts as its orgID.
 */
export function permissionAllows(granted: Permission, requested: Permission): boolean {
  if (granted.action !== requested.action) return false;
  const g = granted.resource;
  const r = requested.resource;
  if (g.type === 'instance') return true;
  if (g.type !== r.type) return false;
  if (g.orgID !== undefined) {
    const requestedOrg = r.orgID ?? (r.type === 'orgs' ? r.id : undefined);
    if (requestedOrg !== g.orgID) return false;
  }
  if (g.id !== undefined && r.id !== g.id) return false;
  return true;
}

/** `read:orgs/<orgID>/buckets/<id>`, the form InfluxDB uses in error messages. */
export function formatPermission(p: Permission): string {
  let s = `${p.action}:`;
  if (p.resource.orgID !== undefined) s += `orgs/${p.resource.orgID}/`;
  s += p.resource.type;
  if (p.resource.id !== undefined) s += `/${p.resource.id}`;
  return s;
}

/** The operator token's permissions: read and write on every type but `instance`, in every org. */
export function operatorPermissions(): Permission[] {
  const out: Permission[] = [];
  for (const type of RESOURCE_TYPES) {
    if (type === 'instance') continue;
    out.push({ action: 'read', resource: { type } }, { action: 'write', resource: { type } });
  }
  return out;
}
