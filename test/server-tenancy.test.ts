import { HttpError, InfluxDB } from '@influxdata/influxdb-client';
import {
  AuthorizationsAPI,
  BucketsAPI,
  HealthAPI,
  LabelsAPI,
  MeAPI,
  OrgsAPI,
  PingAPI,
  ReadyAPI,
  ResourcesAPI,
  RootAPI,
  SetupAPI,
  UsersAPI,
} from '@influxdata/influxdb-client-apis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden } from './helpers/golden.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let ts: TestServer;
let influx: InfluxDB;
let operatorToken = '';

beforeAll(async () => {
  ts = await startTestServer();
  influx = new InfluxDB({ url: ts.url });
});
afterAll(async () => {
  await ts.cleanup();
});

/** Replaces generated values (IDs, times, tokens) so response shapes can be compared as goldens. */
function normalized(value: unknown): unknown {
  const ids = new Map<string, string>();
  return JSON.parse(
    JSON.stringify(value)
      .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>')
      .replace(/"token":"[A-Za-z0-9_-]{43}"/g, '"token":"<token>"')
      .replace(/[0-9a-f]{16}/g, (id) => {
        if (!ids.has(id)) ids.set(id, `<id${ids.size + 1}>`);
        return ids.get(id)!;
      }),
  );
}

async function httpError(p: Promise<unknown>): Promise<{ status: number; json: unknown }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HttpError) return { status: e.statusCode, json: e.json };
    throw e;
  }
  throw new Error('expected an HttpError');
}

describe('onboarding and probes', () => {
  it('answers probes before setup without a token', async () => {
    expect(await new PingAPI(influx).getPing()).toBeUndefined();
    const health = await new HealthAPI(influx).getHealth();
    expect(health).toMatchObject({ name: 'influxdb', status: 'pass', message: 'ready for queries and writes', checks: [] });
    const ready = (await new ReadyAPI(influx).getReady()) as { status: string; started: string; up: string };
    expect(ready.status).toBe('ready');
    expect(ready.up).toMatch(/^[\d.]+(ns|µs|ms|s)$|m/);
    const routes = (await new RootAPI(influx).getRoutes()) as Record<string, unknown>;
    expect(routes['write']).toBe('/api/v2/write');
    expect(routes['system']).toEqual({ metrics: '/metrics', debug: '/debug/pprof', health: '/health', ready: '/ready' });
  });

  it('ping carries the version headers', async () => {
    for (const method of ['GET', 'HEAD']) {
      const res = await fetch(`${ts.url}/ping`, { method });
      expect([res.status, res.headers.get('x-influxdb-build'), res.headers.get('x-influxdb-version')]).toEqual([204, 'OSS', 'v2.7.11']);
    }
  });

  it('refuses the API without a token before setup, and allows setup once', async () => {
    const setup = new SetupAPI(influx);
    expect(await setup.getSetup()).toEqual({ allowed: true });
    expect(await httpError(new OrgsAPI(influx).getOrgs())).toEqual({ status: 401, json: { code: 'unauthorized', message: 'unauthorized access' } });
    expect(await httpError(setup.postSetup({ body: { username: 'admin', org: '', bucket: '' } }))).toEqual({
      status: 422,
      json: { code: 'unprocessable entity', message: 'onboarding failed: missing required fields [org,bucket]' },
    });
    expect(await httpError(setup.postSetup({ body: { username: 'admin', org: 'acme', bucket: 'b', password: 'short' } }))).toEqual({
      status: 400,
      json: { code: 'invalid', message: 'passwords must be between 8 and 72 characters long' },
    });
    const r = await setup.postSetup({
      body: { username: 'admin', password: 'password123', org: 'acme', bucket: 'telemetry', retentionPeriodSeconds: 7 * 86400 },
    });
    expectGolden('setup-response', normalized(r));
    expect(r.user).toMatchObject({ name: 'admin', status: 'active' });
    expect(r.org).toMatchObject({ name: 'acme' });
    expect(r.bucket).toMatchObject({
      name: 'telemetry',
      type: 'user',
      orgID: r.org!.id,
      retentionRules: [{ type: 'expire', everySeconds: 604800, shardGroupDurationSeconds: 86400 }],
    });
    expect(r.auth?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.auth?.permissions).toHaveLength(44);
    expect(r.auth?.description).toBe("admin's Token");
    expect(await setup.getSetup()).toEqual({ allowed: false });
    expect(await httpError(setup.postSetup({ body: { username: 'x', org: 'y', bucket: 'z' } }))).toEqual({
      status: 422,
      json: { code: 'conflict', message: 'onboarding has already been completed' },
    });
    // Remember the operator token for the rest of the file.
    operatorToken = r.auth!.token!;
    influx = new InfluxDB({ url: ts.url, token: operatorToken });
  });
});

