import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, type TimerHandle } from '../../core/clock.js';
import { ErrorCode, SluiceError } from '../../core/errors.js';
import { parseErrorBody, RemoteCall } from './remote-call.js';
import { RemoteError } from './remote-error.js';
import { DEFAULT_REMOTE_OPTIONS, type RemoteOptions } from './remote-options.js';
import { sluiceFailure } from './testing/sluice-failure.js';

/** A real HTTP server on 127.0.0.1 whose handler each test supplies. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function started(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const s = await serve(handler);
  servers.push(s);
  return s.url;
}

function call(url: string, options: Partial<RemoteOptions> = {}, signal?: AbortSignal): RemoteCall {
  return new RemoteCall(
    { url: new URL(`${url}/api/v2/query?org=o`), token: 'tok', contentType: 'application/json', body: '{}' },
    { ...DEFAULT_REMOTE_OPTIONS, ...options },
    signal,
  );
}

describe('RemoteCall', () => {
  it('sends the token, content type and body; streams the body', async () => {
    let seen: { auth: string | undefined; type: string | undefined; body: string } | undefined;
    const url = await started((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = { auth: req.headers.authorization, type: req.headers['content-type'], body };
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.write('a');
        res.end('b');
      });
    });
    const c = call(url);
    const res = await c.response();
    let text = '';
    for await (const chunk of c.chunks(res)) text += Buffer.from(chunk).toString();
    expect(text).toBe('ab');
    expect(seen).toEqual({ auth: 'Token tok', type: 'application/json', body: '{}' });
  });

  it.each([undefined, ''])('with token %j sends no Authorization header', async (token) => {
    let auth: string | undefined = 'unset';
    const url = await started((req, res) => {
      auth = req.headers.authorization;
      res.writeHead(204).end();
    });
    const c = new RemoteCall({ url: new URL(url), token, contentType: 'text/plain', body: '' }, DEFAULT_REMOTE_OPTIONS);
    await c.response();
    c.close();
    expect(auth).toBeUndefined();
  });

  it.each<[string, number, string, string, string]>([
    ['InfluxDB error JSON', 401, 'application/json', '{"code":"unauthorized","message":"unauthorized access"}', 'unauthorized'],
    ['a code we do not know: the status decides', 404, 'application/json', '{"code":"teapot","message":"bucket not found"}', 'not found'],
    ['no code', 400, 'application/json', '{"message":"bad"}', 'invalid'],
  ])('an HTTP error is thrown as the remote says it: %s', async (_name, status, type, body, code) => {
    const url = await started((_req, res) => res.writeHead(status, { 'content-type': type }).end(body));
    const e = await sluiceFailure(call(url).response());
    expect(e).toBeInstanceOf(RemoteError);
    expect(e.code).toBe(code);
    expect(e.message).toBe((JSON.parse(body) as { message: string }).message);
  });

  it('a non-JSON error body is quoted with the status and the request', async () => {
    const url = await started((_req, res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('  maintenance  \n'));
    const e = await sluiceFailure(call(url).response());
    expect(e.code).toBe(ErrorCode.Unavailable);
    expect(e.message).toBe(`Post "${url}/api/v2/query?org=o": 503 Service Unavailable: maintenance`);
  });

  it('no response headers within responseTimeoutMs: a timeout naming the host', async () => {
    const url = await started(() => undefined); // accepts, never answers
    const clock = new FakeClock();
    const c = call(url, { clock, responseTimeoutMs: 5_000 });
    const p = sluiceFailure(c.response());
    clock.advance(4_999);
    clock.advance(1);
    const e = await p;
    expect(e.code).toBe(ErrorCode.Unavailable);
    expect(e.message).toBe(`Post "${url}/api/v2/query?org=o": timeout: no response within 5s from ${new URL(url).host}`);
  });

  it('a body that stalls for idleTimeoutMs: a timeout, after the chunks that came', async () => {
    const url = await started((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('first');
    });
    const clock = new FakeClock();
    const c = call(url, { clock, idleTimeoutMs: 250 });
    const it = c.chunks(await c.response());
    expect(Buffer.from((await it.next()).value as Uint8Array).toString()).toBe('first');
    const next = sluiceFailure(it.next());
    clock.advance(250);
    expect((await next).message).toBe(`Post "${url}/api/v2/query?org=o": timeout: response stalled for 250ms from ${new URL(url).host}`);
  });

  it('an error body that stalls: a timeout, not a hang', async () => {
    const url = await started((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.write('{"code":');
    });
    // A FakeClock that says when the error-body timer (idle, 100 ms) is armed: the headers are in.
    let armed: () => void = () => undefined;
    const bodyTimerArmed = new Promise<void>((resolve) => (armed = resolve));
    const clock = new (class extends FakeClock {
      override setTimer(delayMs: number, fn: () => void): TimerHandle {
        if (delayMs === 100) armed();
        return super.setTimer(delayMs, fn);
      }
    })();
    const p = sluiceFailure(call(url, { clock, idleTimeoutMs: 100 }).response());
    await bodyTimerArmed;
    clock.advance(100);
    expect((await p).message).toBe(`Post "${url}/api/v2/query?org=o": timeout: error response stalled for 100ms from ${new URL(url).host}`);
  });

  it('a timeout of 0 is none: however long the wait, only the cancel ends it', async () => {
    const url = await started(() => undefined); // accepts, never answers
    const clock = new FakeClock();
    const ac = new AbortController();
    const p = sluiceFailure(call(url, { clock, responseTimeoutMs: 0, idleTimeoutMs: 0 }, ac.signal).response());
    clock.advance(365 * 24 * 3600 * 1000);
    const reason = new SluiceError(ErrorCode.Canceled, 'query canceled: time limit');
    ac.abort(reason);
    expect(await p).toBe(reason);
  });

  it('the query being canceled ends the request with the cancel reason', async () => {
    const url = await started(() => undefined);
    const ac = new AbortController();
    const p = sluiceFailure(call(url, {}, ac.signal).response());
    const reason = new SluiceError(ErrorCode.Canceled, 'query canceled: client went away');
    ac.abort(reason);
    expect(await p).toBe(reason);
  });

  it('a consumer that stops reading early closes the connection', async () => {
    let closed: () => void = () => undefined;
    const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
    const url = await started((_req, res) => {
      res.writeHead(200);
      res.write('x');
      res.on('close', () => closed());
    });
    const c = call(url);
    for await (const _ of c.chunks(await c.response())) break;
    // The server never ends the response: only our side closing it settles this.
    await serverSawClose;
  });
});

describe('RemoteCall gzip', () => {
  it('asks for gzip and reads a gzipped body (and a gzipped error body) decompressed', async () => {
    const text = 'x'.repeat(100_000) + 'end';
    let asked: string | undefined;
    const url = await started((req, res) => {
      asked = req.headers['accept-encoding'];
      const error = req.url?.includes('error') === true;
      res.writeHead(error ? 400 : 200, { 'content-encoding': 'gzip', 'content-type': error ? 'application/json' : 'text/csv' });
      res.end(gzipSync(error ? '{"code":"invalid","message":"zipped"}' : text));
    });
    const c = call(url);
    const res = await c.response();
    let got = '';
    for await (const chunk of c.chunks(res)) got += Buffer.from(chunk).toString();
    expect(asked).toBe('gzip');
    expect(got).toBe(text);
    const e = await sluiceFailure(call(`${url}/error`).response());
    expect(e.message).toBe('zipped');
  });

  it('a corrupt gzip body fails the read instead of passing garbage on', async () => {
    const url = await started((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(Buffer.concat([gzipSync('a'.repeat(1000)).subarray(0, 20), Buffer.from('garbage')]));
    });
    const c = call(url);
    const res = await c.response();
    const read = (async () => {
      for await (const _ of c.chunks(res)) void _;
    })();
    const e = await sluiceFailure(read);
    expect(e).toBeInstanceOf(RemoteError);
    expect(e.message).toMatch(new RegExp(`^Post "${url}/api/v2/query\\?org=o": `));
  });
});

describe('RemoteCall address policy (--hardening-enabled)', () => {
  function hostCall(host: string, port: number, policy: 'open' | 'public-only'): RemoteCall {
    return new RemoteCall(
      { url: new URL(`http://${host}:${port}/api/v2/write?org=o`), contentType: 'text/plain', body: 'm f=1' },
      { ...DEFAULT_REMOTE_OPTIONS, addressPolicy: policy },
    );
  }

  it.each([
    ['an IPv4 loopback literal', '127.0.0.1'],
    ['a name that resolves to loopback', 'localhost'],
    ['an IPv4-mapped IPv6 loopback literal', '[::ffff:127.0.0.1]'],
    ['loopback spelled in hex', '0x7f.0.0.1'],
    ['loopback spelled as one decimal number', '2130706433'],
  ])('public-only refuses %s with InfluxDB\'s "no such host" and never connects; open reaches it', async (_name, host) => {
    let requests = 0;
    const s = await serve((_req, res) => {
      requests++;
      res.writeHead(204).end();
    });
    servers.push(s);
    const port = Number(new URL(s.url).port);
    const e = await sluiceFailure(hostCall(host, port, 'public-only').response());
    expect(e).toBeInstanceOf(RemoteError);
    expect(e.code).toBe(ErrorCode.Invalid);
    expect(e.message).toBe('failed to initialize execute state: no such host');
    expect(requests).toBe(0);
    if (host.startsWith('[::ffff:')) return; // the test server listens on IPv4 only
    const c = hostCall(host, port, 'open');
    const res = await c.response();
    c.close();
    expect(res.status).toBe(204);
    expect(requests).toBe(1);
  });

  it('an open connection to loopback is not reused by a public-only request to the same host', async () => {
    let requests = 0;
    const s = await serve((_req, res) => {
      requests++;
      res.writeHead(204).end();
    });
    servers.push(s);
    const port = Number(new URL(s.url).port);
    const open = hostCall('localhost', port, 'open');
    await open.response();
    open.close();
    const e = await sluiceFailure(hostCall('localhost', port, 'public-only').response());
    expect(e.message).toBe('failed to initialize execute state: no such host');
    expect(requests).toBe(1);
  });
});

describe('parseErrorBody', () => {
  it.each<[string, ReturnType<typeof parseErrorBody>]>([
    ['{"code":"not found","message":"bucket \\"x\\" not found"}', { code: 'not found', message: 'bucket "x" not found' }],
    ['{"code":"invalid","message":"compilation failed","error":{"message":"undefined identifier x"}}', { code: 'invalid', message: 'compilation failed: undefined identifier x' }],
    ['{"code":"internal error","message":"","error":"boom"}', { code: 'internal error', message: 'boom' }],
    ['"just text"', { code: undefined, message: 'just text' }],
    ['{"error":"no message"}', undefined],
    ['<html>', undefined],
    ['[]', undefined],
  ])('%s', (text, expected) => {
    expect(parseErrorBody(text)).toEqual(expected);
  });
});
