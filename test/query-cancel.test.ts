import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../src/core/clock.js';
import { SluiceError } from '../src/core/errors.js';
import { ANNOTATED_DIALECT } from '../src/flux/csv/index.js';
import { DEFAULT_QUERY_LIMITS, QueryController } from '../src/query/query-controller.js';
import { QueryService } from '../src/query/query-service.js';
import type { ReadRequest, SeriesBatch, Storage } from '../src/storage/storage.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/** A query stops reading storage when its consumer goes away. */

let ts: TestServer;
const T0 = 1_704_067_200n * 1_000_000_000n;
const SERIES = 50;

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
  const lines = Array.from({ length: SERIES }, (_, i) => `m,host=h${String(i).padStart(2, '0')} v=${i} ${T0}`).join('\n');
  const res = await fetch(`${ts.url}/api/v2/write?org=acme&bucket=telemetry`, { method: 'POST', headers: { authorization: `Token ${ts.token}` }, body: lines });
  expect(res.status).toBe(204);
});
afterAll(async () => {
  await ts.cleanup();
});

describe('cancellation', () => {
  it('a sink failure (client gone) stops the storage read after the first table', async () => {
    const real = ts.server.openedStorage!;
    let yielded = 0;
    let closed = false;
    const counting: Storage = Object.assign(Object.create(real) as Storage, {
      read: async function* (r: ReadRequest): AsyncIterable<SeriesBatch> {
        try {
          for await (const b of real.read(r)) {
            yielded++;
            yield b;
          }
        } finally {
          closed = true;
        }
      },
    });
    const svc = new QueryService({ meta: ts.server.meta, storage: () => counting, controller: new QueryController(DEFAULT_QUERY_LIMITS, new SystemClock()) });
    const ac = new AbortController();
    const gone = new SluiceError('canceled', 'client closed the connection');
    const run = svc.execute(
      {
        query: 'from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-02T00:00:00Z)',
        org: ts.server.meta.orgs.findByName('acme')!,
        auth: { allows: () => true },
        nowNs: T0,
        dialect: ANNOTATED_DIALECT,
        signal: ac.signal,
      },
      () => {
        ac.abort(gone);
        throw gone;
      },
    );
    await expect(run).rejects.toBe(gone);
    expect(closed).toBe(true);
    expect(yielded).toBeLessThan(SERIES);
  });

  it('a time limit stops a query that computes from memory and writes nothing (the event loop gets its turns)', async () => {
    // Storage that never ends, all from memory: the query runs in microtasks only, where no timer
    // can fire unless the query lets the event loop run (ExecContext.checkpoint).
    const real = ts.server.openedStorage!;
    let cycles = 0;
    const endless: Storage = Object.assign(Object.create(real) as Storage, {
      read: async function* (r: ReadRequest): AsyncIterable<SeriesBatch> {
        for (;;) {
          cycles++;
          for await (const b of real.read(r)) yield b;
        }
      },
    });
    const limits = { ...DEFAULT_QUERY_LIMITS, timeoutMs: 200 };
    const svc = new QueryService({ meta: ts.server.meta, storage: () => endless, controller: new QueryController(limits, new SystemClock()) });
    const run = svc.execute(
      {
        query: 'from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-02T00:00:00Z) |> map(fn: (r) => ({r with _value: r._value * 2.0})) |> group() |> count()',
        org: ts.server.meta.orgs.findByName('acme')!,
        auth: { allows: () => true },
        nowNs: T0,
        dialect: ANNOTATED_DIALECT,
        signal: new AbortController().signal,
      },
      () => undefined,
    );
    await expect(run).rejects.toThrow(/query timeout: the query ran longer than the limit of 200 ms/);
    expect(cycles).toBeGreaterThan(1);
  }, 20_000);

  it('cancellation after the last storage batch stops the work on what was read (group, sort, the steps after)', async () => {
    // The client goes away just as storage hands over its last batch: what remains is work from
    // memory (regrouping, sorting, counting), which must see it and stop, not answer.
    const real = ts.server.openedStorage!;
    const ac = new AbortController();
    const gone = new SluiceError('canceled', 'client closed the connection');
    const allRead: Storage = Object.assign(Object.create(real) as Storage, {
      read: async function* (r: ReadRequest): AsyncIterable<SeriesBatch> {
        try {
          for (let i = 0; i < 20; i++) for await (const b of real.read(r)) yield b;
        } finally {
          ac.abort(gone);
        }
      },
    });
    const svc = new QueryService({ meta: ts.server.meta, storage: () => allRead, controller: new QueryController(DEFAULT_QUERY_LIMITS, new SystemClock()) });
    const chunks: string[] = [];
    const run = svc.execute(
      {
        query:
          'from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-02T00:00:00Z) |> map(fn: (r) => ({r with _value: r._value * 2.0})) |> group() |> sort(columns: ["_value"]) |> count()',
        org: ts.server.meta.orgs.findByName('acme')!,
        auth: { allows: () => true },
        nowNs: T0,
        dialect: ANNOTATED_DIALECT,
        signal: ac.signal,
      },
      (chunk) => {
        chunks.push(chunk.toString());
      },
    );
    await expect(run).rejects.toThrow(/client closed the connection/);
    expect(chunks.join('')).not.toContain('_result');
  });

  it('the server survives a client that disconnects mid-response and keeps answering', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = request(`${ts.url}/api/v2/query?org=acme`, {
        method: 'POST',
        headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(e)));
      req.end(JSON.stringify({ query: 'from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-02T00:00:00Z)' }));
    });
    const res = await fetch(`${ts.url}/api/v2/query?org=acme`, {
      method: 'POST',
      headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/vnd.flux' },
      body: 'from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-02T00:00:00Z) |> count() |> group() |> sum()',
    });
    expect(await res.text()).toBe(',result,table,_value\r\n,_result,0,50\r\n\r\n');
  });
});