describe('orgs, buckets, users', () => {
  it('lists the setup org and its buckets including the system buckets', async () => {
    const orgs = await new OrgsAPI(influx).getOrgs({ org: 'acme' });
    expect(orgs.orgs?.map((o) => o.name)).toEqual(['acme']);
    const buckets = await new BucketsAPI(influx).getBuckets({ org: 'acme' });
    expect(buckets.buckets?.map((b) => [b.name, b.type, b.retentionRules[0]?.everySeconds])).toEqual([
      ['telemetry', 'user', 604800],
      ['_tasks', 'system', 259200],
      ['_monitoring', 'system', 604800],
    ]);
  });

  it('creates buckets with InfluxDB defaults and rules', async () => {
    const api = new BucketsAPI(influx);
    const orgID = (await new OrgsAPI(influx).getOrgs({ org: 'acme' })).orgs![0]!.id!;
    const forever = await api.postBuckets({ body: { orgID, name: 'forever', retentionRules: [] } });
    expect(forever.retentionRules).toEqual([{ type: 'expire', everySeconds: 0, shardGroupDurationSeconds: 604800 }]);
    expect(forever.labels).toEqual([]);
    expect(forever.links?.write).toBe(`/api/v2/write?org=${orgID}&bucket=${forever.id}`);
    const hourly = await api.postBuckets({ body: { orgID, name: 'hourly', retentionRules: [{ type: 'expire', everySeconds: 3600 }] } });
    expect(hourly.retentionRules[0]?.shardGroupDurationSeconds).toBe(3600);
    expect((await api.getBucketsID({ bucketID: hourly.id! })).name).toBe('hourly');

    const patched = await api.patchBucketsID({ bucketID: hourly.id!, body: { name: 'daily', retentionRules: [{ type: 'expire', everySeconds: 2 * 86400 }] } });
    expect([patched.name, patched.retentionRules[0]]).toEqual(['daily', { type: 'expire', everySeconds: 172800, shardGroupDurationSeconds: 86400 }]);

    const errors = {
      'name starts with underscore': await httpError(api.postBuckets({ body: { orgID, name: '_nope', retentionRules: [] } })),
      'name with a quote': await httpError(api.postBuckets({ body: { orgID, name: 'a"b', retentionRules: [] } })),
      duplicate: await httpError(api.postBuckets({ body: { orgID, name: 'forever', retentionRules: [] } })),
      'retention under an hour': await httpError(api.postBuckets({ body: { orgID, name: 'x', retentionRules: [{ type: 'expire', everySeconds: 60 }] } })),
      'two rules': await httpError(
        api.postBuckets({ body: { orgID, name: 'x', retentionRules: [{ type: 'expire', everySeconds: 0 }, { type: 'expire', everySeconds: 0 }] } }),
      ),
      'no orgID': await httpError(api.postBuckets({ body: { orgID: '', name: 'x', retentionRules: [] } })),
      'unknown name in org': await httpError(api.getBuckets({ org: 'acme', name: 'nope' })),
      'malformed id': await httpError(api.getBucketsID({ bucketID: 'xyz' })),
      'unknown id': await httpError(api.getBucketsID({ bucketID: '0000000000000001' })),
      'delete system bucket': await httpError(
        api.deleteBucketsID({ bucketID: (await api.getBuckets({ org: 'acme', name: '_tasks' })).buckets![0]!.id! }),
      ),
      'bad limit': await httpError(api.getBuckets({ limit: 1000 })),
    };
    expectGolden('bucket-errors', errors);

    await api.deleteBucketsID({ bucketID: forever.id! });
    expect((await httpError(api.getBucketsID({ bucketID: forever.id! }))).status).toBe(404);
  });

  it('pages bucket lists with offset, limit and after', async () => {
    const api = new BucketsAPI(influx);
    const all = (await api.getBuckets({ org: 'acme' })).buckets!.map((b) => b.name);
    const first = await api.getBuckets({ org: 'acme', limit: 2 });
    expect(first.buckets!.map((b) => b.name)).toEqual(all.slice(0, 2));
    expect(first.links?.next).toContain('offset=2');
    const second = await api.getBuckets({ org: 'acme', limit: 2, offset: 2 });
    expect(second.buckets!.map((b) => b.name)).toEqual(all.slice(2, 4));
    const after = await api.getBuckets({ org: 'acme', after: first.buckets![1]!.id! });
    expect(after.buckets!.map((b) => b.name)).toEqual(all.slice(2));
  });

  it('creates orgs (with their system buckets) and users; /me is the token user', async () => {
    const org = await new OrgsAPI(influx).postOrgs({ body: { name: 'second', description: 'two' } });
    expect(org).toMatchObject({ name: 'second', description: 'two' });
    expect((await new BucketsAPI(influx).getBuckets({ orgID: org.id! })).buckets!.map((b) => b.name)).toEqual(['_tasks', '_monitoring']);
    expect(await httpError(new OrgsAPI(influx).postOrgs({ body: { name: 'second' } }))).toEqual({
      status: 422,
      json: { code: 'conflict', message: 'organization with name second already exists' },
    });
    const user = await new UsersAPI(influx).postUsers({ body: { name: 'bob' } });
    expect(user).toMatchObject({ name: 'bob', status: 'active', links: { self: `/api/v2/users/${user.id}` } });
    expect((await new MeAPI(influx).getMe()).name).toBe('admin');
    await new OrgsAPI(influx).deleteOrgsID({ orgID: org.id! });
    expect((await httpError(new OrgsAPI(influx).getOrgsID({ orgID: org.id! }))).status).toBe(404);
  });
});

