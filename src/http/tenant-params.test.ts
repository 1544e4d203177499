import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SluiceError } from '../core/errors.js';
import { MetaStore } from '../meta/meta-store.js';
import { bucketInOrg, orgFromQuery, requiredOrgFromQuery } from './tenant-params.js';

let meta: MetaStore;
let acme: string;
let other: string;
let bucket: string;
let otherBucket: string;

beforeAll(() => {
  meta = MetaStore.open(':memory:');
  acme = meta.orgs.create({ name: 'acme' }).id;
  other = meta.orgs.create({ name: 'other' }).id;
  bucket = meta.buckets.create({ orgID: acme, name: 'b' }).id;
  otherBucket = meta.buckets.create({ orgID: other, name: 'b' }).id;
  // An org whose *name* looks like an ID: InfluxDB looks such a value up only as an ID.
  meta.orgs.create({ name: 'aaaaaaaaaaaaaaaa' });
});
afterAll(() => meta.close());

const outcome = (fn: () => { id: string } | undefined): string => {
  try {
    const r = fn();
    return r === undefined ? 'none' : r.id === acme ? 'acme' : r.id === other ? 'other' : r.id === bucket ? 'bucket' : r.id === otherBucket ? 'otherBucket' : r.id;
  } catch (e) {
    return `${(e as SluiceError).code}: ${(e as Error).message}`;
  }
};

describe('orgFromQuery', () => {
  it.each([
    ['', 'none'],
    ['org=acme', 'acme'],
    ['org=nope', 'not found: organization name "nope" not found'],
    ['orgID=ORG_OTHER', 'other'],
    ['orgID=ORG_OTHER&org=acme', 'other'],
    ['orgID=0000000000000001', 'not found: organization not found'],
    ['orgID=xyz', 'invalid: id must have a length of 16 bytes'],
    ['org=ORG_ACME', 'acme'],
    ['org=aaaaaaaaaaaaaaaa', 'not found: organization not found'],
  ])('%s → %s', (q, expected) => {
    const query = new URLSearchParams(q.replace('ORG_OTHER', other).replace('ORG_ACME', acme));
    expect(outcome(() => orgFromQuery(meta, query))).toBe(expected);
  });

  it('requiredOrgFromQuery refuses neither', () => {
    expect(outcome(() => requiredOrgFromQuery(meta, new URLSearchParams()))).toBe('invalid: Please provide either orgID or org');
  });
});

describe('bucketInOrg', () => {
  it.each<[{ id?: string; name?: string }, string]>([
    [{ name: 'b' }, 'bucket'],
    [{ name: 'BUCKET' }, 'bucket'],
    [{ name: 'OTHER_BUCKET' }, 'not found: bucket "OTHER_BUCKET" not found'],
    [{ id: 'BUCKET' }, 'bucket'],
    [{ id: 'OTHER_BUCKET' }, 'not found: bucket "OTHER_BUCKET" not found'],
    [{ id: 'nope' }, 'invalid: id must have a length of 16 bytes'],
    [{ name: 'nope' }, 'not found: bucket "nope" not found'],
  ])('%j → %s', (ref, expected) => {
    const sub = (s: string | undefined): string | undefined => s?.replace('OTHER_BUCKET', otherBucket).replace('BUCKET', bucket);
    const resolved = { ...(ref.id === undefined ? {} : { id: sub(ref.id) }), ...(ref.name === undefined ? {} : { name: sub(ref.name) }) };
    expect(outcome(() => bucketInOrg(meta, meta.orgs.get(acme), resolved)).replace(otherBucket, 'OTHER_BUCKET')).toBe(expected);
  });
});
