import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * `to(host:)`, `influxdb.wideTo(host:)` and `experimental.to(host:)` against a second, real Sluice
 * server: what server A writes remotely reads back on server B exactly as A reads it locally.
 */

let local: TestServer;
let remote: TestServer;
const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z
const RANGE = 'range(start: 2026-01-01T00:00:00Z, stop: 2026-01-02T00:00:00Z)';

async function post(server: TestServer, path: string, body: string, contentType = 'application/json', token = server.token): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Token ${token}`, 'content-type': contentType }, body });
  return { status: res.status, text: await res.text() };
}

async function csv(server: TestServer, query: string): Promise<{ status: number; text: string }> {
  return post(server, `/api/v2/query?org=${server.onboarded!.org}`, JSON.stringify({ query, dialect: { annotations: ['group', 'datatype', 'default'] } }));
}

async function createBucket(server: TestServer, name: string): Promise<string> {
  const r = await post(server, '/api/v2/buckets', JSON.stringify({ orgID: server.onboarded!.orgID, name, retentionRules: [] }));
  expect(r.status).toBe(201);
  return (JSON.parse(r.text) as { id: string }).id;
}

function target(bucket: string, token = remote.token): string {
  return `host: ${JSON.stringify(remote.url)}, token: ${JSON.stringify(token)}, org: "far", bucket: ${JSON.stringify(bucket)}`;
}

beforeAll(async () => {
  [local, remote] = await Promise.all([startTestServer({ setup: true }), startTestServer({ setup: { org: 'far', bucket: 'source' } })]);
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const t = T0 + BigInt(i) * 60_000_000_000n;
    lines.push(`cpu,host=h${i % 2},dc=a\\ b usage=${i / 4},count=${i}i,big=${2n ** 63n + BigInt(i)}u,ok=${i % 3 === 0},msg="m ${i} \\"q\\"" ${t}`);
  }
  expect((await post(local, '/api/v2/write?org=acme&bucket=telemetry&precision=ns', lines.join('\n'), 'text/plain')).status).toBe(204);
});

afterAll(async () => {
  await Promise.all([local.cleanup(), remote.cleanup()]);
});

describe('to(host:) writes to the remote', () => {
  it('every field type and tag reads back on the remote as it reads here', async () => {
    await createBucket(remote, 'dest');
    const w = await csv(local, `from(bucket: "telemetry") |> ${RANGE} |> to(${target('dest')}) |> count()`);
    expect(w.status).toBe(200);
    const here = await csv(local, `from(bucket: "telemetry") |> ${RANGE}`);
    const there = await csv(remote, `from(bucket: "dest") |> ${RANGE}`);
    expect(there.status).toBe(200);
    expect(there.text).toBe(here.text);
    expect(here.text.split('\r\n').filter((l) => l.startsWith(',,')).length).toBe(200);
  });

  it('names and values that need escaping in line protocol arrive unchanged', async () => {
    await createBucket(remote, 'odd');
    const t = T0 + 86_400_000_000_000n * 2n; // a day of its own
    const lines = [
      `we\\ird\\,m,tag\\ key\\=1=v\\,a\\ l\\=ue,z=1 field\\ \\=k="multi\\nline \\\\ back \\"q\\" é",n=-0.0 ${t}`,
      `we\\ird\\,m,tag\\ key\\=1=other n=1e-300,big=9223372036854775807i ${t + 1n}`,
    ];
    expect((await post(local, '/api/v2/write?org=acme&bucket=telemetry&precision=ns', lines.join('\n'), 'text/plain')).status).toBe(204);
    const day = 'range(start: 2026-01-03T00:00:00Z, stop: 2026-01-04T00:00:00Z)';
    expect((await csv(local, `from(bucket: "telemetry") |> ${day} |> to(${target('odd')})`)).status).toBe(200);
    const here = await csv(local, `from(bucket: "telemetry") |> ${day}`);
    const there = await csv(remote, `from(bucket: "odd") |> ${day}`);
    expect(there.text).toBe(here.text);
    expect(here.text).toContain(',"multi\\nline \\ back ""q"" é",field =k,"we\\ird,m","v,a l=ue",1\r\n');
  });

  it('fieldFn and tagColumns shape the points, and orgID/bucketID name the target', async () => {
    const id = await createBucket(remote, 'shaped');
    const w = await csv(
      local,
      `from(bucket: "telemetry") |> ${RANGE} |> filter(fn: (r) => r._field == "usage")
  |> to(host: "${remote.url}", token: "${remote.token}", orgID: "${remote.onboarded!.orgID}", bucketID: "${id}", tagColumns: ["host"], fieldFn: (r) => ({"u": r._value, "twice": r._value * 2.0}))`,
    );
    expect(w.status).toBe(200);
    const there = await csv(remote, `from(bucket: "shaped") |> ${RANGE} |> filter(fn: (r) => r.host == "h1" and r._time == 2026-01-01T00:03:00Z) |> keep(columns: ["_field", "_value", "host", "dc"])`);
    expect(there.text).toContain(',result,table,_value,_field,host\r\n,,0,1.5,twice,h1\r\n,,1,0.75,u,h1\r\n');
  });

  it('writes in batches: more points than one batch all arrive', async () => {
    await createBucket(remote, 'many');
    const n = 12_345;
    const w = await csv(
      local,
      `import "generate"