describe('resources', () => {
  it('lists every resource type to a token holder, and refuses a caller without one', async () => {
    const types = await new ResourcesAPI(influx).getResources();
    expect(types).toHaveLength(23);
    expect(types.slice(0, 4)).toEqual(['authorizations', 'buckets', 'dashboards', 'orgs']);
    expect(types).toContain('notificationEndpoints');
    expect(types[types.length - 1]).toBe('instance');
    expect(await httpError(new ResourcesAPI(new InfluxDB({ url: ts.url })).getResources())).toEqual({
      status: 401,
      json: { code: 'unauthorized', message: 'unauthorized access' },
    });
  });
});

describe('org members and owners', () => {
  it('lists the setup user as owner, adds and removes members, filters orgs by user', async () => {
    const orgs = new OrgsAPI(influx);
    const acme = (await orgs.getOrgs({ org: 'acme' })).orgs![0]!;
    const owners = await orgs.getOrgsIDOwners({ orgID: acme.id! });
    expect(owners.users!.map((u) => [u.name, u.role])).toEqual([['admin', 'owner']]);
    const carol = await new UsersAPI(influx).postUsers({ body: { name: 'carol' } });
    const added = await orgs.postOrgsIDMembers({ orgID: acme.id!, body: { id: carol.id! } });
    expect(added).toMatchObject({ id: carol.id, name: 'carol', role: 'member' });
    expect(await httpError(orgs.postOrgsIDMembers({ orgID: acme.id!, body: { id: carol.id! } }))).toEqual({
      status: 422,
      json: { code: 'conflict', message: 'user is already a member of the organization' },
    });
    expect((await orgs.getOrgsIDMembers({ orgID: acme.id! })).users!.map((u) => u.name)).toEqual(['carol']);
    expect((await orgs.getOrgs({ userID: carol.id! })).orgs!.map((o) => o.name)).toEqual(['acme']);
    await orgs.deleteOrgsIDMembersID({ orgID: acme.id!, userID: carol.id! });
    expect((await orgs.getOrgsIDMembers({ orgID: acme.id! })).users).toEqual([]);
    expect((await orgs.getOrgs({ userID: carol.id! })).orgs).toEqual([]);
  });
});

