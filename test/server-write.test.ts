import { Agent, request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { HttpError, InfluxDB, Point, setLogger } from '@influxdata/influxdb-client';
import { BucketsAPI, DbrpsAPI } from '@influxdata/influxdb-client-apis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden } from './helpers/golden.js';
import { storageRows } from './helpers/storage-rows.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// The client logs failed writes to the console; the tests assert on them instead.
setLogger({ error: () => undefined, warn: () => undefined });

let ts: TestServer;
let readOnlyToken: string;

beforeAll(async () => {
  ts = await startTestServer({ setup: true, config: { maxBodyBytes: 1024 * 1024 } });
  const { orgID, bucketID } = ts.onboarded!;
  const res = await fetch(`${ts.url}/api/v2/authorizations`, {
    method: 'POST',
    headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ orgID, permissions: [{ action: 'read', resource: { type: 'buckets', orgID, id: bucketID } }] }),
  });
  readOnlyToken = ((await res.json()) as { token: string }).token;
});
afterAll(async () => {
  await ts.cleanup();
});

const rows = (): Promise<string[]> => storageRows(ts.server.openedStorage!, ts.onboarded!.bucketID);

interface Observed {
  status: number;
  contentType: string | null;
  platformErrorCode: string | null;
  retryAfter?: string | null;
  body: unknown;
}

async function observe(res: Response): Promise<Observed> {
  const text = await res.text();
  const out: Observed = {
    status: res.status,
    contentType: res.headers.get('content-type'),
    platformErrorCode: res.headers.get('x-platform-error-code'),
    body: text === '' ? '' : (JSON.parse(text) as unknown),
  };
  if (res.headers.has('retry-after')) out.retryAfter = res.headers.get('retry-after');
  return out;
}

describe('POST /api/v2/write with the official client', () => {
  it('writes small (identity) and large (gzip, chunked) batches', async () => {
    const before = (await rows()).length;
    const client = new InfluxDB({ url: ts.url, token: ts.token });
    const small = client.getWriteApi('acme', 'telemetry', 's', { maxRetries: 0 });
    small.writePoint(new Point('client').tag('host', 'a').floatField('v', 1.5).timestamp(1_700_000_000));
    await small.close();

    const big = client.getWriteApi('acme', 'telemetry', 'ns', { maxRetries: 0, batchSize: 10_000 });
    for (let i = 0; i < 500; i++) {
      big.writePoint(new Point('client').tag('host', 'b').intField('n', i).timestamp(1_700_000_000_000_000_000n + BigInt(i) * 1_000_000_000n + ''));
    }
    await big.close();
    const after = await rows();
    expect(after.length - before).toBe(501);
    expect(after).toContain('client,host=a v=1.5 1700000000000000000');
    expect(after).toContain('client,host=b n=499 1700000499000000000');
  });

  it('reports a parse error as HttpError 400 with InfluxDB\'s message, writing nothing', async () => {
    const before = await rows();
    const client = new InfluxDB({ url: ts.url, token: ts.token });
    const w = client.getWriteApi('acme', 'telemetry', 'ns', { maxRetries: 0 });
    w.writeRecords(['ok v=1 1', 'bad v=', 'ok v=2 2']);
    const err = await w.flush().then(
      () => undefined,
      (e: unknown) => e,
    );
    await w.close().catch(() => undefined);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).statusCode).toBe(400);
    expect((err as HttpError).json).toEqual({ code: 'invalid', message: "unable to parse 'bad v=': missing field value" });
    expect(await rows()).toEqual(before);
  });
});

