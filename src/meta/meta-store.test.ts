import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { SluiceError } from '../core/errors.js';
import { MetaStore } from './meta-store.js';
import { applyMigrations, type Migration } from './migrations.js';
import { hashToken } from './token.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDb(): string {
  const d = mkdtempSync(join(tmpdir(), 'sluice-meta-'));
  dirs.push(d);
  return join(d, 'meta.db');
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof SluiceError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('migrations', () => {
  it('applies each migration once and records it', () => {
    const db = new Database(':memory:');
    const clock = new FakeClock();
    const migrations: Migration[] = [
      { version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'b', sql: 'CREATE TABLE b (x INTEGER)' },
    ];
    expect(applyMigrations(db, clock, migrations.slice(0, 1))).toEqual([1]);
    expect(applyMigrations(db, clock, migrations)).toEqual([2]);
    expect(applyMigrations(db, clock, migrations)).toEqual([]);
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual([
      { version: 1, name: 'a' },
      { version: 2, name: 'b' },
    ]);
  });

  it('rolls back a failing migration with its record', () => {
    const db = new Database(':memory:');
    const bad: Migration[] = [{ version: 1, name: 'bad', sql: 'CREATE TABLE ok (x INTEGER); CREATE TABLE broken (' }];
    expect(() => applyMigrations(db, new FakeClock(), bad)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok'").get()).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 0 });
  });

  it('refuses a schema newer than it knows', () => {
    const db = new Database(':memory:');
    applyMigrations(db, new FakeClock(), [{ version: 7, name: 'future', sql: 'SELECT 1' }]);
    expect(() => applyMigrations(db, new FakeClock(), [{ version: 1, name: 'a', sql: 'SELECT 1' }])).toThrow(/newer/);
  });
});

describe('MetaStore', () => {
  it('sets up once, with system buckets and an operator token stored hashed', () => {
    const path = tempDb();
    const meta = MetaStore.open(path, { clock: new FakeClock() });
    expect(meta.isSetupAllowed()).toBe(true);
    const r = meta.setup({ username: 'admin', password: 'password123', org: 'acme', bucket: 'b', retentionSeconds: 0 });
    expect(meta.isSetupAllowed()).toBe(false);
    expect(r.bucket.shardGroupDurationSeconds).toBe(604800);
    expect(r.systemBuckets.map((b) => [b.name, b.type, b.retentionSeconds])).toEqual([
      ['_tasks', 'system', 259200],
      ['_monitoring', 'system', 604800],
    ]);
    expect(r.auth.permissions).toHaveLength(44);
    expect(meta.authorizations.findByToken(r.token)?.id).toBe(r.auth.id);
    expect(meta.authorizations.findByToken(r.token + 'x')).toBeUndefined();
    expect(codeOf(() => meta.setup({ username: 'x', org: 'y', bucket: 'z' }))).toBe('conflict: onboarding has already been completed');
    meta.close();

    // The plaintext token is nowhere in the file; its digest is.
    const raw = new Database(path, { readonly: true });
    const hashes = raw.prepare('SELECT token_hash FROM authorizations').all() as { token_hash: string }[];
    expect(hashes.map((h) => h.token_hash)).toEqual([hashToken(r.token)]);
    raw.close();

    const reopened = MetaStore.open(path);
    expect(reopened.appliedMigrations).toEqual([]);
    expect(reopened.users.checkPassword('admin', 'password123')?.id).toBe(r.user.id);
    expect(reopened.users.checkPassword('admin', 'wrong-password')).toBeUndefined();
    reopened.close();
  });

  it('a failed setup leaves nothing behind', () => {
    const meta = MetaStore.open(':memory:');
    expect(codeOf(() => meta.setup({ username: 'u', org: 'o', bucket: '_bad' }))).toMatch(/^invalid: bucket name _bad/);
    expect(meta.isSetupAllowed()).toBe(true);
    meta.close();
  });

  it.each([
    [{ name: 'ok', retentionSeconds: 0 }, 'created 604800'],
    [{ name: 'ok', retentionSeconds: 3600 }, 'created 3600'],
    [{ name: 'ok', retentionSeconds: 2 * 86400 }, 'created 86400'],
    [{ name: 'ok', retentionSeconds: 180 * 86400 }, 'created 604800'],
    [{ name: 'ok', retentionSeconds: 7200, shardGroupDurationSeconds: 1800 }, 'created 1800'],
    [{ name: 'ok', retentionSeconds: 60 }, 'unprocessable entity: retention policy duration must be at least 1h0m0s'],
    [{ name: 'ok', retentionSeconds: -1 }, 'unprocessable entity: expiration seconds must be greater than or equal to zero'],
    [{ name: '_x' }, 'invalid: bucket name _x is invalid. Buckets may not start with underscore'],
    [{ name: 'a"b' }, 'invalid: bucket name a"b is invalid. Bucket names may not include quotation marks'],
    [{ name: 'dup' }, 'conflict: bucket with name dup already exists'],
  ])('bucket %j → %s', (input, expected) => {
    const meta = MetaStore.open(':memory:');
    const org = meta.orgs.create({ name: 'o' });
    meta.buckets.create({ orgID: org.id, name: 'dup' });
    let got: string;
    try {
      got = `created ${meta.buckets.create({ orgID: org.id, ...input }).shardGroupDurationSeconds}`;
    } catch (e) {
      got = `${(e as SluiceError).code}: ${(e as Error).message}`;
    }
    expect(got).toBe(expected);
    meta.close();
  });

  it('deleting an org cascades to its buckets and tokens', () => {
    const meta = MetaStore.open(':memory:');
    const org = meta.orgs.create({ name: 'o' });
    const b = meta.buckets.create({ orgID: org.id, name: 'b' });
    const { token } = meta.authorizations.create({ orgID: org.id, permissions: [{ action: 'read', resource: { type: 'buckets', orgID: org.id } }] });
    meta.orgs.delete(org.id);
    expect(meta.buckets.findById(b.id)).toBeUndefined();
    expect(meta.authorizations.findByToken(token)).toBeUndefined();
    meta.close();
  });

  it('labels: create, attach, patch properties with empty value removing', () => {
    const meta = MetaStore.open(':memory:');
    const org = meta.orgs.create({ name: 'o' });
    const l = meta.labels.create({ orgID: org.id, name: 'env', properties: { color: 'red', x: '1' } });
    expect(meta.labels.update(l.id, { properties: { x: '', y: '2' } }).properties).toEqual({ color: 'red', y: '2' });
    meta.labels.attach(l.id, 'buckets', 'aaaaaaaaaaaaaaaa');
    expect(meta.labels.forResource('buckets', 'aaaaaaaaaaaaaaaa').map((x) => x.name)).toEqual(['env']);
    expect(codeOf(() => meta.labels.attach(l.id, 'buckets', 'aaaaaaaaaaaaaaaa'))).toBe('conflict: label already attached to resource');
    meta.labels.delete(l.id);
    expect(meta.labels.forResource('buckets', 'aaaaaaaaaaaaaaaa')).toEqual([]);
    meta.close();
  });
});

describe('SessionStore', () => {
  it('finds live sessions by key, never stores the key, expires them and deletes them', () => {
    const clock = new FakeClock();
    const meta = MetaStore.open(':memory:', { clock });
    const user = meta.users.create({ name: 'u' });
    const { key } = meta.sessions.create(user.id, 60_000);
    expect(meta.sessions.find(key)).toEqual({ userID: user.id, expiresAtMs: clock.nowMs() + 60_000 });
    expect(meta.sessions.find(key + 'x')).toBeUndefined();
    clock.advance(59_999);
    expect(meta.sessions.find(key)?.userID).toBe(user.id);
    clock.advance(1);
    expect(meta.sessions.find(key)).toBeUndefined();
    const second = meta.sessions.create(user.id);
    meta.sessions.delete(second.key);
    expect(meta.sessions.find(second.key)).toBeUndefined();
    meta.close();
  });
});

describe('DbrpStore', () => {
  it('keeps one default per database, the first mapping being it', () => {
    const meta = MetaStore.open(':memory:');
    const org = meta.orgs.create({ name: 'o' });
    const a = meta.buckets.create({ orgID: org.id, name: 'a' });
    const b = meta.buckets.create({ orgID: org.id, name: 'b' });
    const first = meta.dbrps.create({ orgID: org.id, bucketID: a.id, database: 'db', retentionPolicy: 'one' });
    expect(first.isDefault).toBe(true);
    const second = meta.dbrps.create({ orgID: org.id, bucketID: b.id, database: 'db', retentionPolicy: 'two' });
    expect(second.isDefault).toBe(false);
    expect(meta.dbrps.findDefault(org.id, 'db')?.id).toBe(first.id);
    meta.dbrps.update(second.id, { isDefault: true });
    expect(meta.dbrps.findDefault(org.id, 'db')?.id).toBe(second.id);
    expect(meta.dbrps.list({ orgID: org.id, isDefault: true }).map((d) => d.id)).toEqual([second.id]);
    expect(codeOf(() => meta.dbrps.create({ orgID: org.id, bucketID: b.id, database: 'db', retentionPolicy: 'one' }))).toBe(
      'conflict: dbrp already exists for database "db" and retention policy "one"',
    );
    // Deleting the bucket removes its mappings.
    meta.buckets.delete(b.id);
    expect(meta.dbrps.list({ orgID: org.id }).map((d) => d.id)).toEqual([first.id]);
    meta.close();
  });
});
