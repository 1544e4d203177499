import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_BODY_BYTES, HttpCaller } from './http-call.js';

const SIZE = 1024 * 1024;
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'text/plain' });
    const block = Buffer.alloc(16 * 1024, 120);
    for (let sent = 0; sent < SIZE; sent += block.length) res.write(block);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('HttpCaller', () => {
  it('keeps the whole body by default', async () => {
    const http = new HttpCaller();
    const reply = await http.call({ method: 'GET', url: `${url}/ok` });
    http.close();
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(SIZE);
  });

  it('with dropBody reads a 2xx body to the end but keeps only its head', async () => {
    const http = new HttpCaller();
    const reply = await http.call({ method: 'GET', url: `${url}/ok`, dropBody: true });
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBeGreaterThanOrEqual(ERROR_BODY_BYTES);
    expect(reply.body.length).toBeLessThan(SIZE / 2);
    // The connection is reusable: the body was read to its end.
    expect((await http.call({ method: 'GET', url: `${url}/ok` })).body.length).toBe(SIZE);
    http.close();
  });

  it('with dropBody still keeps all of an error reply', async () => {
    const http = new HttpCaller();
    const reply = await http.call({ method: 'GET', url: `${url}/fail`, dropBody: true });
    http.close();
    expect(reply.status).toBe(500);
    expect(reply.body.length).toBe(SIZE);
  });
});