describe('POST /api/v2/write status codes and bodies', () => {
  const write = (query: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${ts.url}/api/v2/write?${query}`, {
      method: 'POST',
      headers: { authorization: `Token ${ts.token}`, ...headers },
      body,
    });

  it('answers every error with its status, code header and JSON body (golden)', async () => {
    const cases: Record<string, () => Promise<Response>> = {
      'no token': () => fetch(`${ts.url}/api/v2/write?org=acme&bucket=telemetry`, { method: 'POST', body: 'm v=1' }),
      'unknown token': () => write('org=acme&bucket=telemetry', 'm v=1', { authorization: 'Token nope' }),
      'basic scheme': () => write('org=acme&bucket=telemetry', 'm v=1', { authorization: 'Basic YWRtaW46cGFzc3dvcmQ=' }),
      'bad precision': () => write('org=acme&bucket=telemetry&precision=m', 'm v=1'),
      'missing bucket param': () => write('org=acme', 'm v=1'),
      'missing org': () => write('bucket=telemetry', 'm v=1'),
      'unknown org name': () => write('org=nope&bucket=telemetry', 'm v=1'),
      'unknown org id': () => write('orgID=0000000000000001&bucket=telemetry', 'm v=1'),
      'unknown bucket': () => write('org=acme&bucket=nope', 'm v=1'),
      'read-only token': () => write('org=acme&bucket=telemetry', 'm v=1', { authorization: `Token ${readOnlyToken}` }),
      'parse error': () => write('org=acme&bucket=telemetry', 'm v=1 1\nm,t v=2\nm v=x'),
      'reserved tag key': () => write('org=acme&bucket=telemetry', 'm,time=1 v=1'),
      'type conflict is a partial write': () => write('org=acme&bucket=telemetry', 'conflict v=1 1\nconflict v=2i 2\nconflict v=3 3'),
      'corrupt gzip': () => write('org=acme&bucket=telemetry', Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }),
      'body over the limit': () => write('org=acme&bucket=telemetry', 'm v=1 1\n'.repeat(200_000)),
      'gzip body inflating over the limit': () =>
        write('org=acme&bucket=telemetry', gzipSync(Buffer.from('m v=1 1\n'.repeat(200_000))), { 'content-encoding': 'gzip' }),
    };
    const observed: Record<string, Observed> = {};
    for (const [name, run] of Object.entries(cases)) observed[name] = await observe(await run());
    expectGolden('write-errors', observed);
  });

  // Reference §1.4: auth → precision → bucket param → org → bucket → permission → body → parse → store.
  it.each([
    ['auth before precision', 'Token nope', 'org=acme&bucket=telemetry&precision=m', 'm v=1', 401],
    ['precision before bucket param', 'operator', 'org=acme&precision=m', 'm v=1', 400],
    ['bucket param before org', 'operator', '', 'm v=1', 404],
    ['org before bucket lookup', 'operator', 'bucket=nope', 'm v=1', 400],
    ['unknown org before unknown bucket', 'operator', 'org=nope&bucket=nope', 'm v=1', 404],
    ['permission before body size', 'read-only', 'org=acme&bucket=telemetry', 'm v=1 1\n'.repeat(200_000), 403],
    ['permission before parse', 'read-only', 'org=acme&bucket=telemetry', 'not line protocol', 403],
    ['body size before parse', 'operator', 'org=acme&bucket=telemetry', 'bad\n'.repeat(300_000), 413],
  ])('checks in InfluxDB order: %s', async (_name, who, query, body, status) => {
    const authorization = who === 'operator' ? `Token ${ts.token}` : who === 'read-only' ? `Token ${readOnlyToken}` : who;
    const res = await write(query, body, { authorization });
    expect(res.status).toBe(status);
    await res.text();
  });

  it('answers an oversized chunked body with 413 (not a reset) and keeps the connection usable', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: Buffer | string, chunked: boolean): Promise<{ status: number; text: string; reused: boolean }> =>
      new Promise((resolve, reject) => {
        const req = request(`${ts.url}/api/v2/write?org=acme&bucket=telemetry`, {
          method: 'POST',
          agent,
          headers: { authorization: `Token ${ts.token}`, ...(chunked ? { 'transfer-encoding': 'chunked' } : {}) },
        });
        req.on('response', (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, text, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        // Several chunks, as a streaming client sends them.
        const buf = Buffer.from(body);
        for (let i = 0; i < buf.length; i += 64 * 1024) req.write(buf.subarray(i, i + 64 * 1024));
        req.end();
      });
    const big = await send('m v=1 1\n'.repeat(300_000), true);
    expect([big.status, JSON.parse(big.text)]).toEqual([
      413,
      { code: 'request too large', message: 'unable to read data: points batch is too large' },
    ]);
    const next = await send('reuse v=1', false);
    expect([next.status, next.reused]).toEqual([204, true]);
    agent.destroy();
  });

  it('keeps the points of a partial write that did not conflict', async () => {
    const stored = (await rows()).filter((r) => r.startsWith('conflict '));
    expect(stored).toEqual(['conflict v=1 1', 'conflict v=3 3']);
  });

  it.each([
    ['gzip', { 'content-encoding': 'gzip' }],
    ['x-gzip', { 'content-encoding': 'x-gzip' }],
  ])('accepts %s bodies with and without Content-Length', async (_name, headers) => {
    const body = gzipSync(Buffer.from('gz,enc=a v=1 10\ngz,enc=a v=2 20\n'));
    expect((await write('org=acme&bucket=telemetry', body, headers)).status).toBe(204);
    // Chunked: no Content-Length, as the JS client and Telegraf send gzip.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${ts.url}/api/v2/write?org=acme&bucket=telemetry`, {
        method: 'POST',
        headers: { authorization: `Token ${ts.token}`, ...headers },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.write(body.subarray(0, 10));
      setImmediate(() => req.end(body.subarray(10)));
    });
    expect(status).toBe(204);
    expect((await rows()).filter((r) => r.startsWith('gz,'))).toEqual(['gz,enc=a v=1 10', 'gz,enc=a v=2 20']);
  });

  it('accepts Bearer tokens, bucket and org by ID, and stamps points without time with now', async () => {
    const { orgID, bucketID } = ts.onboarded!;
    const before = Date.now();
    const res = await write(`orgID=${orgID}&bucket=${bucketID}&precision=ms`, 'bearer v=1', { authorization: `Bearer ${ts.token}` });
    expect(res.status).toBe(204);
    const row = (await rows()).find((r) => r.startsWith('bearer '))!;
    const ns = BigInt(row.split(' ')[2]!);
    expect(ns % 1_000_000n).toBe(0n);
    expect(Number(ns / 1_000_000n)).toBeGreaterThanOrEqual(before - 1);
  });
});

