import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InfluxDB } from '@influxdata/influxdb-client';
import { AuthorizationsAPI, BucketsAPI, DeleteAPI } from '@influxdata/influxdb-client-apis';
import { afterEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../src/core/errors.js';
import { LOCK_FILE } from '../src/server/data-dir-lock.js';
import { storageRows } from './helpers/storage-rows.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0).reverse()) await s.cleanup();
});
async function started(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(options);
  servers.push(s);
  return s;
}

const post = (ts: TestServer, path: string, body: string, token = ts.token): Promise<Response> =>
  fetch(`${ts.url}${path}`, { method: 'POST', headers: { authorization: `Token ${token}` }, body });

describe('restart', () => {
  it('keeps setup, buckets, tokens and data', async () => {
    const first = await started({ setup: true });
    const orgID = first.onboarded!.orgID;
    const api = new BucketsAPI(new InfluxDB({ url: first.url, token: first.token }));
    const extra = await api.postBuckets({ body: { orgID, name: 'extra', retentionRules: [] } });
    const scoped = await new AuthorizationsAPI(new InfluxDB({ url: first.url, token: first.token })).postAuthorizations({
      body: { orgID, permissions: [{ action: 'write', resource: { type: 'buckets', orgID, id: extra.id! } }] },
    });
    expect((await post(first, '/api/v2/write?org=acme&bucket=extra', 'm,h=a v=1 1\nm,h=a v=2 2', scoped.token!)).status).toBe(204);

    const second = await first.restart();
    servers[servers.indexOf(first)] = second;
    expect(await (await fetch(`${second.url}/api/v2/setup`)).json()).toEqual({ allowed: false });
    const names = (await new BucketsAPI(new InfluxDB({ url: second.url, token: second.token })).getBuckets({ orgID })).buckets!.map((b) => b.name);
    expect(names).toEqual(['telemetry', '_tasks', '_monitoring', 'extra']);
    expect(await storageRows(second.server.openedStorage!, extra.id!)).toEqual(['m,h=a v=1 1', 'm,h=a v=2 2']);
    expect((await post(second, '/api/v2/write?org=acme&bucket=extra', 'm,h=a v=3 3', scoped.token!)).status).toBe(204);
  });
});

describe('data dir lock', () => {
  it('refuses a second server on the same data dir with a clear message, and allows it after stop', async () => {
    const first = await started({});
    const err = await startTestServer({ dataDir: first.dataDir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as Error).message).toBe(
      `data directory ${first.dataDir} is in use by another sluice process (pid ${process.pid}); ` +
        `stop that process first, or remove ${join(first.dataDir, LOCK_FILE)} if no sluice is running`,
    );
    await first.stop();
    const second = await startTestServer({ dataDir: first.dataDir });
    await second.stop();
  });

  it('takes over a stale lock left by a dead process', async () => {
    const first = await started({});
    await first.stop();
    // A PID far above pid_max on Linux cannot be running.
    writeFileSync(join(first.dataDir, LOCK_FILE), '99999999\n');
    const second = await startTestServer({ dataDir: first.dataDir });
    await second.stop();
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight write, then refuses new connections', async () => {
    const ts = await started({ setup: true });
    const bucketID = ts.onboarded!.bucketID;
    const storage = ts.server.openedStorage!;
    const req = request(`${ts.url}/api/v2/write?org=acme&bucket=telemetry`, {
      method: 'POST',
      headers: { authorization: `Token ${ts.token}`, 'transfer-encoding': 'chunked' },
    });
    const status = new Promise<number>((resolve, reject) => {
      req.on('response', (r) => {
        r.resume();
        resolve(r.statusCode!);
      });
      req.on('error', reject);
    });
    req.write('inflight v=1 1\n');
    await new Promise((r) => setTimeout(r, 50));
    const stopped = ts.server.stop();
    expect(ts.server.lifecycleState).toBe('stopping');
    req.end('inflight v=2 2\n');
    expect(await status).toBe(204);
    await stopped;
    await expect(fetch(`${ts.url}/ping`)).rejects.toThrow();
    // The acknowledged write is durable: it is there after a restart.
    const again = await ts.restart();
    servers[servers.indexOf(ts)] = again;
    expect(storage).not.toBe(again.server.openedStorage);
    expect(await storageRows(again.server.openedStorage!, bucketID)).toEqual(['inflight v=1 1', 'inflight v=2 2']);
  });
});

