import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/helpers/test-server.js';
import type { Authorization, Permission } from '../../client/api-types.js';
import { FakeClock } from '../../core/clock.js';
import { authGroup } from './auth.js';
import { OSS_RESOURCE_TYPES } from './auth/operator-permissions.js';
import { bucketGroup } from './bucket.js';
import type { CommandGroup } from './common/command-spec.js';
import { runCaptured, type CapturedRun } from './common/testing/captured-run.js';
import { orgGroup } from './org.js';

/** `sluice auth create --operator` against a real server, and against a server that lists its resources. */
let ts: TestServer;
let dir: string;

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-auth-'));
});
afterAll(async () => {
  await ts?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const run = (group: CommandGroup, argv: string[]): Promise<CapturedRun> =>
  runCaptured('sluice', group, argv, { env: { SLUICE_CONFIGS_PATH: join(dir, 'configs.json') }, clock: new FakeClock() });

const conn = (token: string, host = ts.url): string[] => ['--host', host, '-t', token];
const key = (p: Permission): string => `${p.action}:${p.resource.orgID ?? '*'}:${p.resource.type}:${p.resource.id ?? '*'}`;

/** The request lines and the JSON body of each POST in an --http-debug log. */
function exchanges(stderr: string): { requests: string[]; postBodies: unknown[] } {
  const requests = [...stderr.matchAll(/\n((?:GET|POST|PATCH|DELETE) \S+) HTTP\/1\.1\r\n/g)].map((m) => m[1]!);
  const postBodies = [...stderr.matchAll(/\nPOST \S+ HTTP\/1\.1\r\n(?:[^\r\n]+\r\n)*\r\n(\{.*?\})\n/g)].map((m) => JSON.parse(m[1]!) as unknown);
  return { requests, postBodies };
}

describe('auth create --operator (real server)', () => {
  it('sends influx request: read+write on every resource type but instance, no orgID, and the token reaches every org', async () => {
    const r = await run(authGroup, ['create', ...conn(ts.token), '-o', 'acme', '--operator', '-d', 'ops', '--json', '--http-debug']);
    expect(r.code).toBe(0);
    const { requests, postBodies } = exchanges(r.stderr);
    // The server lists its resource types (InfluxDB OSS's, in its order).
    expect(requests).toEqual(['GET /api/v2/orgs?org=acme&limit=100', 'GET /api/v2/resources', 'POST /api/v2/authorizations']);
    expect(r.stderr).toContain(`\n${JSON.stringify(OSS_RESOURCE_TYPES)}`);
    const expected: Permission[] = OSS_RESOURCE_TYPES.filter((t) => t !== 'instance').flatMap((type) => [
      { action: 'read' as const, resource: { type } },
      { action: 'write' as const, resource: { type } },
    ]);
    expect(expected).toHaveLength(44);
    expect(postBodies).toEqual([{ orgID: ts.onboarded!.orgID, description: 'ops', permissions: expected }]);

    const created = JSON.parse(r.stdout) as Authorization;
    expect(created.permissions.map(key)).toEqual(expected.map(key));
    // The same permissions as the operator token setup made.
    const setupToken = (JSON.parse((await run(authGroup, ['list', ...conn(ts.token), '--json'])).stdout) as Authorization[]).find((a) => a.description === "admin's Token")!;
    expect(created.permissions.map(key).sort()).toEqual(setupToken.permissions.map(key).sort());

    // The new token works across organizations: one created after it, and its buckets.
    const op = created.token!;
    const org = await run(orgGroup, ['create', ...conn(op), '-n', 'later-org', '--json']);
    expect([org.code, org.stderr]).toEqual([0, '']);
    const bucket = await run(bucketGroup, ['create', ...conn(op), '-o', 'later-org', '-n', 'b2', '--json']);
    expect([bucket.code, bucket.stderr]).toEqual([0, '']);
    const listed = await run(bucketGroup, ['list', ...conn(op), '-o', 'later-org', '--hide-headers']);
    expect(listed.stdout).toMatch(/\bb2\b/);
  });

  it('a token scoped to one org cannot create an operator token: the server refuses a permission', async () => {
    const allAccess = await run(authGroup, ['create', ...conn(ts.token), '-o', 'acme', '--all-access', '--json']);
    expect(allAccess.code).toBe(0);
    const scoped = (JSON.parse(allAccess.stdout) as Authorization).token!;
    const r = await run(authGroup, ['create', ...conn(scoped), '-o', 'acme', '--operator']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'Error: permission read:authorizations is not allowed\n' });
  });

  // influx refuses these combinations; here before any request (the host would not answer).
  it.each([
    [['--read-buckets'], 'cannot compose other permissions with operator permissions'],
    [['--write-bucket', '0123456789abcdef'], 'cannot compose other permissions with operator permissions'],
    [['--read-bucket', '0123456789abcdef'], 'cannot compose other permissions with operator permissions'],
    [['--write-notification-rules'], 'cannot compose other permissions with operator permissions'],
    [['--all-access'], 'cannot compose other permissions with all access permissions'],
  ])('--operator with %j is refused', async (flags, message) => {
    const r = await run(authGroup, ['create', ...conn('t', 'http://127.0.0.1:1'), '--org-id', '0123456789abcdef', '--operator', ...flags, '--http-debug']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `Error: ${message}\n` });
  });

  it('help lists --operator', async () => {
    const r = await run(authGroup, ['create', '--help']);
    expect(r.stdout).toMatch(/\n {2}\s*--operator\s+grants all permissions in all organizations/);
  });
});