describe('POST /write (v1)', () => {
  it.each([
    ['u/p query params', `db=telemetry&u=admin&p=TOKEN`, {}],
    ['Token user:token header', 'db=telemetry', { authorization: 'Token admin:TOKEN' }],
    ['Basic header', 'db=telemetry', { authorization: `Basic BASIC` }],
    ['rp autogen', 'db=telemetry&rp=autogen&p=TOKEN', {}],
  ])('writes with %s', async (_name, query, headers: Record<string, string>) => {
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) {
      h[k] = v.replace('TOKEN', ts.token).replace('BASIC', Buffer.from(`admin:${ts.token}`).toString('base64'));
    }
    const res = await fetch(`${ts.url}/write?${query.replace('TOKEN', encodeURIComponent(ts.token))}&precision=s`, {
      method: 'POST',
      headers: h,
      body: 'v1,via=test v=7 1700000000',
    });
    expect([res.status, await res.text()]).toEqual([204, '']);
  });

  it('maps db/rp to bucket "db/rp" and answers errors as v2 JSON', async () => {
    const { orgID } = ts.onboarded!;
    const created = await fetch(`${ts.url}/api/v2/buckets`, {
      method: 'POST',
      headers: { authorization: `Token ${ts.token}` },
      body: JSON.stringify({ orgID, name: 'mydb/short' }),
    });
    expect(created.status).toBe(201);
    const ok = await fetch(`${ts.url}/write?db=mydb&rp=short&p=${encodeURIComponent(ts.token)}`, { method: 'POST', body: 'x v=1 1' });
    expect(ok.status).toBe(204);
    const bucketID = ((await created.json()) as { id: string }).id;
    expect(await storageRows(ts.server.openedStorage!, bucketID)).toEqual(['x v=1 1']);

    const observed = {
      'no mapping': await observe(await fetch(`${ts.url}/write?db=nope&p=${encodeURIComponent(ts.token)}`, { method: 'POST', body: 'x v=1' })),
      'missing db': await observe(await fetch(`${ts.url}/write?p=${encodeURIComponent(ts.token)}`, { method: 'POST', body: 'x v=1' })),
      'bad password': await observe(await fetch(`${ts.url}/write?db=telemetry&u=admin&p=wrong`, { method: 'POST', body: 'x v=1' })),
    };
    expectGolden('write-v1-errors', observed);
  });
});

