import type { Permission } from '../../../client/api-types.js';
import type { V2Client } from '../../../client/v2-client.js';
import { ErrorCode, isSluiceError } from '../../../core/errors.js';

/**
 * The resource types InfluxDB OSS 2 answers on `GET /api/v2/resources`, in its order. Used only
 * when the server has no such endpoint (older servers): the permissions sent are then the ones
 * influx would send to InfluxDB.
 */
export const OSS_RESOURCE_TYPES = [
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

/**
 * `auth create --operator` as influx builds it: read and write on every resource type the server
 * lists on `GET /api/v2/resources` except `instance` (granted only by setup), each without orgID
 * or id, so the token reaches every organization.
 */
export async function operatorPermissions(client: V2Client): Promise<Permission[]> {
  const out: Permission[] = [];
  for (const type of await resourceTypes(client)) {
    if (type === 'instance') continue;
    out.push({ action: 'read', resource: { type } }, { action: 'write', resource: { type } });
  }
  return out;
}

/**
 * `auth create --all-access` as influx builds it from the server's resource types: read and write
 * on each within the organization, except `orgs` (read of this organization only), `users` (read
 * and write of the token's own user only) and `instance` (granted only by setup).
 */
export async function allAccessPermissions(client: V2Client, orgID: string, userID: string): Promise<Permission[]> {
  const out: Permission[] = [];
  for (const type of await resourceTypes(client)) {
    if (type === 'instance') continue;
    if (type === 'orgs') out.push({ action: 'read', resource: { type, id: orgID } });
    else if (type === 'users') out.push({ action: 'read', resource: { type, id: userID } }, { action: 'write', resource: { type, id: userID } });
    else out.push({ action: 'read', resource: { type, orgID } }, { action: 'write', resource: { type, orgID } });
  }
  return out;
}

async function resourceTypes(client: V2Client): Promise<readonly string[]> {
  try {
    const res = await client.request('GET', '/api/v2/resources');
    const types = (await res.json()) as unknown;
    if (!Array.isArray(types) || !types.every((t) => typeof t === 'string')) throw new TypeError('GET /api/v2/resources did not answer a list of resource types');
    return types;
  } catch (e) {
    if (isSluiceError(e) && e.code === ErrorCode.NotFound) return OSS_RESOURCE_TYPES;
    throw e;
  }
}
