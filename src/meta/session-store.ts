import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { formatRfc3339Nano } from '../core/time.js';
import { StatementCache } from './statement-cache.js';
import { digestsEqual, generateToken, hashToken } from './token.js';

/** InfluxDB's session lifetime: 60 minutes. */
export const SESSION_TTL_MS = 60 * 60 * 1000;

export interface Session {
  userID: string;
  expiresAtMs: number;
}

/**
 * Browser sessions from `POST /api/v2/signin`. Like tokens, a session key is 256 random bits and
 * only its SHA-256 is stored.
 */
export class SessionStore {
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  /** Starts a session; the returned key goes into the cookie and is not kept. */
  create(userID: string, ttlMs = SESSION_TTL_MS): { key: string; session: Session } {
    const key = generateToken();
    const nowMs = this.clock.nowMs();
    const session: Session = { userID, expiresAtMs: nowMs + ttlMs };
    this.sql
      .get('INSERT INTO sessions (key_hash, user_id, created_at, expires_at_ms) VALUES (?, ?, ?, ?)')
      .run(hashToken(key), userID, formatRfc3339Nano(BigInt(nowMs) * 1_000_000n), session.expiresAtMs);
    this.sql.get('DELETE FROM sessions WHERE expires_at_ms <= ?').run(nowMs);
    return { key, session };
  }

  /** The live session for `key`, or undefined when unknown or expired. */
  find(key: string): Session | undefined {
    const digest = hashToken(key);
    const row = this.sql.get('SELECT key_hash, user_id, expires_at_ms FROM sessions WHERE key_hash = ?').get(digest) as
      | { key_hash: string; user_id: string; expires_at_ms: number }
      | undefined;
    if (row === undefined || !digestsEqual(row.key_hash, digest)) return undefined;
    if (row.expires_at_ms <= this.clock.nowMs()) return undefined;
    return { userID: row.user_id, expiresAtMs: row.expires_at_ms };
  }

  delete(key: string): void {
    this.sql.get('DELETE FROM sessions WHERE key_hash = ?').run(hashToken(key));
  }
}
