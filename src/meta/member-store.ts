import type Database from 'better-sqlite3';
import { conflict, notFound } from '../core/errors.js';
import { StatementCache } from './statement-cache.js';

export type MemberRole = 'member' | 'owner';

/** Users' membership of orgs: each user has at most one role per org. */
export class MemberStore {
  private readonly sql: StatementCache;

  constructor(db: Database.Database) {
    this.sql = new StatementCache(db);
  }

  add(orgID: string, userID: string, role: MemberRole): void {
    const existing = this.roleOf(orgID, userID);
    if (existing === role) throw conflict(`user is already ${role === 'owner' ? 'an owner' : 'a member'} of the organization`);
    this.sql
      .get('INSERT INTO org_members (org_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role')
      .run(orgID, userID, role);
  }

  remove(orgID: string, userID: string, role: MemberRole): void {
    const r = this.sql.get('DELETE FROM org_members WHERE org_id = ? AND user_id = ? AND role = ?').run(orgID, userID, role);
    if (r.changes === 0) throw notFound(`user is not ${role === 'owner' ? 'an owner' : 'a member'} of the organization`);
  }

  roleOf(orgID: string, userID: string): MemberRole | undefined {
    const row = this.sql.get('SELECT role FROM org_members WHERE org_id = ? AND user_id = ?').get(orgID, userID) as { role: MemberRole } | undefined;
    return row?.role;
  }

  /** User IDs with `role` in the org, in the order they were added. */
  users(orgID: string, role: MemberRole): string[] {
    return (this.sql.get('SELECT user_id FROM org_members WHERE org_id = ? AND role = ? ORDER BY rowid').all(orgID, role) as { user_id: string }[]).map(
      (r) => r.user_id,
    );
  }

  /** Org IDs the user belongs to, with any role. */
  orgsOf(userID: string): string[] {
    return (this.sql.get('SELECT org_id FROM org_members WHERE user_id = ? ORDER BY rowid').all(userID) as { org_id: string }[]).map((r) => r.org_id);
  }
}
