import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostError } from './host-error.js';
import { MetaStore } from '../meta/meta-store.js';
import type { Org } from '../meta/org-store.js';
import { permissionAllows } from '../meta/permission.js';
import type { Storage } from '../storage/storage.js';
import type { QueryAuth, QueryEnv } from './query-env.js';
import { resolveBucket, type TenantRef } from './tenant-refs.js';

// resolveBucket shares bucket rows between the runs (queries) of one event-loop turn, against a
// real MetaStore. A "run" below is one resolveBucket call with its own QueryEnv, as each task run
// or query gets; lookups are counted on the real BucketStore (spied, not replaced).

let meta: MetaStore;
let org: Org;
let other: Org;
beforeEach(() => {
  meta = MetaStore.open(':memory:');
  org = meta.orgs.create({ name: 'acme' });
  other = meta.orgs.create({ name: 'other' });
});
afterEach(() => {
  vi.restoreAllMocks();
  meta.close();
});

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const ALLOW_ALL: QueryAuth = { allows: () => true };

/** One run's environment (resolveBucket never touches storage). */
function envOf(auth: QueryAuth = ALLOW_ALL, runOrg: Org = org): QueryEnv {
  return { storage: {} as Storage, meta, org: runOrg, auth };
}

/** The bucket id a run resolves, or the error it fails with. */
function outcome(ref: TenantRef, action: 'read' | 'write' = 'read', env = envOf()): string {
  try {
    return resolveBucket(env, ref, action).id;
  } catch (e) {
    if (e instanceof HostError) return e.message;
    throw e;
  }
}

const missing = (name: string): string => `failed to initialize execute state: could not find bucket "${name}"`;

function lookups(): () => number {
  const byName = vi.spyOn(meta.buckets, 'findByName');
  const byId = vi.spyOn(meta.buckets, 'findById');
  return () => byName.mock.calls.length + byId.mock.calls.length;
}