describe('authorizations', () => {
  it('scoped tokens are allowed where granted and refused elsewhere', async () => {
    const orgID = (await new OrgsAPI(influx).getOrgs({ org: 'acme' })).orgs![0]!.id!;
    const buckets = new BucketsAPI(influx);
    const telemetry = (await buckets.getBuckets({ org: 'acme', name: 'telemetry' })).buckets![0]!;
    const other = await buckets.postBuckets({ body: { orgID, name: 'other', retentionRules: [] } });
    const auths = new AuthorizationsAPI(influx);
    const created = await auths.postAuthorizations({
      body: {
        orgID,
        description: 'telemetry writer',
        permissions: [
          { action: 'write', resource: { type: 'buckets', orgID, id: telemetry.id! } },
          { action: 'read', resource: { type: 'buckets', orgID, id: telemetry.id! } },
        ],
      },
    });
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.permissions![0]!.resource).toMatchObject({ type: 'buckets', id: telemetry.id, name: 'telemetry', orgID, org: 'acme' });
    // Plaintext is shown once: later reads carry no token.
    expect((await auths.getAuthorizationsID({ authID: created.id! })).token).toBeUndefined();
    expect((await auths.getAuthorizations({ org: 'acme' })).authorizations!.map((a) => a.description)).toContain('telemetry writer');

    const scoped = new InfluxDB({ url: ts.url, token: created.token! });
    const write = (bucket: string): Promise<number> =>
      fetch(`${ts.url}/api/v2/write?org=acme&bucket=${bucket}`, {
        method: 'POST',
        headers: { authorization: `Token ${created.token!}` },
        // No timestamp: "now", inside the bucket's 7-day retention.
        body: 'm v=1',
      }).then((r) => r.status);
    expect(await write('telemetry')).toBe(204);
    expect(await write('other')).toBe(403);
    // Lists are filtered silently; a direct read of a hidden resource is 401 with the permission.
    expect((await new BucketsAPI(scoped).getBuckets({ org: 'acme' })).buckets!.map((b) => b.name)).toEqual(['telemetry']);
    expect(await httpError(new BucketsAPI(scoped).getBucketsID({ bucketID: other.id! }))).toEqual({
      status: 401,
      json: { code: 'unauthorized', message: `read:orgs/${orgID}/buckets/${other.id} is unauthorized` },
    });
    // A token cannot grant what it does not hold.
    expect((await httpError(new AuthorizationsAPI(scoped).postAuthorizations({
      body: { orgID, permissions: [{ action: 'write', resource: { type: 'buckets', orgID } }] },
    }))).status).toBe(401);

    await auths.patchAuthorizationsID({ authID: created.id!, body: { status: 'inactive' } });
    expect(await write('telemetry')).toBe(401);
    await auths.patchAuthorizationsID({ authID: created.id!, body: { status: 'active' } });
    expect(await write('telemetry')).toBe(204);
    await auths.deleteAuthorizationsID({ authID: created.id! });
    expect(await write('telemetry')).toBe(401);
  });

  it('validates create requests', async () => {
    const orgID = (await new OrgsAPI(influx).getOrgs({ org: 'acme' })).orgs![0]!.id!;
    const auths = new AuthorizationsAPI(influx);
    expectGolden('authorization-errors', {
      'no permissions': await httpError(auths.postAuthorizations({ body: { orgID, permissions: [] } })),
      'no org': await httpError(auths.postAuthorizations({ body: { orgID: '', permissions: [{ action: 'read', resource: { type: 'buckets' } }] } })),
      'instance not grantable': await httpError(
        auths.postAuthorizations({ body: { orgID, permissions: [{ action: 'read', resource: { type: 'instance' } }] } }),
      ),
      'unknown type': await httpError(
        auths.postAuthorizations({ body: { orgID, permissions: [{ action: 'read', resource: { type: 'nope' as 'buckets' } }] } }),
      ),
    });
  });
});

describe('labels', () => {
  it('creates, patches, attaches to buckets and deletes', async () => {
    const orgID = (await new OrgsAPI(influx).getOrgs({ org: 'acme' })).orgs![0]!.id!;
    const labels = new LabelsAPI(influx);
    const created = await labels.postLabels({ body: { orgID, name: 'env', properties: { color: 'red', tier: 'gold' } } });
    const id = created.label!.id!;
    expect(created.label).toEqual({ id, orgID, name: 'env', properties: { color: 'red', tier: 'gold' } });
    const patched = await labels.patchLabelsID({ labelID: id, body: { properties: { tier: '', size: 'xl' } } });
    expect(patched.label!.properties).toEqual({ color: 'red', size: 'xl' });
    expect((await labels.getLabels({ orgID })).labels!.map((l) => l.name)).toEqual(['env']);

    const buckets = new BucketsAPI(influx);
    const bucket = (await buckets.getBuckets({ org: 'acme', name: 'telemetry' })).buckets![0]!;
    await buckets.postBucketsIDLabels({ bucketID: bucket.id!, body: { labelID: id } });
    expect((await buckets.getBucketsID({ bucketID: bucket.id! })).labels!.map((l) => l.name)).toEqual(['env']);
    await buckets.deleteBucketsIDLabelsID({ bucketID: bucket.id!, labelID: id });
    expect((await buckets.getBucketsIDLabels({ bucketID: bucket.id! })).labels).toEqual([]);

    expect(await httpError(labels.postLabels({ body: { orgID, name: '' } }))).toEqual({
      status: 400,
      json: { code: 'invalid', message: 'label name is required' },
    });
    await labels.deleteLabelsID({ labelID: id });
    expect((await httpError(labels.getLabelsID({ labelID: id }))).status).toBe(404);
  });
});

