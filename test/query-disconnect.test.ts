import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/storage/engine.js';
import type { ReadRequest, SeriesBatch } from '../src/storage/storage.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * A client that goes away stops its query, seen from outside: over HTTP, with the query
 * controller's metrics on /metrics (InfluxDB's `qc_*`).
 */

/** Reads from this instant on never end (the stored points, again and again, all from memory). */
const ENDLESS_FROM = 1_924_992_000n * 1_000_000_000n; // 2031-01-01T00:00:00Z
const ENDLESS_QUERY = 'from(bucket: "telemetry") |> range(start: 2031-01-01T00:00:00Z, stop: 2031-01-02T00:00:00Z) |> group() |> count()';

let ts: TestServer;
let orgID: string;

beforeAll(async () => {
  ts = await startTestServer({
    setup: true,
    deps: {
      openStorage: async (dir, { clock, logger, settings }) => {
        const engine = await Engine.open({ dataDir: dir, clock, logger, ...settings });
        return new Proxy(engine, {
          get(target, property) {
            if (property === 'read') {
              return async function* (r: ReadRequest): AsyncIterable<SeriesBatch> {
                do for await (const b of target.read(r)) yield b;
                while (r.startNs >= ENDLESS_FROM);
              };
            }
            const v: unknown = Reflect.get(target, property, target);
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        });
      },
    },
  });
  orgID = ts.onboarded!.orgID;
  const res = await fetch(`${ts.url}/api/v2/write?org=acme&bucket=telemetry`, {
    method: 'POST',
    headers: { authorization: `Token ${ts.token}` },
    body: `m,host=a v=1 ${ENDLESS_FROM}\nm,host=b v=2 ${ENDLESS_FROM}`,
  });
  expect(res.status).toBe(204);
});
afterAll(async () => {
  await ts.cleanup();
});

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${ts.url}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    if (want.every((w) => m[2]!.split(',').includes(w))) return Number(m[3]);
  }
  return 0;
}

/** Polls `/metrics` until `name{labels}` is `value` (the test's own time limit bounds it). */
async function until(name: string, labels: Record<string, string>, value: number): Promise<void> {
  while ((await metric(name, labels)) !== value) await new Promise((r) => setTimeout(r, 20));
}

describe('client disconnect over HTTP', () => {
  it('a query that has written nothing yet stops when its client closes the connection', async () => {
    const req = request(`${ts.url}/api/v2/query?org=acme`, {
      method: 'POST',
      headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/vnd.flux' },
    });
    req.on('error', () => undefined); // the socket is destroyed on purpose
    req.end(ENDLESS_QUERY);
    await until('qc_executing_active', { org: orgID }, 1);
    req.destroy();
    await until('qc_executing_active', { org: orgID }, 0);
    expect(await metric('qc_requests_total', { org: orgID, result: 'runtime_error' })).toBe(1);
    expect(await metric('qc_all_active', { org: orgID })).toBe(0);
    // And the server goes on answering.
    const res = await fetch(`${ts.url}/api/v2/query?org=acme`, {
      method: 'POST',
      headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/vnd.flux' },
      body: 'from(bucket: "telemetry") |> range(start: 2030-01-01T00:00:00Z, stop: 2030-12-31T00:00:00Z) |> count()',
    });
    expect(res.status).toBe(200);
    await res.text();
    expect(await metric('qc_requests_total', { org: orgID, result: 'success' })).toBe(1);
    expect(await metric('qc_all_duration_seconds_count', { org: orgID })).toBe(2);
    expect(await metric('qc_compiling_duration_seconds_count', { org: orgID, compiler_type: 'flux' })).toBe(2);
  }, 20_000);

  it('a query that does not compile is counted as a compile error', async () => {
    const res = await fetch(`${ts.url}/api/v2/query?org=acme`, {
      method: 'POST',
      headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/vnd.flux' },
      body: 'x = y',
    });
    expect(res.status).toBe(400);
    expect(await metric('qc_requests_total', { org: orgID, result: 'compile_error' })).toBe(1);
  });
});