describe('auth create --user and --all-access (real server)', () => {
  const api = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${ts.url}${path}`, {
      method,
      headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return res.json();
  };

  it('--user is a user name: the token belongs to that user; an unknown name is refused', async () => {
    const bob = (await api('POST', '/api/v2/users', { name: 'bob' })) as { id: string };
    const r = await run(authGroup, ['create', ...conn(ts.token), '-o', 'acme', '--read-buckets', '--user', 'bob', '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect((JSON.parse(r.stdout) as Authorization).userID).toBe(bob.id);
    const unknown = await run(authGroup, ['create', ...conn(ts.token), '-o', 'acme', '--read-buckets', '--user', 'nobody']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('could not find user with name "nobody"');
  });

  it("--all-access: every type in the org, but only this org's orgs and the token user's users, never instance", async () => {
    const me = (await api('GET', '/api/v2/me')) as { id: string };
    const orgID = ts.onboarded!.orgID;
    const r = await run(authGroup, ['create', ...conn(ts.token), '-o', 'acme', '--all-access', '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const created = JSON.parse(r.stdout) as Authorization;
    const expected: Permission[] = OSS_RESOURCE_TYPES.filter((t) => t !== 'instance').flatMap((type): Permission[] => {
      if (type === 'orgs') return [{ action: 'read', resource: { type, id: orgID } }];
      if (type === 'users') return [{ action: 'read', resource: { type, id: me.id } }, { action: 'write', resource: { type, id: me.id } }];
      return [{ action: 'read', resource: { type, orgID } }, { action: 'write', resource: { type, orgID } }];
    });
    expect(created.permissions.map(key)).toEqual(expected.map(key));
    expect(created.userID).toBe(me.id);
  });

  it.each([
    [['--all-access', '--read-buckets'], 'cannot compose other permissions with all access permissions'],
    [['--all-access', '--write-bucket', '0123456789abcdef'], 'cannot compose other permissions with all access permissions'],
    [['--operator', '--read-tasks'], 'cannot compose other permissions with operator permissions'],
  ])('%j is refused: %s', async (flags, message) => {
    const r = await run(authGroup, ['create', ...conn(ts.token), '-o', 'acme', ...flags]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });
});

describe('auth create --operator against a server that lists its resources', () => {
  let stub: Server;
  let url: string;
  const posted: unknown[] = [];
  let listsResources = true;

  beforeAll(async () => {
    // A minimal InfluxDB stand-in: GET /api/v2/resources lists types (a Cloud one and instance among them).
    stub = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (listsResources && req.method === 'GET' && req.url === '/api/v2/resources') return void res.end(JSON.stringify(['buckets', 'flows', 'instance', 'orgs']));
        if (req.method === 'POST' && req.url === '/api/v2/authorizations') {
          const input = JSON.parse(body) as { orgID: string; permissions: Permission[] };
          posted.push(input);
          res.statusCode = 201;
          return void res.end(JSON.stringify({ id: '1111111111111111', token: 'op-token', status: 'active', orgID: input.orgID, permissions: input.permissions }));
        }
        res.statusCode = 404;
        res.end(JSON.stringify({ code: 'not found', message: 'path not found' }));
      });
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => stub.close(() => resolve())));

  it("grants the server's types, skipping instance", async () => {
    const r = await run(authGroup, ['create', ...conn('t', url), '--org-id', '0123456789abcdef', '--operator', '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(posted).toEqual([
      {
        orgID: '0123456789abcdef',
        permissions: ['buckets', 'flows', 'orgs'].flatMap((type) => [
          { action: 'read', resource: { type } },
          { action: 'write', resource: { type } },
        ]),
      },
    ]);
  });

  it("grants InfluxDB OSS's types when the server has no resource list (404)", async () => {
    listsResources = false;
    posted.length = 0;
    const r = await run(authGroup, ['create', ...conn('t', url), '--org-id', '0123456789abcdef', '--operator', '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const types = (posted[0] as { permissions: Permission[] }).permissions.filter((p) => p.action === 'read').map((p) => p.resource.type);
    expect(types).toEqual(OSS_RESOURCE_TYPES.filter((t) => t !== 'instance'));
  });
});
