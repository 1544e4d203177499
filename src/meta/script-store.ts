import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { conflict, invalid, notFound } from '../core/errors.js';
import { newId, type Id } from '../core/ids.js';
import { StatementCache } from './statement-cache.js';

export type ScriptLanguage = 'flux' | 'sql' | 'influxql';
export const SCRIPT_LANGUAGES: readonly ScriptLanguage[] = ['flux', 'sql', 'influxql'];

/** An invokable script (InfluxDB Cloud's /api/v2/scripts). Times are ns since the Unix epoch. */
export interface Script {
  readonly id: Id;
  readonly orgID: Id;
  readonly name: string;
  readonly description: string;
  readonly script: string;
  readonly language: ScriptLanguage;
  readonly createdAtNs: bigint;
  readonly updatedAtNs: bigint;
}

interface ScriptRow {
  id: string;
  org_id: string;
  name: string;
  description: string;
  script: string;
  language: ScriptLanguage;
  created_at_ns: bigint;
  updated_at_ns: bigint;
}

const toScript = (r: ScriptRow): Script => ({
  id: r.id,
  orgID: r.org_id,
  name: r.name,
  description: r.description,
  script: r.script,
  language: r.language,
  createdAtNs: r.created_at_ns,
  updatedAtNs: r.updated_at_ns,
});

/** Invokable scripts; names are unique per org (Cloud: 422 `uniqueness violation`). */
export class ScriptStore {
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  private big(sql: string): Database.Statement {
    return this.sql.get(sql).safeIntegers(true);
  }

  create(input: { orgID: Id; name: string; description?: string; script: string; language: ScriptLanguage }): Script {
    if (!SCRIPT_LANGUAGES.includes(input.language)) throw invalid(`invalid script language: "${String(input.language)}"`);
    if (this.sql.get('SELECT 1 FROM scripts WHERE org_id = ? AND name = ?').get(input.orgID, input.name) !== undefined) {
      throw conflict('uniqueness violation');
    }
    const id = newId();
    const now = this.clock.nowNs();
    this.sql
      .get('INSERT INTO scripts (id, org_id, name, description, script, language, created_at_ns, updated_at_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.orgID, input.name, input.description ?? '', input.script, input.language, now, now);
    return this.get(id);
  }

  findById(id: string): Script | undefined {
    const row = this.big('SELECT * FROM scripts WHERE id = ?').get(id) as ScriptRow | undefined;
    return row === undefined ? undefined : toScript(row);
  }

  /** Throws `not found` with Cloud's message `script "<id>" not found`. */
  get(id: string): Script {
    const s = this.findById(id);
    if (s === undefined) throw notFound(`script "${id}" not found`);
    return s;
  }

  /** Scripts in name order, then id. */
  list(filter: { orgID?: Id; name?: string; limit?: number; offset?: number } = {}): Script[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.orgID !== undefined) {
      where.push('org_id = ?');
      args.push(filter.orgID);
    }
    if (filter.name !== undefined) {
      where.push('name = ?');
      args.push(filter.name);
    }
    args.push(filter.limit ?? -1, filter.offset ?? 0);
    const rows = this.big(`SELECT * FROM scripts${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY name, id LIMIT ? OFFSET ?`).all(
      ...args,
    ) as ScriptRow[];
    return rows.map(toScript);
  }

  update(id: string, patch: { name?: string; description?: string; script?: string }): Script {
    const before = this.get(id);
    if (patch.name !== undefined && patch.name !== before.name) {
      if (this.sql.get('SELECT 1 FROM scripts WHERE org_id = ? AND name = ?').get(before.orgID, patch.name) !== undefined) {
        throw conflict('uniqueness violation');
      }
    }
    this.sql
      .get('UPDATE scripts SET name = ?, description = ?, script = ?, updated_at_ns = ? WHERE id = ?')
      .run(patch.name ?? before.name, patch.description ?? before.description, patch.script ?? before.script, this.clock.nowNs(), id);
    return this.get(id);
  }

  /** Deleting an unknown script is not an error (Cloud answers 204 either way). */
  delete(id: string): void {
    this.sql.get('DELETE FROM scripts WHERE id = ?').run(id);
  }
}