describe('components', () => {
  it('serves their routes, starts them before ready and stops them before storage closes', async () => {
    const events: string[] = [];
    const { LineParser } = await import('../src/lineprotocol/line-parser.js');
    const parser = new LineParser();
    let bucketID = '';
    const ts = await started({
      setup: true,
      deps: {
        components: ({ storage }) => [
          {
            name: 'probe',
            routes: () => [{ method: 'GET', path: '/api/v2/probe', auth: 'token', handler: () => ({ status: 200, json: { events } }) }],
            start: () => {
              events.push(`start ${storage().stats().series >= 0 ? 'with storage' : ''}`);
              return Promise.resolve();
            },
            // A last write from a component that is stopping must still reach storage.
            stop: async () => {
              events.push('stop');
              await storage().write(bucketID, parser.parse('fromstop v=1 1', { precision: 'ns', defaultTimeNs: 0n }));
            },
          },
        ],
      },
    });
    bucketID = ts.onboarded!.bucketID;
    const res = await fetch(`${ts.url}/api/v2/probe`, { headers: { authorization: `Token ${ts.token}` } });
    expect(await res.json()).toEqual({ events: ['start with storage'] });
    expect((await fetch(`${ts.url}/api/v2/probe`)).status).toBe(401);
    const again = await ts.restart();
    servers[servers.indexOf(ts)] = again;
    expect(events).toEqual(['start with storage', 'stop', 'start with storage']);
    expect(await storageRows(again.server.openedStorage!, bucketID)).toEqual(['fromstop v=1 1']);
  });
});

