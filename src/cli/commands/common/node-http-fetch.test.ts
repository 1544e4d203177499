import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpFetch } from './node-http-fetch.js';

/** The node transport's contract with V2Client, against a real HTTP server on 127.0.0.1. */
let server: Server;
let base: string;
const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/empty') {
        res.statusCode = 204;
        return void res.end();
      }
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.statusMessage = req.url === '/missing' ? 'Not Found' : 'OK';
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('content-type', 'text/plain');
      res.end(req.method === 'HEAD' ? undefined : `echo:${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const send = nodeHttpFetch({ rejectUnauthorized: true });

describe('nodeHttpFetch', () => {
  it.each([
    { name: 'a string body with its length', body: 'é=1', length: '4' },
    { name: 'a byte body', body: new Uint8Array([104, 105]), length: '2' },
  ])('sends $name, headers as given, and resolves to the status, headers and streamed body', async ({ body, length }) => {
    const res = await send(new URL(`${base}/echo?x=1`), { method: 'POST', headers: { authorization: 'Token t', 'content-type': 'text/plain' }, body });
    expect([res.status, res.statusText, res.headers.get('content-type'), res.headers.get('set-cookie')]).toEqual([200, 'OK', 'text/plain', 'a=1, b=2']);
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    expect(await res.text()).toBe(`echo:${text}`);
    const req = seen.at(-1)!;
    expect([req.method, req.url, req.headers.authorization, req.headers['content-length'], req.headers['transfer-encoding'], req.body]).toEqual(['POST', '/echo?x=1', 'Token t', length, undefined, text]);
  });

  it.each([
    { name: '204', path: '/empty', method: 'DELETE', status: 204 },
    { name: 'HEAD', path: '/echo', method: 'HEAD', status: 200 },
  ])('a $name answer has no body', async ({ path, method, status }) => {
    const res = await send(new URL(base + path), { method, headers: {}, body: undefined });
    expect([res.status, res.body, await res.text()]).toEqual([status, null, '']);
  });

  it('an error status resolves (the client reads its body)', async () => {
    const res = await send(new URL(`${base}/missing`), { method: 'GET', headers: {}, body: undefined });
    expect([res.status, res.statusText, await res.text()]).toEqual([404, 'Not Found', 'echo:']);
  });

  it('a refused connection rejects as fetch does: TypeError("fetch failed") with the socket error as cause', async () => {
    const failure = await send(new URL('http://127.0.0.1:1/ping'), { method: 'GET', headers: {}, body: undefined }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toBe('fetch failed');
    expect((failure as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });
});