describe('resolveBucket: runs of one turn share a lookup only while no bucket changed', () => {
  it('two runs in one turn, nothing changed: one lookup; the next turn looks again', async () => {
    const b = meta.buckets.create({ orgID: org.id, name: 'b' });
    const count = lookups();
    expect(outcome({ bucket: 'b' })).toBe(b.id);
    expect(outcome({ bucket: 'b' }, 'write')).toBe(b.id);
    expect(count()).toBe(1);
    await nextTurn();
    expect(outcome({ bucket: 'b' })).toBe(b.id);
    expect(count()).toBe(2);
  });

  it('by id too, and a missing bucket is shared as missing', () => {
    const b = meta.buckets.create({ orgID: org.id, name: 'b' });
    const count = lookups();
    for (let i = 0; i < 3; i++) {
      expect(outcome({ bucketID: b.id })).toBe(b.id);
      expect(outcome({ bucket: 'nope' })).toBe(missing('nope'));
    }
    expect(count()).toBe(2);
  });

  it('two runs in one turn with a bucket change between them: two lookups', () => {
    meta.buckets.create({ orgID: org.id, name: 'b' });
    const count = lookups();
    outcome({ bucket: 'b' });
    meta.buckets.create({ orgID: other.id, name: 'unrelated' }); // any bucket write
    outcome({ bucket: 'b' });
    expect(count()).toBe(3); // the create's own duplicate-name check is one
  });

  it('nothing read inside a transaction is kept (it may roll back)', () => {
    const count = lookups();
    expect(() =>
      meta.transaction(() => {
        meta.buckets.create({ orgID: org.id, name: 'b' });
        expect(outcome({ bucket: 'b' })).not.toBe(missing('b'));
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(outcome({ bucket: 'b' })).toBe(missing('b'));
    expect(count()).toBe(3);
  });

  it('rows are shared frozen (one object for every run of the turn)', () => {
    meta.buckets.create({ orgID: org.id, name: 'b' });
    const first = resolveBucket(envOf(), { bucket: 'b' }, 'read');
    expect(resolveBucket(envOf(), { bucket: 'b' }, 'write')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  // Each change is made between two runs of the same turn, after the first run has filled the
  // cache; the second run, and a run of the next turn, must see it.
  const cases: {
    name: string;
    ref: (ids: { b: string }) => TenantRef;
    change: (ids: { b: string }) => void;
    before: (ids: { b: string }) => string;
    after: (ids: { b: string }) => string;
  }[] = [
    {
      name: 'a bucket created under the name',
      ref: () => ({ bucket: 'new' }),
      change: () => void meta.buckets.create({ orgID: org.id, name: 'new' }),
      before: () => missing('new'),
      after: () => meta.buckets.findByName(org.id, 'new')!.id,
    },
    {
      name: 'a bucket created under the name in another org (the run names that org)',
      ref: () => ({ bucket: 'new', org: 'other' }),
      change: () => void meta.buckets.create({ orgID: other.id, name: 'new' }),
      before: () => missing('new'),
      after: () => meta.buckets.findByName(other.id, 'new')!.id,
    },
    {
      name: 'the bucket renamed away from the name',
      ref: () => ({ bucket: 'b' }),
      change: ({ b }) => void meta.buckets.update(b, { name: 'renamed' }),
      before: ({ b }) => b,
      after: () => missing('b'),
    },
    {
      name: 'a bucket renamed to the name',
      ref: () => ({ bucket: 'c' }),
      change: ({ b }) => void meta.buckets.update(b, { name: 'c' }),
      before: () => missing('c'),
      after: ({ b }) => b,
    },
    {
      name: 'the bucket deleted (named)',
      ref: () => ({ bucket: 'b' }),
      change: ({ b }) => meta.buckets.delete(b),
      before: ({ b }) => b,
      after: () => missing('b'),
    },
    {
      name: 'the bucket deleted (by id)',
      ref: ({ b }) => ({ bucketID: b }),
      change: ({ b }) => meta.buckets.delete(b),
      before: ({ b }) => b,
      after: ({ b }) => missing(b),
    },
    {
      name: "the bucket's org deleted (the bucket goes by cascade)",
      ref: ({ b }) => ({ bucketID: b }),
      change: () => meta.orgs.delete(org.id),
      before: ({ b }) => b,
      after: ({ b }) => missing(b),
    },
  ];

  it.each(cases)('$name is seen by the next run, in the same turn and the next', async (c) => {
    const ids = { b: meta.buckets.create({ orgID: org.id, name: 'b' }).id };
    expect(outcome(c.ref(ids))).toBe(c.before(ids));
    expect(outcome(c.ref(ids))).toBe(c.before(ids)); // now from the turn's cache
    c.change(ids);
    expect(outcome(c.ref(ids))).toBe(c.after(ids));
    await nextTurn();
    expect(outcome(c.ref(ids))).toBe(c.after(ids));
  });

  it('a retention change is in the next run’s row', () => {
    const b = meta.buckets.create({ orgID: org.id, name: 'b', retentionSeconds: 0 });
    expect(resolveBucket(envOf(), { bucket: 'b' }, 'read').retentionSeconds).toBe(0);
    meta.buckets.update(b.id, { retentionSeconds: 7200 });
    expect(resolveBucket(envOf(), { bucket: 'b' }, 'read').retentionSeconds).toBe(7200);
  });

  it("a permission change is seen by the next run, in the same turn, while the row stays shared", () => {
    const b = meta.buckets.create({ orgID: org.id, name: 'b' });
    const user = meta.users.create({ name: 'owner' });
    const readB = { action: 'read', resource: { type: 'buckets', orgID: org.id, id: b.id } } as const;
    const { authorization, token } = meta.authorizations.create({ orgID: org.id, userID: user.id, permissions: [readB] });
    // As a task run's auth: the owner's permissions as they are when the run starts.
    const runAuth = (): QueryAuth => {
      const permissions = meta.activeAuthorization(token)?.permissions ?? [];
      return { allows: (action, resource) => permissions.some((p) => permissionAllows(p, { action, resource })) };
    };
    const count = lookups();
    expect(outcome({ bucket: 'b' }, 'read', envOf(runAuth()))).toBe(b.id);
    expect(outcome({ bucket: 'b' }, 'write', envOf(runAuth()))).toBe(missing('b'));
    meta.authorizations.update(authorization.id, { status: 'inactive' });
    expect(outcome({ bucket: 'b' }, 'read', envOf(runAuth()))).toBe(missing('b'));
    expect(outcome({ bucket: 'b' }, 'read', envOf(ALLOW_ALL))).toBe(b.id);
    expect(count()).toBe(1);
  });

  it("a run of another org does not get this org's bucket of the same name", () => {
    const mine = meta.buckets.create({ orgID: org.id, name: 'b' });
    const theirs = meta.buckets.create({ orgID: other.id, name: 'b' });
    expect(outcome({ bucket: 'b' })).toBe(mine.id);
    expect(outcome({ bucket: 'b' }, 'read', envOf(ALLOW_ALL, other))).toBe(theirs.id);
    // By id, a bucket of another org than the run's is missing to it.
    expect(outcome({ bucketID: mine.id }, 'read', envOf(ALLOW_ALL, other))).toBe(missing(mine.id));
  });
});