describe('hostile input', () => {
  it('survives malformed requests and keeps serving', async () => {
    const ts = await started({ setup: true });
    const { hostname: host, port } = new URL(ts.url);
    const { connect } = await import('node:net');
    // `halfClose` sends FIN after the payload (a client that goes away mid-request).
    const rawExchange = (payload: string, halfClose = false): Promise<string> =>
      new Promise((resolve) => {
        const socket = connect({ host, port: Number(port) }, () => (halfClose ? socket.end(payload) : socket.write(payload)));
        let data = '';
        socket.on('data', (d) => (data += d.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', () => resolve(data));
      });
    expect(await rawExchange('GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawExchange('GET /%zz%%% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 (400|404)/);
    expect(await rawExchange(`POST /api/v2/write?org=acme&bucket=telemetry HTTP/1.1\r\nHost: x\r\nAuthorization: Token ${ts.token}\r\nContent-Length: 100\r\n\r\ntrunc v=1`, true)).not.toMatch(/^HTTP\/1\.1 2/);
    const big = await post(ts, '/api/v2/write?org=acme&bucket=telemetry', 'x'.repeat(70_000) + ' v=1');
    expect(big.status).toBe(400);
    const bomb = await fetch(`${ts.url}/api/v2/buckets`, {
      method: 'POST',
      headers: { authorization: `Token ${ts.token}` },
      body: '{"a":'.repeat(100_000),
    });
    expect(bomb.status).toBe(400);
    // Clients that vanish mid-body, with identity and gzip bodies.
    for (const encoding of ['identity', 'gzip']) {
      const req = request(`${ts.url}/api/v2/write?org=acme&bucket=telemetry`, {
        method: 'POST',
        headers: { authorization: `Token ${ts.token}`, 'content-encoding': encoding, 'transfer-encoding': 'chunked' },
      });
      req.on('error', () => undefined);
      req.write(encoding === 'gzip' ? gzipSync(Buffer.from('gone v=1 1\n'.repeat(1000))).subarray(0, 100) : 'gone v=1 1\n');
      await new Promise((r) => setTimeout(r, 20));
      req.destroy();
    }
    await new Promise((r) => setTimeout(r, 20));
    expect((await fetch(`${ts.url}/ping`)).status).toBe(204);
    // The truncated writes stored nothing.
    expect(await storageRows(ts.server.openedStorage!, ts.onboarded!.bucketID)).toEqual([]);
  });
});

describe('idle keep-alive connections', () => {
  /** A raw keep-alive connection: `ask` sends GET /ping and resolves with the response's status line ('closed' if the server closed it). */
  async function keepAlive(url: string): Promise<{ ask(): Promise<string>; closed: Promise<void>; end(): void }> {
    const { connect } = await import('node:net');
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port) });
    await new Promise((r) => socket.once('connect', r));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    return {
      ask: () =>
        new Promise((resolve) => {
          void closed.then(() => resolve('closed'));
          socket.once('data', (d) => resolve(d.toString().split('\r\n')[0]!));
          if (!socket.destroyed) socket.write('GET /ping HTTP/1.1\r\nHost: x\r\n\r\n');
        }),
      closed,
      end: () => socket.destroy(),
    };
  }

  it('keeps an idle connection for --http-idle-timeout, then closes it', async () => {
    const ts = await started({ config: { idleTimeoutMs: 300 } });
    const c = await keepAlive(ts.url);
    expect(await c.ask()).toBe('HTTP/1.1 204 No Content');
    const t0 = Date.now();
    await c.closed;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('tells clients it keeps idle connections 3 minutes by default (Keep-Alive: timeout=180)', async () => {
    const ts = await started({});
    const res = await fetch(`${ts.url}/ping`);
    expect(res.headers.get('keep-alive')).toBe('timeout=180');
  });
});

describe('slow clients', () => {
  it('answers 408 and closes a connection that does not finish its headers in time', async () => {
    const ts = await started({ config: { readHeaderTimeoutMs: 300, requestTimeoutMs: 1000 } });
    const { connect } = await import('node:net');
    const { hostname, port } = new URL(ts.url);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => socket.write('GET /ping HTTP/1.1\r\nHost: x\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect((await fetch(`${ts.url}/ping`)).status).toBe(204);
  });
});

describe('delete', () => {
  it('deletes by time range (inclusive) and predicate through DeleteAPI', async () => {
    const ts = await started({ setup: true });
    const { bucketID } = ts.onboarded!;
    const lines = ['cpu,host=a v=1 10', 'cpu,host=a v=2 20', 'cpu,host=a v=3 30', 'cpu,host=b v=4 20', 'mem,host=a v=5 20'];
    expect((await post(ts, '/api/v2/write?org=acme&bucket=telemetry', lines.join('\n'))).status).toBe(204);
    const del = new DeleteAPI(new InfluxDB({ url: ts.url, token: ts.token }));
    await del.postDelete({
      org: 'acme',
      bucket: 'telemetry',
      body: { start: '1970-01-01T00:00:00.00000002Z', stop: '1970-01-01T00:00:00.00000003Z', predicate: '_measurement="cpu" AND host="a"' },
    });
    expect(await storageRows(ts.server.openedStorage!, bucketID)).toEqual(['cpu,host=a v=1 10', 'cpu,host=b v=4 20', 'mem,host=a v=5 20']);
    await del.postDelete({ orgID: ts.onboarded!.orgID, bucketID, body: { start: '1970-01-01T00:00:00Z', stop: '2000-01-01T00:00:00Z' } });
    expect(await storageRows(ts.server.openedStorage!, bucketID)).toEqual([]);
  });

  it('answers delete errors as InfluxDB does', async () => {
    const ts = await started({ setup: true });
    const call = async (query: string, body: unknown): Promise<[number, unknown]> => {
      const res = await fetch(`${ts.url}/api/v2/delete?${query}`, {
        method: 'POST',
        headers: { authorization: `Token ${ts.token}` },
        body: JSON.stringify(body),
      });
      return [res.status, await res.json()];
    };
    const range = { start: '2020-01-01T00:00:00Z', stop: '2020-01-02T00:00:00Z' };
    expect(await call('org=acme&bucket=telemetry', { ...range, start: 'yesterday' })).toEqual([
      400,
      {
        code: 'invalid',
        message:
          'error decoding json body: invalid RFC3339Nano for field start, please format your time with RFC3339Nano format, example: 2009-01-02T23:00:00Z',
      },
    ]);
    expect(await call('org=acme&bucket=telemetry', { ...range, predicate: '_field="v"' })).toEqual([
      501,
      { code: 'not implemented', message: 'delete by field is not supported' },
    ]);
    expect(await call('org=acme&bucket=telemetry', { ...range, predicate: 'a="x" OR b="y"' })).toEqual([
      400,
      { code: 'invalid', message: 'error decoding json body: the logical operator OR is not supported yet at position 6' },
    ]);
    expect(await call('org=acme&bucket=nope', range)).toEqual([404, { code: 'not found', message: 'bucket "nope" not found' }]);
    expect(await call('org=acme', range)).toEqual([400, { code: 'invalid', message: 'Please provide either bucketID or bucket' }]);
  });
});

describe('metrics', () => {
  it('exposes requests by route and status, write volume, storage and process metrics', async () => {
    const ts = await started({ setup: true });
    expect((await post(ts, '/api/v2/write?org=acme&bucket=telemetry', 'm,h=a v=1,w=2 1\nm,h=b v=3 2')).status).toBe(204);
    await fetch(`${ts.url}/api/v2/nope`);
    const res = await fetch(`${ts.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('sluice_http_requests_total{route="/api/v2/write",method="POST",status="204"} 1');
    expect(text).toContain('sluice_http_requests_total{route="unmatched",method="GET",status="404"} 1');
    expect(text).toContain('sluice_write_values_total 3');
    expect(text).toContain('sluice_write_points_total 2');
    expect(text).toMatch(/^sluice_storage_series \d+$/m);
    expect(text).toMatch(/^sluice_storage_wal_bytes \d+$/m);
    expect(text).toContain('process_cpu_user_seconds_total');
    // Sampled every 100 ms (EVENT_LOOP_SAMPLE_MS), not prom-client's 10 ms, but still exposed.
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
  });

  it('can require a token on /metrics', async () => {
    const ts = await started({ setup: true, config: { metricsRequireAuth: true } });
    expect((await fetch(`${ts.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${ts.url}/metrics`, { headers: { authorization: `Token ${ts.token}` } })).status).toBe(200);
  });
});

describe('start failures', () => {
  it('reports a busy port clearly and releases the data dir', async () => {
    const first = await started({});
    const port = new URL(first.url).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-busy-'));
    try {
      const err = await startTestServer({ dataDir, config: { httpBindAddress: `127.0.0.1:${port}` } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as Error).message).toMatch(new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port}: listen EADDRINUSE`));
      // The failed start released its lock: the same dir starts fine on a free port.
      await (await startTestServer({ dataDir })).stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('TLS', () => {
  it('serves HTTPS with --tls-cert and --tls-key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-tls-'));
    try {
      const cert = join(dir, 'cert.pem');
      const key = join(dir, 'key.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
        stdio: 'ignore',
      });
      const ts = await started({ config: { tlsCertPath: cert, tlsKeyPath: key } });
      expect(ts.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(`${ts.url}/ping`, { ca: readFileSync(cert) }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(204);
      // Plain HTTP on the TLS port gets nothing useful.
      await expect(fetch(ts.url.replace('https:', 'http:') + '/ping')).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
