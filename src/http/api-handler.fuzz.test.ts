import { request, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { ErrorCode, SluiceError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { MetaStore } from '../meta/meta-store.js';
import type { ApiDeps } from './api-context.js';
import { createApiHandler } from './api-handler.js';
import { ApiMetrics } from './api-metrics.js';
import { apiRoutes } from './api-routes.js';
import { WriteLimiter } from './write-limiter.js';

/**
 * Property: whatever method, path, query, headers and body a client sends, the API answers with
 * a well-formed status below 500 (storage is absent here, so a storage-bound route may answer 503)
 * and JSON errors, and keeps serving.
 */
let server: Server;
let port: number;
let meta: MetaStore;
let token: string;

beforeAll(async () => {
  meta = MetaStore.open(':memory:');
  token = meta.setup({ username: 'admin', org: 'acme', bucket: 'telemetry' }).token;
  const deps: ApiDeps = {
    meta,
    storage: () => {
      throw new SluiceError(ErrorCode.Unavailable, 'no storage in this test');
    },
    parseLines: () => [],
    clock: new FakeClock(),
    logger: silentLogger(),
    metrics: new ApiMetrics(() => undefined, { processMetrics: false }),
    lifecycle: { state: 'ready', startedAtMs: 0 },
    writeLimiter: new WriteLimiter(0),
    options: { maxBodyBytes: 4096, maxConcurrentWrites: 0, metricsRequireAuth: false, version: 'v2.7.11', commit: 'test' },
  };
  server = createServer(createApiHandler(deps, apiRoutes()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  meta.close();
});

function send(method: string, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; type: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers } });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], text }));
    });
    req.on('error', reject);
    // Framed explicitly: node sends a DELETE body with neither Content-Length nor chunking.
    if (method === 'GET' || method === 'HEAD') req.end();
    else {
      req.setHeader('content-length', Buffer.byteLength(body));
      req.end(body);
    }
  });
}

const segment = fc.oneof(
  fc.constantFrom('api', 'v2', 'buckets', 'orgs', 'users', 'authorizations', 'labels', 'dbrps', 'write', 'delete', 'setup', 'me', 'signin', 'members', 'password', 'ping', 'health'),
  fc.constantFrom('0000000000000000', 'ffffffffffffffff', '%zz', '%00', '..', '', 'a%2Fb'),
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,20}$/),
);
const query = fc.array(
  fc.tuple(
    fc.constantFrom('org', 'orgID', 'bucket', 'bucketID', 'precision', 'limit', 'offset', 'after', 'name', 'id', 'db', 'rp', 'p', 'descending'),
    fc.oneof(fc.constantFrom('acme', 'telemetry', '-1', '1000', 'ns', 'x'), fc.stringMatching(/^[A-Za-z0-9]{0,12}$/)),
  ),
  { maxLength: 4 },
);
const body = fc.oneof(
  fc.constant(''),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom('{"orgID":', '[]', 'null', '{"permissions":[{}]}', '{"start":"x","stop":5}', 'm v=1 1'),
  fc.string({ maxLength: 200 }),
);

describe('API under arbitrary requests', () => {
  it('never answers 5xx (other than 503 for the absent storage) and errors are JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        query,
        body,
        fc.constantFrom<Record<string, string>>({}, { authorization: 'Token nope' }, { authorization: 'Basic !!' }, { 'content-encoding': 'gzip' }),
        fc.boolean(),
        async (method, segments, params, payload, extraHeaders, withToken) => {
          const qs = new URLSearchParams(params).toString();
          const path = `/${segments.join('/')}${qs === '' ? '' : `?${qs}`}`;
          const headers: Record<string, string> = { ...extraHeaders };
          if (withToken) headers['authorization'] = `Token ${token}`;
          const r = await send(method, path, headers, payload);
          expect(r.status === 503 || r.status < 500).toBe(true);
          if (r.status >= 400 && method !== 'HEAD') {
            expect(r.type).toBe('application/json; charset=utf-8');
            const parsed = JSON.parse(r.text) as { code: unknown; message: unknown };
            expect(typeof parsed.code).toBe('string');
            expect(typeof parsed.message).toBe('string');
          }
        },
      ),
      { numRuns: 400 },
    );
    expect((await send('GET', '/ping', {}, '')).status).toBe(204);
  });
});
