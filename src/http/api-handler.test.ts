import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { ErrorCode, SluiceError } from '../core/errors.js';
import { Writable } from 'node:stream';
import { createLogger } from '../core/logger.js';
import { MetaStore } from '../meta/meta-store.js';
import type { ApiDeps, LifecycleState, RouteDef } from './api-context.js';
import { createApiHandler } from './api-handler.js';
import { ApiMetrics } from './api-metrics.js';
import { apiRoutes } from './api-routes.js';
import { json } from './reply.js';
import { WriteLimiter } from './write-limiter.js';

let server: Server;
let url: string;
let meta: MetaStore;
let state: LifecycleState;
let logLines: Record<string, unknown>[];

const extra: RouteDef[] = [
  {
    method: 'GET',
    path: '/test/throw-plain',
    auth: 'none',
    handler: () => {
      throw new Error('secret detail');
    },
  },
  {
    method: 'GET',
    path: '/test/reject-sluice',
    auth: 'none',
    handler: () => Promise.reject(new SluiceError(ErrorCode.Conflict, 'already there')),
  },
  {
    method: 'GET',
    path: '/test/internal-with-cause',
    auth: 'none',
    handler: () => {
      throw new SluiceError(ErrorCode.Internal, 'unexpected error writing points to database: EIO', { cause: new Error('disk on fire') });
    },
  },
  { method: 'GET', path: '/test/params/:a/:b', auth: 'none', handler: ({ params }) => json(200, params) },
];

beforeEach(async () => {
  meta = MetaStore.open(':memory:');
  state = 'ready';
  logLines = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const deps: ApiDeps = {
    meta,
    storage: () => {
      throw new SluiceError(ErrorCode.Unavailable, 'no storage in this test');
    },
    parseLines: () => [],
    clock: new FakeClock(),
    logger: createLogger({ level: 'debug', destination: sink }),
    metrics: new ApiMetrics(() => undefined, { processMetrics: false }),
    lifecycle: {
      get state() {
        return state;
      },
      startedAtMs: 0,
    },
    writeLimiter: new WriteLimiter(0),
    options: { maxBodyBytes: 1024, maxConcurrentWrites: 0, metricsRequireAuth: false, version: 'v2.7.11', commit: 'test' },
  };
  server = createServer(createApiHandler(deps, [...apiRoutes(), ...extra]));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  meta.close();
});

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`${url}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? '' : (JSON.parse(text) as unknown) };
}

describe('createApiHandler', () => {
  it('hides non-platform errors behind a generic internal error', async () => {
    const r = await call('/test/throw-plain');
    expect([r.status, r.body, r.headers.get('x-platform-error-code')]).toEqual([
      500,
      { code: 'internal error', message: 'An internal error has occurred - check server logs' },
      'internal error',
    ]);
  });

  it('logs the hidden error in full, with its stack', async () => {
    await call('/test/throw-plain');
    const errors = logLines.filter((l) => l['level'] === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'request failed', route: '/test/throw-plain', err: { message: 'secret detail' } });
    expect((errors[0]!['err'] as { stack: string }).stack).toContain('api-handler.test.ts');
  });

  it('shows an internal SluiceError message to the client and logs its cause', async () => {
    const r = await call('/test/internal-with-cause');
    expect([r.status, r.body]).toEqual([500, { code: 'internal error', message: 'unexpected error writing points to database: EIO' }]);
    const logged = JSON.stringify(logLines.filter((l) => l['level'] === 50));
    expect(logged).toContain('disk on fire');
  });

  it('logs one debug line per request, without the query string', async () => {
    await call('/api/v2/setup?u=admin&p=secret-token');
    await new Promise((r) => setTimeout(r, 10));
    const requests = logLines.filter((l) => l['msg'] === 'request');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ level: 20, method: 'GET', route: '/api/v2/setup', path: '/api/v2/setup', status: 200 });
    expect(JSON.stringify(logLines)).not.toContain('secret-token');
  });

  it('translates rejected promises with their code', async () => {
    const r = await call('/test/reject-sluice');
    expect([r.status, r.body]).toEqual([422, { code: 'conflict', message: 'already there' }]);
  });

  it('decodes path parameters', async () => {
    expect((await call('/test/params/x%2Fy/z')).body).toEqual({ a: 'x/y', b: 'z' });
  });

  it.each(['starting', 'stopping'] as const)('while %s, answers 503 + Retry-After except on probes', async (s) => {
    state = s;
    const r = await call('/api/v2/setup');
    expect([r.status, r.headers.get('retry-after'), (r.body as { code: string }).code]).toEqual([503, '1', 'unavailable']);
    expect((await call('/ping')).status).toBe(204);
    expect((await call('/health')).status).toBe(503);
    expect(((await call('/ready')).body as { status: string }).status).toBe(s);
  });

  it('allows setup without a token only before onboarding', async () => {
    expect((await call('/api/v2/setup')).body).toEqual({ allowed: true });
    meta.setup({ username: 'u', org: 'o', bucket: 'b' });
    expect((await call('/api/v2/setup')).body).toEqual({ allowed: false });
    expect((await call('/api/v2/buckets')).status).toBe(401);
  });

  it('refuses request bodies over the limit with 413', async () => {
    const r = await call('/api/v2/setup', { method: 'POST', body: JSON.stringify({ username: 'x'.repeat(2000) }) });
    expect([r.status, r.body]).toEqual([413, { code: 'request too large', message: 'unable to read data: points batch is too large' }]);
  });

  it('answers HEAD without a body', async () => {
    const r = await call('/api/v2', { method: 'HEAD' });
    expect([r.status, r.body]).toEqual([200, '']);
  });
});
