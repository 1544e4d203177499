import { InfluxDB, setLogger } from '@influxdata/influxdb-client';
import { TasksAPI, type Run } from '@influxdata/influxdb-client-apis';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * `sluice serve --hardening-enabled` and the remote timeout flags, end to end: a hardened server
 * refuses every Flux path to a remote host on 127.0.0.1 in InfluxDB's words (`no such host`),
 * while an ordinary server reaches the same remote; the timeouts set by flags are the ones used.
 */

let open: TestServer;
let hardened: TestServer;
let remote: TestServer;
const START = '2026-01-01T00:00:00Z';
const STOP = '2026-01-01T01:00:00Z';

async function post(server: TestServer, path: string, body: string, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Token ${server.token}`, 'content-type': contentType }, body });
  return { status: res.status, text: await res.text() };
}

async function query(server: TestServer, q: string): Promise<{ status: number; text: string }> {
  return post(server, `/api/v2/query?org=${encodeURIComponent(server.onboarded!.org)}`, JSON.stringify({ query: q }));
}

beforeAll(async () => {
  [open, hardened, remote] = await Promise.all([
    startTestServer({ setup: true }),
    startTestServer({ setup: true, config: { hardeningEnabled: true } }),
    startTestServer({ setup: { org: 'far', bucket: 'source' } }),
  ]);
  const w = await post(remote, '/api/v2/write?org=far&bucket=source&precision=s', 'cpu,host=a usage=1 1767225600\ncpu,host=b usage=2 1767225660', 'text/plain');
  expect(w.status).toBe(204);
  for (const s of [open, hardened]) {
    const l = await post(s, `/api/v2/write?org=acme&bucket=telemetry&precision=s`, 'cpu,host=a usage=1 1767225600', 'text/plain');
    expect(l.status).toBe(204);
  }
});

afterAll(async () => {
  await Promise.all([open.cleanup(), hardened.cleanup(), remote.cleanup()]);
});

describe('--hardening-enabled', () => {
  const cases = (): [string, string][] => {
    const who = `host: "${remote.url}", token: "${remote.token}", org: "far"`;
    const local = `from(bucket: "telemetry") |> range(start: ${START}, stop: ${STOP})`;
    return [
      ['from(host:)', `from(bucket: "source", ${who}) |> range(start: ${START}, stop: ${STOP})`],
      ['from(host:) by a name that resolves to loopback', `from(bucket: "source", ${who.replace('127.0.0.1', 'localhost')}) |> range(start: ${START}, stop: ${STOP})`],
      ['buckets(host:)', `buckets(${who})`],
      ['to(host:)', `${local} |> to(bucket: "source", ${who})`],
      ['influxdb.wideTo(host:)', `import "influxdata/influxdb"\n${local} |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value") |> influxdb.wideTo(bucket: "source", ${who})`],
      ['experimental.to(host:)', `import "experimental"\n${local} |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value") |> experimental.to(bucket: "source", ${who})`],
      ['influxdb.cardinality(host:)', `import "influxdata/influxdb"\ninfluxdb.cardinality(bucket: "source", ${who}, start: ${START}, stop: ${STOP})`],
    ];
  };

  it('refuses http.post to a loopback address (Flux\'s own HTTP goes under the same policy); without it the post is made', async () => {
    let posts = 0;
    const sink = createServer((_req, res) => {
      posts++;
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;
      const q = `import "http"\nimport "array"\narray.from(rows: [{v: http.post(url: "${url}", data: bytes(v: "x"))}])`;
      const refused = await query(hardened, q);
      expect(refused.status).toBe(400);
      expect((JSON.parse(refused.text) as { message: string }).message).toContain(`POST ${url}: no such host`);
      expect(posts).toBe(0);
      const allowed = await query(open, q);
      expect(allowed.status).toBe(200);
      expect(allowed.text).toContain(',204');
      expect(posts).toBe(1);
    } finally {
      sink.closeAllConnections();
      await new Promise<void>((resolve) => sink.close(() => resolve()));
    }
  });

  it('refuses each host: path to a loopback remote with InfluxDB\'s "…: no such host"; without it the same query reaches the remote', async () => {
    for (const [name, q] of cases()) {
      const refused = await query(hardened, q);
      expect({ name, status: refused.status }).toEqual({ name, status: 400 });
      expect({ name, body: JSON.parse(refused.text) as unknown }).toEqual({ name, body: { code: 'invalid', message: 'failed to initialize execute state: no such host' } });
      const allowed = await query(open, q);
      expect({ name, status: allowed.status, text: allowed.text }).toMatchObject({ name, status: 200 });
      expect(allowed.text).not.toContain('error');
    }
  });
});

describe('--hardening-enabled in task runs', () => {
  it('a run reading from a loopback remote fails with "no such host" in its log', async () => {
    setLogger({ error: () => undefined, warn: () => undefined });
    const tasks = new TasksAPI(new InfluxDB({ url: hardened.url, token: hardened.token }));
    const flux = `option task = {name: "pull", every: 1h}\n\nfrom(bucket: "source", host: "${remote.url}", token: "${remote.token}", org: "far")\n    |> range(start: -task.every)\n    |> to(bucket: "telemetry")\n`;
    const task = await tasks.postTasks({ body: { orgID: hardened.onboarded!.orgID, flux } });
    const run = await tasks.postTasksIDRuns({ taskID: task.id, body: { scheduledFor: '2026-01-01T01:00:00Z' } });
    let done: Run | undefined;
    for (let i = 0; i < 2000 && done === undefined; i++) {
      const r = await tasks.getTasksIDRuns({ taskID: task.id }).then((l) => l.runs?.find((x) => x.id === run.id));
      if (r !== undefined && r.status !== 'scheduled' && r.status !== 'started') done = r;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(done?.status).toBe('failed');
    expect((await tasks.getTasksID({ taskID: task.id })).lastRunError).toContain('failed to initialize execute state: no such host');
  });
});

describe('remote timeout flags', () => {
  let silent: HttpServer;
  let silentUrl: string;
  beforeAll(async () => {
    silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('--remote-headers-timeout is the limit a query waits for a remote\'s headers', async () => {
    const s = await startTestServer({ setup: true, config: { remoteHeadersTimeoutMs: 300 } });
    try {
      const r = await query(s, `from(bucket: "b", host: "${silentUrl}", token: "t", org: "o") |> range(start: ${START}, stop: ${STOP})`);
      const body = JSON.parse(r.text) as { message: string };
      expect(body.message).toBe(`Post "${silentUrl}/api/v2/query?org=o": timeout: no response within 300ms from ${new URL(silentUrl).host}`);
    } finally {
      await s.cleanup();
    }
  });
});
