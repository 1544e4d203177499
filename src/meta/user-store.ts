import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { conflict, invalid, notFound } from '../core/errors.js';
import { newId, type Id } from '../core/ids.js';
import { formatRfc3339Nano } from '../core/time.js';
import { hashPassword, isAcceptablePassword, verifyPassword } from './password.js';
import type { ChangeCounter } from './change-counter.js';
import { StatementCache } from './statement-cache.js';

export type UserStatus = 'active' | 'inactive';

export interface User {
  id: Id;
  name: string;
  status: UserStatus;
  createdAt: string;
  updatedAt: string;
}

interface UserRow {
  id: string;
  name: string;
  status: UserStatus;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function isUserStatus(s: unknown): s is UserStatus {
  return s === 'active' || s === 'inactive';
}

export class UserStore {
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    /** Bumped on every change that can end a token's validity (see MetaStore.activeAuthorization). */
    private readonly tokenValidity?: ChangeCounter,
  ) {
    this.sql = new StatementCache(db);
  }

  create(input: { name: string; status?: UserStatus; password?: string }): User {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name === '') throw invalid('user name is empty');
    if (this.findByName(name) !== undefined) throw conflict(`user with name ${name} already exists`);
    const status = input.status ?? 'active';
    if (!isUserStatus(status)) throw invalid(`invalid user status "${String(status)}"`);
    const passwordHash = input.password === undefined ? null : this.checkedHash(input.password);
    const now = formatRfc3339Nano(this.clock.nowNs());
    const user: User = { id: newId(), name, status, createdAt: now, updatedAt: now };
    this.sql
      .get('INSERT INTO users (id, name, status, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(user.id, name, status, passwordHash, now, now);
    return user;
  }

  findById(id: string): User | undefined {
    const row = this.sql.get('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row === undefined ? undefined : toUser(row);
  }

  findByName(name: string): User | undefined {
    const row = this.sql.get('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return row === undefined ? undefined : toUser(row);
  }

  get(id: string): User {
    const user = this.findById(id);
    if (user === undefined) throw notFound('user not found');
    return user;
  }

  list(): User[] {
    return (this.sql.get('SELECT * FROM users ORDER BY rowid').all() as UserRow[]).map(toUser);
  }

  count(): number {
    return (this.sql.get('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  update(id: string, patch: { name?: string; status?: UserStatus }): User {
    const user = this.get(id);
    const name = patch.name === undefined ? user.name : patch.name.trim();
    if (name === '') throw invalid('user name is empty');
    if (name !== user.name && this.findByName(name) !== undefined) throw conflict(`user with name ${name} already exists`);
    const status = patch.status ?? user.status;
    if (!isUserStatus(status)) throw invalid(`invalid user status "${String(status)}"`);
    const updated: User = { ...user, name, status, updatedAt: formatRfc3339Nano(this.clock.nowNs()) };
    this.tokenValidity?.bump();
    this.sql
      .get('UPDATE users SET name = ?, status = ?, updated_at = ? WHERE id = ?')
      .run(name, status, updated.updatedAt, id);
    return updated;
  }

  setPassword(id: string, password: string): void {
    this.get(id);
    this.sql.get('UPDATE users SET password_hash = ? WHERE id = ?').run(this.checkedHash(password), id);
  }

  /** True when the user exists, is active, has a password and `password` matches it. */
  checkPassword(name: string, password: string): User | undefined {
    const row = this.sql.get('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    if (row === undefined || row.password_hash === null || row.status !== 'active') return undefined;
    return verifyPassword(password, row.password_hash) ? toUser(row) : undefined;
  }

  delete(id: string): void {
    this.tokenValidity?.bump();
    const r = this.sql.get('DELETE FROM users WHERE id = ?').run(id);
    if (r.changes === 0) throw notFound('user not found');
  }

  private checkedHash(password: string): string {
    if (typeof password !== 'string' || !isAcceptablePassword(password)) {
      throw invalid('passwords must be between 8 and 72 characters long');
    }
    return hashPassword(password);
  }
}