generate.from(count: ${n}, fn: (n) => n, start: 2026-01-01T00:00:00Z, stop: 2026-01-01T03:25:45Z)
  |> map(fn: (r) => ({_time: r._time, _measurement: "gen", _field: "n", _value: r._value}))
  |> to(${target('many')})
  |> count()`,
    );
    expect(w.status).toBe(200);
    expect(w.text).toContain(`,${n}\r\n`);
    const there = await csv(remote, `from(bucket: "many") |> ${RANGE} |> count()`);
    expect(there.text).toContain(`,${n}\r\n`);
  });

  it('influxdb.wideTo(host:) and experimental.to(host:) write one point per row', async () => {
    await createBucket(remote, 'wide');
    const pivoted = `from(bucket: "telemetry") |> ${RANGE} |> filter(fn: (r) => r._field == "usage" or r._field == "count") |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`;
    const a = await csv(local, `import "influxdata/influxdb"\n${pivoted} |> filter(fn: (r) => r.host == "h0") |> influxdb.wideTo(${target('wide')})`);
    expect(a.status).toBe(200);
    const b = await csv(local, `import "experimental"\n${pivoted} |> filter(fn: (r) => r.host == "h1") |> experimental.to(${target('wide')})`);
    expect(b.status).toBe(200);
    const here = await csv(local, `from(bucket: "telemetry") |> ${RANGE} |> filter(fn: (r) => r._field == "usage" or r._field == "count")`);
    const there = await csv(remote, `from(bucket: "wide") |> ${RANGE}`);
    expect(there.text).toBe(here.text);
  });
});

describe('to(host:) errors are the remote\'s', () => {
  async function errorOf(query: string): Promise<{ status: number; message: string }> {
    const r = await csv(local, query);
    const body = JSON.parse(r.text) as { message?: string };
    return { status: r.status, message: body.message ?? r.text };
  }
  const SOME = `from(bucket: "telemetry") |> ${RANGE} |> filter(fn: (r) => r._field == "usage")`;

  it('a wrong token: the remote\'s unauthorized message', async () => {
    const e = await errorOf(`${SOME} |> to(${target('dest', 'wrong')})`);
    expect(e).toEqual({ status: 401, message: 'unauthorized access' });
  });

  it('an unknown bucket: the remote\'s message for that write', async () => {
    const direct = await post(remote, '/api/v2/write?org=far&bucket=nope&precision=ns', 'm v=1 1', 'text/plain');
    const e = await errorOf(`${SOME} |> to(${target('nope')})`);
    expect(e.status).toBe(direct.status);
    expect(e.message).toBe((JSON.parse(direct.text) as { message: string }).message);
  });

  it('a field type conflict on the remote: its partial-write message', async () => {
    await createBucket(remote, 'typed');
    expect((await post(remote, '/api/v2/write?org=far&bucket=typed&precision=ns', `cpu,dc=a\\ b,host=h0 usage="text" ${T0}`, 'text/plain')).status).toBe(204);
    const direct = await post(remote, '/api/v2/write?org=far&bucket=typed&precision=ns', `cpu,dc=a\\ b,host=h0 usage=1 ${T0}`, 'text/plain');
    expect(direct.status).toBe(422);
    const e = await errorOf(`${SOME} |> filter(fn: (r) => r.host == "h0") |> limit(n: 1) |> to(${target('typed')})`);
    expect(e).toEqual({ status: 422, message: (JSON.parse(direct.text) as { message: string }).message });
  });

  it('connection refused names the host', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const e = await errorOf(`${SOME} |> to(host: "http://127.0.0.1:${port}", token: "t", org: "far", bucket: "dest")`);
    expect(e.message).toBe(`Post "http://127.0.0.1:${port}/api/v2/write?org=far&bucket=dest&precision=ns": dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });

  it('no permission check on our own buckets: a token without local write access may write remotely', async () => {
    // A read-only token of the local server: local to() is refused, remote to() is the remote's business.
    const auth = await post(
      local,
      '/api/v2/authorizations',
      JSON.stringify({ orgID: local.onboarded!.orgID, permissions: [{ action: 'read', resource: { type: 'buckets', orgID: local.onboarded!.orgID } }] }),
    );
    expect(auth.status).toBe(201);
    const readOnly = (JSON.parse(auth.text) as { token: string }).token;
    const q = (to: string) =>
      post(local, '/api/v2/query?org=acme', JSON.stringify({ query: `${SOME} |> limit(n: 1) |> ${to}` }), 'application/json', readOnly);
    expect((await q('to(bucket: "telemetry")')).status).toBe(404);
    expect((await q(`to(${target('dest')})`)).status).toBe(200);
  });
});
