import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { invalid, notFound } from '../core/errors.js';
import { newId, type Id } from '../core/ids.js';
import { formatRfc3339Nano } from '../core/time.js';
import type { Permission } from './permission.js';
import { digestsEqual, generateToken, hashToken } from './token.js';
import type { ChangeCounter } from './change-counter.js';
import { StatementCache } from './statement-cache.js';

export type AuthorizationStatus = 'active' | 'inactive';

/** A token's grant. The token itself is never stored; see token.ts. */
export interface Authorization {
  id: Id;
  orgID: Id;
  userID?: Id;
  description: string;
  status: AuthorizationStatus;
  permissions: Permission[];
  createdAt: string;
  updatedAt: string;
}

export interface AuthorizationInput {
  orgID: Id;
  userID?: Id;
  description?: string;
  status?: AuthorizationStatus;
  permissions: Permission[];
  /** A caller-chosen token (setup's `token`); otherwise a random one is generated. */
  token?: string;
}

interface AuthorizationRow {
  id: string;
  token_hash: string;
  org_id: string;
  user_id: string | null;
  description: string;
  status: AuthorizationStatus;
  permissions: string;
  created_at: string;
  updated_at: string;
}

const toAuthorization = (r: AuthorizationRow): Authorization => {
  const a: Authorization = {
    id: r.id,
    orgID: r.org_id,
    description: r.description,
    status: r.status,
    permissions: JSON.parse(r.permissions) as Permission[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.user_id !== null) a.userID = r.user_id;
  return a;
};

export function isAuthorizationStatus(s: unknown): s is AuthorizationStatus {
  return s === 'active' || s === 'inactive';
}

export class AuthorizationStore {
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    /** Bumped on every change that can end a token's validity (see MetaStore.activeAuthorization). */
    private readonly tokenValidity?: ChangeCounter,
  ) {
    this.sql = new StatementCache(db);
  }

  /** Creates an authorization; the returned `token` is the only time the plaintext exists. */
  create(input: AuthorizationInput): { authorization: Authorization; token: string } {
    if (input.permissions.length === 0) throw invalid('authorization must include permissions');
    const status = input.status ?? 'active';
    if (!isAuthorizationStatus(status)) throw invalid(`invalid authorization status "${String(status)}"`);
    const token = input.token ?? generateToken();
    if (token === '') throw invalid('token must not be empty');
    const now = formatRfc3339Nano(this.clock.nowNs());
    const authorization: Authorization = {
      id: newId(),
      orgID: input.orgID,
      description: input.description ?? '',
      status,
      permissions: input.permissions,
      createdAt: now,
      updatedAt: now,
    };
    if (input.userID !== undefined) authorization.userID = input.userID;
    this.sql
      .get(
        `INSERT INTO authorizations (id, token_hash, org_id, user_id, description, status, permissions, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        authorization.id,
        hashToken(token),
        input.orgID,
        input.userID ?? null,
        authorization.description,
        status,
        JSON.stringify(input.permissions),
        now,
        now,
      );
    return { authorization, token };
  }

  /**
   * The authorization a presented token belongs to, whatever its status. Lookup is by digest; the
   * digests are then compared in constant time so the check does not leak through timing.
   */
  findByToken(token: string): Authorization | undefined {
    return this.findByTokenDigest(hashToken(token));
  }

  /** `findByToken` for a token already hashed with `hashToken`. */
  findByTokenDigest(digest: string): Authorization | undefined {
    const row = this.sql.get('SELECT * FROM authorizations WHERE token_hash = ?').get(digest) as
      | AuthorizationRow
      | undefined;
    if (row === undefined || !digestsEqual(row.token_hash, digest)) return undefined;
    return toAuthorization(row);
  }

  findById(id: string): Authorization | undefined {
    const row = this.sql.get('SELECT * FROM authorizations WHERE id = ?').get(id) as AuthorizationRow | undefined;
    return row === undefined ? undefined : toAuthorization(row);
  }

  get(id: string): Authorization {
    const a = this.findById(id);
    if (a === undefined) throw notFound('authorization not found');
    return a;
  }

  list(filter: { orgID?: string; userID?: string } = {}): Authorization[] {
    const rows = this.sql.get('SELECT * FROM authorizations ORDER BY rowid').all() as AuthorizationRow[];
    return rows
      .filter((r) => (filter.orgID === undefined || r.org_id === filter.orgID) && (filter.userID === undefined || r.user_id === filter.userID))
      .map(toAuthorization);
  }

  update(id: string, patch: { status?: AuthorizationStatus; description?: string }): Authorization {
    const a = this.get(id);
    const status = patch.status ?? a.status;
    if (!isAuthorizationStatus(status)) throw invalid(`invalid authorization status "${String(status)}"`);
    const updated: Authorization = {
      ...a,
      status,
      description: patch.description ?? a.description,
      updatedAt: formatRfc3339Nano(this.clock.nowNs()),
    };
    this.tokenValidity?.bump();
    this.sql
      .get('UPDATE authorizations SET status = ?, description = ?, updated_at = ? WHERE id = ?')
      .run(status, updated.description, updated.updatedAt, id);
    return updated;
  }

  delete(id: string): void {
    this.tokenValidity?.bump();
    const r = this.sql.get('DELETE FROM authorizations WHERE id = ?').run(id);
    if (r.changes === 0) throw notFound('authorization not found');
  }
}
