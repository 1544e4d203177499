import { ErrorCode, SluiceError } from '../core/errors.js';
import type { Authorization } from '../meta/authorization-store.js';
import type { MetaStore } from '../meta/meta-store.js';
import { formatPermission, permissionAllows, type Action, type Permission, type Resource } from '../meta/permission.js';

/**
 * The permissions of the token that made a request. Every handler asks it before touching a
 * resource; list handlers use `allows` to filter silently, as InfluxDB does.
 */
export class Authorizer {
  constructor(readonly authorization: Authorization) {}

  get orgID(): string {
    return this.authorization.orgID;
  }

  get userID(): string | undefined {
    return this.authorization.userID;
  }

  allows(action: Action, resource: Resource): boolean {
    const requested = { action, resource };
    return this.authorization.permissions.some((p) => permissionAllows(p, requested));
  }

  /** Throws 401 `<perm> is unauthorized` (InfluxDB's answer for management APIs). */
  require(action: Action, resource: Resource): void {
    if (!this.allows(action, resource)) {
      throw new SluiceError(ErrorCode.Unauthorized, `${formatPermission({ action, resource })} is unauthorized`);
    }
  }
}

export const unauthorizedAccess = (): SluiceError => new SluiceError(ErrorCode.Unauthorized, 'unauthorized access');

/**
 * Extracts the token of `Authorization: Token <t>` or `Bearer <t>` (scheme case-insensitive).
 * Returns undefined for a missing header or another scheme.
 */
export function tokenFromHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(token|bearer)\s+(\S+)\s*$/i.exec(header);
  return m === null ? undefined : m[2];
}

/**
 * Resolves a presented token. Unknown tokens, inactive tokens and tokens of inactive users all
 * give the same 401, so the answer does not tell which tokens exist.
 */
export function authenticateToken(meta: MetaStore, token: string | undefined): Authorizer {
  if (token === undefined || token === '') throw unauthorizedAccess();
  const auth = meta.activeAuthorization(token);
  if (auth === undefined) throw unauthorizedAccess();
  return new Authorizer(auth);
}

/** InfluxDB's session cookie name (set by POST /api/v2/signin). */
export const SESSION_COOKIE = 'influxdb-oss-session';

export function sessionKeyFromCookie(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `Authorization: Basic` credentials, or undefined for another scheme or a malformed value. */
export function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const m = header === undefined ? null : /^\s*basic\s+(\S+)\s*$/i.exec(header);
  if (m === null) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * A browser session acts for its user with the union of that user's active tokens' permissions
 * (Sluice has no org membership; a user can do in the UI what their tokens can do).
 */
export function authenticateSession(meta: MetaStore, key: string): Authorizer {
  const session = meta.sessions.find(key);
  if (session === undefined) throw unauthorizedAccess();
  const user = meta.users.findById(session.userID);
  if (user === undefined || user.status !== 'active') throw unauthorizedAccess();
  const auths = meta.authorizations.list({ userID: user.id }).filter((a) => a.status === 'active');
  const permissions: Permission[] = auths.flatMap((a) => a.permissions);
  return new Authorizer({
    id: '0000000000000000',
    orgID: auths[0]?.orgID ?? '',
    userID: user.id,
    description: 'session',
    status: 'active',
    permissions,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  });
}

/** Token first (`Token`/`Bearer`), else the session cookie; neither is 401. */
export function authenticateRequest(meta: MetaStore, headers: { authorization?: string; cookie?: string }): Authorizer {
  const token = tokenFromHeader(headers.authorization);
  if (token === undefined) {
    const key = sessionKeyFromCookie(headers.cookie);
    if (key !== undefined && key !== '') return authenticateSession(meta, key);
  }
  return authenticateToken(meta, token);
}
