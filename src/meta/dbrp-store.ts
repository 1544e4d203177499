import type Database from 'better-sqlite3';
import { conflict, invalid, notFound } from '../core/errors.js';
import { newId, type Id } from '../core/ids.js';
import { StatementCache } from './statement-cache.js';

/** An explicit v1 mapping: InfluxQL/v1-write database + retention policy → bucket. */
export interface Dbrp {
  id: Id;
  orgID: Id;
  bucketID: Id;
  database: string;
  retentionPolicy: string;
  /** The mapping used when a v1 request names the database but no retention policy. */
  isDefault: boolean;
}

interface DbrpRow {
  id: string;
  org_id: string;
  bucket_id: string;
  database: string;
  retention_policy: string;
  is_default: number;
}

const toDbrp = (r: DbrpRow): Dbrp => ({
  id: r.id,
  orgID: r.org_id,
  bucketID: r.bucket_id,
  database: r.database,
  retentionPolicy: r.retention_policy,
  isDefault: r.is_default === 1,
});

/**
 * Explicit DBRP mappings (`/api/v2/dbrps`). (database, retention policy) is unique per org; each
 * database has at most one default mapping, and its first mapping becomes the default.
 */
export class DbrpStore {
  private readonly sql: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.sql = new StatementCache(db);
  }

  create(input: { orgID: Id; bucketID: Id; database: string; retentionPolicy: string; isDefault?: boolean }): Dbrp {
    if (input.database === '') throw invalid('database must not be empty');
    if (input.retentionPolicy === '') throw invalid('retention policy must not be empty');
    return this.db.transaction(() => {
      if (this.find(input.orgID, input.database, input.retentionPolicy) !== undefined) {
        throw conflict(`dbrp already exists for database "${input.database}" and retention policy "${input.retentionPolicy}"`);
      }
      const first = this.list({ orgID: input.orgID, database: input.database }).length === 0;
      const isDefault = first || input.isDefault === true;
      if (isDefault) this.clearDefault(input.orgID, input.database);
      const d: Dbrp = { id: newId(), ...input, isDefault };
      this.sql
        .get('INSERT INTO dbrps (id, org_id, bucket_id, database, retention_policy, is_default) VALUES (?, ?, ?, ?, ?, ?)')
        .run(d.id, d.orgID, d.bucketID, d.database, d.retentionPolicy, isDefault ? 1 : 0);
      return d;
    })();
  }

  get(id: string): Dbrp {
    const row = this.sql.get('SELECT * FROM dbrps WHERE id = ?').get(id) as DbrpRow | undefined;
    if (row === undefined) throw notFound('unable to find DBRP');
    return toDbrp(row);
  }

  find(orgID: string, database: string, retentionPolicy: string): Dbrp | undefined {
    const row = this.sql
      .get('SELECT * FROM dbrps WHERE org_id = ? AND database = ? AND retention_policy = ?')
      .get(orgID, database, retentionPolicy) as DbrpRow | undefined;
    return row === undefined ? undefined : toDbrp(row);
  }

  findDefault(orgID: string, database: string): Dbrp | undefined {
    const row = this.sql.get('SELECT * FROM dbrps WHERE org_id = ? AND database = ? AND is_default = 1').get(orgID, database) as
      | DbrpRow
      | undefined;
    return row === undefined ? undefined : toDbrp(row);
  }

  list(filter: { orgID?: string; bucketID?: string; database?: string; retentionPolicy?: string; isDefault?: boolean; id?: string } = {}): Dbrp[] {
    return (this.sql.get('SELECT * FROM dbrps ORDER BY rowid').all() as DbrpRow[]).map(toDbrp).filter(
      (d) =>
        (filter.orgID === undefined || d.orgID === filter.orgID) &&
        (filter.bucketID === undefined || d.bucketID === filter.bucketID) &&
        (filter.database === undefined || d.database === filter.database) &&
        (filter.retentionPolicy === undefined || d.retentionPolicy === filter.retentionPolicy) &&
        (filter.isDefault === undefined || d.isDefault === filter.isDefault) &&
        (filter.id === undefined || d.id === filter.id),
    );
  }

  update(id: string, patch: { retentionPolicy?: string; isDefault?: boolean }): Dbrp {
    return this.db.transaction(() => {
      const d = this.get(id);
      const retentionPolicy = patch.retentionPolicy ?? d.retentionPolicy;
      if (retentionPolicy === '') throw invalid('retention policy must not be empty');
      if (retentionPolicy !== d.retentionPolicy && this.find(d.orgID, d.database, retentionPolicy) !== undefined) {
        throw conflict(`dbrp already exists for database "${d.database}" and retention policy "${retentionPolicy}"`);
      }
      const isDefault = patch.isDefault ?? d.isDefault;
      if (isDefault && !d.isDefault) this.clearDefault(d.orgID, d.database);
      this.sql.get('UPDATE dbrps SET retention_policy = ?, is_default = ? WHERE id = ?').run(retentionPolicy, isDefault ? 1 : 0, id);
      return { ...d, retentionPolicy, isDefault };
    })();
  }

  delete(id: string): void {
    const r = this.sql.get('DELETE FROM dbrps WHERE id = ?').run(id);
    if (r.changes === 0) throw notFound('unable to find DBRP');
  }

  private clearDefault(orgID: string, database: string): void {
    this.sql.get('UPDATE dbrps SET is_default = 0 WHERE org_id = ? AND database = ?').run(orgID, database);
  }
}
