import type Database from 'better-sqlite3';

/**
 * Prepared statements by SQL text, prepared once per connection. Stores ask for the same few
 * statements on every request (token lookup, org and bucket by name), so preparing them each
 * time would be wasted work on the hot write path.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}
