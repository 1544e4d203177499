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

  it('refuses an inactive token and a token of an inactive user', () => {
    const auth = meta.authorizations.findByToken(operator)!;
    meta.authorizations.update(auth.id, { status: 'inactive' });
    expect(fails(operator)).toBe('unauthorized: unauthorized access');
    meta.authorizations.update(auth.id, { status: 'active' });
    meta.users.update(auth.userID!, { status: 'inactive' });
    expect(fails(operator)).toBe('unauthorized: unauthorized access');
  });
});