describe('routing and request errors', () => {
  it('answers unknown routes, wrong methods and bad JSON as JSON errors (golden)', async () => {
    const call = async (method: string, path: string, body?: string): Promise<unknown> => {
      const res = await fetch(`${ts.url}${path}`, { method, headers: { authorization: `Token ${operatorToken}` }, ...(body === undefined ? {} : { body }) });
      const text = await res.text();
      return { status: res.status, code: res.headers.get('x-platform-error-code'), allow: res.headers.get('allow'), body: text === '' ? '' : JSON.parse(text) };
    };
    expectGolden('routing-errors', {
      'unknown route': await call('GET', '/api/v2/nope'),
      'unknown top-level route': await call('GET', '/nope'),
      'wrong method': await call('PUT', '/api/v2/buckets'),
      'bad json': await call('POST', '/api/v2/buckets', '{"orgID":'),
      'json not an object': await call('POST', '/api/v2/orgs', '[1]'),
      'wrong field type': await call('POST', '/api/v2/orgs', '{"name":5}'),
    });
  });

  it('reflects CORS origins and answers preflights', async () => {
    const res = await fetch(`${ts.url}/api/v2/buckets`, { method: 'OPTIONS', headers: { origin: 'http://ui.example' } });
    expect([res.status, res.headers.get('access-control-allow-origin')]).toEqual([204, 'http://ui.example']);
  });
});

describe('browser sessions', () => {
  const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('signs in with Basic auth, acts with the user\'s permissions through the cookie, and signs out', async () => {
    expect((await fetch(`${ts.url}/api/v2/signin`, { method: 'POST', headers: { authorization: basic('admin', 'wrong-password') } })).status).toBe(401);
    const signin = await fetch(`${ts.url}/api/v2/signin`, { method: 'POST', headers: { authorization: basic('admin', 'password123') } });
    expect(signin.status).toBe(204);
    const setCookie = signin.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^influxdb-oss-session=[A-Za-z0-9_-]{43}; Path=\/api\/; Expires=.+; HttpOnly; SameSite=Strict$/);
    const cookie = setCookie.split(';')[0]!;
    const buckets = await fetch(`${ts.url}/api/v2/buckets?org=acme`, { headers: { cookie } });
    expect(buckets.status).toBe(200);
    expect(((await buckets.json()) as { buckets: { name: string }[] }).buckets.map((b) => b.name)).toContain('telemetry');
    expect(((await (await fetch(`${ts.url}/api/v2/me`, { headers: { cookie } })).json()) as { name: string }).name).toBe('admin');

    expect((await fetch(`${ts.url}/api/v2/signout`, { method: 'POST', headers: { cookie } })).status).toBe(204);
    expect((await fetch(`${ts.url}/api/v2/buckets?org=acme`, { headers: { cookie } })).status).toBe(401);
  });

  it('changes the password given the old one', async () => {
    const put = (auth: string, password: string): Promise<number> =>
      fetch(`${ts.url}/api/v2/me/password`, { method: 'PUT', headers: { authorization: auth }, body: JSON.stringify({ password }) }).then(
        (r) => r.status,
      );
    expect(await put(basic('admin', 'not-the-password'), 'newpassword1')).toBe(401);
    expect(await put(basic('admin', 'password123'), 'short')).toBe(400);
    expect(await put(basic('admin', 'password123'), 'newpassword1')).toBe(204);
    const signin = (password: string): Promise<number> =>
      fetch(`${ts.url}/api/v2/signin`, { method: 'POST', headers: { authorization: basic('admin', password) } }).then((r) => r.status);
    expect(await signin('password123')).toBe(401);
    expect(await signin('newpassword1')).toBe(204);
  });
});
