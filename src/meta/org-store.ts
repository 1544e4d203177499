import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { conflict, invalid, notFound } from '../core/errors.js';
import { newId, type Id } from '../core/ids.js';
import { formatRfc3339Nano } from '../core/time.js';
import type { ChangeCounter } from './change-counter.js';
import { StatementCache } from './statement-cache.js';

export interface Org {
  id: Id;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

interface OrgRow {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

const toOrg = (r: OrgRow): Org => ({
  id: r.id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Organizations. Names are unique across the instance, as in InfluxDB. */
export class OrgStore {
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    /** Bumped on every change that can end a token's validity (see MetaStore.activeAuthorization). */
    private readonly tokenValidity?: ChangeCounter,
  ) {
    this.sql = new StatementCache(db);
  }

  create(input: { name: string; description?: string }): Org {
    const name = input.name?.trim();
    if (typeof name !== 'string' || name === '') throw invalid('org name is empty');
    if (this.findByName(name) !== undefined) throw conflict(`organization with name ${name} already exists`);
    const now = formatRfc3339Nano(this.clock.nowNs());
    const org: Org = { id: newId(), name, description: input.description ?? '', createdAt: now, updatedAt: now };
    this.sql
      .get('INSERT INTO orgs (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(org.id, org.name, org.description, now, now);
    return org;
  }

  findById(id: string): Org | undefined {
    const row = this.sql.get('SELECT * FROM orgs WHERE id = ?').get(id) as OrgRow | undefined;
    return row === undefined ? undefined : toOrg(row);
  }

  findByName(name: string): Org | undefined {
    const row = this.sql.get('SELECT * FROM orgs WHERE name = ?').get(name) as OrgRow | undefined;
    return row === undefined ? undefined : toOrg(row);
  }

  get(id: string): Org {
    const org = this.findById(id);
    if (org === undefined) throw notFound('organization not found');
    return org;
  }

  /** Every org in creation order. */
  list(): Org[] {
    return (this.sql.get('SELECT * FROM orgs ORDER BY rowid').all() as OrgRow[]).map(toOrg);
  }

  count(): number {
    return (this.sql.get('SELECT COUNT(*) AS n FROM orgs').get() as { n: number }).n;
  }

  update(id: string, patch: { name?: string; description?: string }): Org {
    const org = this.get(id);
    const name = patch.name === undefined ? org.name : patch.name.trim();
    if (name === '') throw invalid('org name is empty');
    if (name !== org.name && this.findByName(name) !== undefined) {
      throw conflict(`organization with name ${name} already exists`);
    }
    const updated: Org = {
      ...org,
      name,
      description: patch.description ?? org.description,
      updatedAt: formatRfc3339Nano(this.clock.nowNs()),
    };
    this.sql
      .get('UPDATE orgs SET name = ?, description = ?, updated_at = ? WHERE id = ?')
      .run(updated.name, updated.description, updated.updatedAt, id);
    return updated;
  }

  /** Deletes the org and (by cascade) its buckets, tokens and labels. */
  delete(id: string): void {
    this.tokenValidity?.bump();
    const r = this.sql.get('DELETE FROM orgs WHERE id = ?').run(id);
    if (r.changes === 0) throw notFound('organization not found');
  }
}
