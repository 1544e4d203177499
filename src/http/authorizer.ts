import { ErrorCode, SluiceError } from '../core/errors.js';
import type { Authorization } from '../meta/authorization-store.js';
import type { MetaStore } from '../meta/meta-store.js';
import { formatPermission, permissionAllows, type Action, type Resource } from '../meta/permission.js';

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
  const auth = meta.authorizations.findByToken(token);
  if (auth === undefined || auth.status !== 'active') throw unauthorizedAccess();
  if (auth.userID !== undefined) {
    const user = meta.users.findById(auth.userID);
    if (user !== undefined && user.status !== 'active') throw unauthorizedAccess();
  }
  return new Authorizer(auth);
}
