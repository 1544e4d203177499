import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../core/errors.js';
import { MetaStore } from '../meta/meta-store.js';
import { authenticateToken, basicCredentials, sessionKeyFromCookie, tokenFromHeader } from './authorizer.js';

describe('tokenFromHeader', () => {
  it.each([
    ['Token abc', 'abc'],
    ['token abc', 'abc'],
    ['Bearer abc', 'abc'],
    ['BEARER  abc ', 'abc'],
    ['Basic abc', undefined],
    ['Token', undefined],
    ['abc', undefined],
    ['Token a b', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, token) => {
    expect(tokenFromHeader(header)).toBe(token);
  });
});

describe('sessionKeyFromCookie', () => {
  it.each([
    ['influxdb-oss-session=abc', 'abc'],
    ['a=1; influxdb-oss-session=abc; b=2', 'abc'],
    ['influxdb-oss-session-x=abc', undefined],
    ['a=1', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, key) => {
    expect(sessionKeyFromCookie(header)).toBe(key);
  });
});

describe('basicCredentials', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  it.each([
    [`Basic ${b64('admin:pw')}`, { username: 'admin', password: 'pw' }],
    [`basic ${b64('admin:p:w')}`, { username: 'admin', password: 'p:w' }],
    [`Basic ${b64('nocolon')}`, undefined],
    ['Token abc', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, creds) => {
    expect(basicCredentials(header)).toEqual(creds);
  });
});

describe('authenticateToken', () => {
  let meta: MetaStore;
  let operator: string;
  let orgID: string;
  beforeEach(() => {
    meta = MetaStore.open(':memory:');
    const r = meta.setup({ username: 'admin', org: 'o', bucket: 'b' });
    operator = r.token;
    orgID = r.org.id;
  });
  afterEach(() => meta.close());

  const fails = (token: string | undefined): string => {
    try {
      authenticateToken(meta, token);
      return 'ok';
    } catch (e) {
      return `${(e as SluiceError).code}: ${(e as Error).message}`;
    }
  };

  it('accepts the operator token and scopes a bucket token', () => {
    expect(fails(operator)).toBe('ok');
    const bucket = meta.buckets.findByName(orgID, 'b')!;
    const { token } = meta.authorizations.create({
      orgID,
      permissions: [{ action: 'write', resource: { type: 'buckets', orgID, id: bucket.id } }],
    });
    const a = authenticateToken(meta, token);
    expect(a.allows('write', { type: 'buckets', orgID, id: bucket.id })).toBe(true);
    expect(a.allows('read', { type: 'buckets', orgID, id: bucket.id })).toBe(false);
    expect(() => a.require('read', { type: 'buckets', orgID, id: bucket.id })).toThrow(
      `read:orgs/${orgID}/buckets/${bucket.id} is unauthorized`,
    );
  });

  it.each([undefined, '', 'nope'])('refuses %j with 401 unauthorized access', (t) => {
    expect(fails(t)).toBe('unauthorized: unauthorized access');
  });

  // Answers are remembered between requests: every change that ends a token's validity must be
  // seen by the very next request after a remembered (accepted) one.
  it.each<[string, (m: MetaStore, authID: string, userID: string, orgID: string) => void]>([
    ['token deactivated', (m, authID) => m.authorizations.update(authID, { status: 'inactive' })],
    ['token deleted', (m, authID) => m.authorizations.delete(authID)],
    ['user deactivated', (m, _a, userID) => m.users.update(userID, { status: 'inactive' })],
    ['user deleted (its tokens go by cascade)', (m, _a, userID) => m.users.delete(userID)],
    ['org deleted (its tokens go by cascade)', (m, _a, _u, org) => m.orgs.delete(org)],
  ])('refuses a remembered token once its %s', (_name, change) => {
    expect(fails(operator)).toBe('ok');
    expect(fails(operator)).toBe('ok');
    const auth = meta.authorizations.findByToken(operator)!;
    change(meta, auth.id, auth.userID!, orgID);
    expect(fails(operator)).toBe('unauthorized: unauthorized access');
  });

  it('accepts a token again once reactivated, and remembers nothing from a rolled-back transaction', () => {
    const auth = meta.authorizations.findByToken(operator)!;
    meta.authorizations.update(auth.id, { status: 'inactive' });
    expect(fails(operator)).toBe('unauthorized: unauthorized access');
    meta.authorizations.update(auth.id, { status: 'active' });
    expect(fails(operator)).toBe('ok');
    let inside: string | undefined;
    expect(() =>
      meta.transaction(() => {
        const { token } = meta.authorizations.create({ orgID, permissions: [{ action: 'read', resource: { type: 'buckets', orgID } }] });
        inside = token;
        expect(fails(token)).toBe('ok');
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(fails(inside!)).toBe('unauthorized: unauthorized access');
  });

  it('shares one frozen authorization between requests', () => {
    const a = authenticateToken(meta, operator);
    const b = authenticateToken(meta, operator);
    expect(b.authorization).toBe(a.authorization);
    expect(Object.isFrozen(a.authorization.permissions[0]!.resource)).toBe(true);
  });

  it('refuses an inactive token and a token of an inactive user', () => {
    const auth = meta.authorizations.findByToken(operator)!;
    meta.authorizations.update(auth.id, { status: 'inactive' });
    expect(fails(operator)).toBe('unauthorized: unauthorized access');
    meta.authorizations.update(auth.id, { status: 'active' });
    meta.users.update(auth.userID!, { status: 'inactive' });
    expect(fails(operator)).toBe('unauthorized: unauthorized access');
  });
});