describe('explicit DBRP mappings', () => {
  it('route v1 writes through /api/v2/dbrps mappings (default when rp is omitted)', async () => {
    const { orgID } = ts.onboarded!;
    const influx = new InfluxDB({ url: ts.url, token: ts.token });
    const buckets = new BucketsAPI(influx);
    const target = await buckets.postBuckets({ body: { orgID, name: 'mapped-target', retentionRules: [] } });
    const other = await buckets.postBuckets({ body: { orgID, name: 'mapped-other', retentionRules: [] } });
    const dbrps = new DbrpsAPI(influx);
    const created = await dbrps.postDBRP({ body: { orgID, bucketID: target.id!, database: 'legacy', retention_policy: 'weekly' } });
    expect(created).toMatchObject({ orgID, bucketID: target.id, database: 'legacy', retention_policy: 'weekly', default: true });
    await dbrps.postDBRP({ body: { orgID, bucketID: other.id!, database: 'legacy', retention_policy: 'daily' } });
    const list = await dbrps.getDBRPs({ orgID, db: 'legacy' });
    expect(list.content!.map((d) => [d.retention_policy, d.default])).toEqual([
      ['weekly', true],
      ['daily', false],
    ]);
    const v1 = (query: string, body: string): Promise<number> =>
      fetch(`${ts.url}/write?${query}&p=${encodeURIComponent(ts.token)}`, { method: 'POST', body }).then((r) => r.status);
    expect(await v1('db=legacy', 'viadefault v=1 1')).toBe(204);
    expect(await v1('db=legacy&rp=daily', 'viadaily v=1 1')).toBe(204);
    expect(await storageRows(ts.server.openedStorage!, target.id!)).toEqual(['viadefault v=1 1']);
    expect(await storageRows(ts.server.openedStorage!, other.id!)).toEqual(['viadaily v=1 1']);
    await dbrps.deleteDBRPID({ dbrpID: created.id!, orgID });
    expect(await v1('db=legacy&rp=weekly', 'x v=1 1')).toBe(404);
  });
});

describe('write limits', () => {
  it('refuses writes over max concurrent writes with 429 and Retry-After', async () => {
    const limited = await startTestServer({ setup: true, config: { maxConcurrentWrites: 1 } });
    try {
      // Hold one write open by sending its body slowly.
      const held = request(`${limited.url}/api/v2/write?org=acme&bucket=telemetry`, {
        method: 'POST',
        headers: { authorization: `Token ${limited.token}`, 'transfer-encoding': 'chunked' },
      });
      const heldStatus = new Promise<number>((resolve, reject) => {
        held.on('response', (r) => {
          r.resume();
          resolve(r.statusCode!);
        });
        held.on('error', reject);
      });
      held.write('held v=1 1\n');
      // Let the server take the slot: poll the in-flight gauge rather than sleeping blindly.
      for (let i = 0; i < 100; i++) {
        const m = await (await fetch(`${limited.url}/metrics`)).text();
        if (/^sluice_http_writes_in_flight 1$/m.test(m)) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const second = await observe(
        await fetch(`${limited.url}/api/v2/write?org=acme&bucket=telemetry`, {
          method: 'POST',
          headers: { authorization: `Token ${limited.token}` },
          body: 'second v=1 1',
        }),
      );
      held.end('held v=2 2\n');
      expect(await heldStatus).toBe(204);
      expectGolden('write-too-many', second);
    } finally {
      await limited.cleanup();
    }
  });
});
