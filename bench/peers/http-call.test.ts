import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_BODY_BYTES, HttpCaller } from './http-call.js';

const SIZE = 1024 * 1024;
let server: Server;
let url = '';
/** Connections the server accepted, and the requests it saw (method, path, headers, body). */
let connections = 0;
let seen: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(parts).toString() });
      if (req.url!.startsWith('/echo')) {
        res.writeHead(201, { 'content-type': 'text/plain', 'content-length': String(Buffer.concat(parts).length) });
        res.end(Buffer.concat(parts));
        return;
      }
      if (req.url === '/close') {
        res.writeHead(200, { connection: 'close', 'content-length': '5' });
        res.end('bye\r\n');
        return;
      }
      if (req.url === '/none') {
        res.writeHead(204);
        res.end();
        return;
      }
      if (req.url === '/slow') {
        // Chunked, in small pieces with pauses: the reply arrives over many reads.
        res.writeHead(200, { 'content-type': 'text/plain' });
        let k = 0;
        const next = (): void => {
          if (k === 20) return void res.end();
          res.write(`piece ${k++};`);
          setTimeout(next, 2);
        };
        return next();
      }
      res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'text/plain' });
      const block = Buffer.alloc(16 * 1024, 120);
      for (let sent = 0; sent < SIZE; sent += block.length) res.write(block);
      res.end();
    });
  });
  server.on('connection', () => connections++);
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
    expect(reply.body.every((b) => b === 120)).toBe(true);
    expect(reply.elapsedMs).toBeGreaterThan(0);
  });

  it('with dropBody reads a 2xx body to the end but keeps only its head', async () => {
    const http = new HttpCaller();
    const reply = await http.call({ method: 'GET', url: `${url}/ok`, dropBody: true });
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(ERROR_BODY_BYTES);
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

  it('sends the method, path, query, headers and body', async () => {
    const http = new HttpCaller();
    seen = [];
    const reply = await http.call({ method: 'POST', url: `${url}/echo?org=a%20b`, headers: { Authorization: 'Token t', 'content-type': 'application/json' }, body: '{"q":"ü"}' });
    http.close();
    expect(reply.status).toBe(201);
    expect(reply.body.toString()).toBe('{"q":"ü"}');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/echo?org=a%20b', body: '{"q":"ü"}' });
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Token t', 'content-type': 'application/json', 'accept-encoding': 'identity', 'content-length': '10' });
  });

  it('a caller header replaces the default of the same name, whatever its case', async () => {
    const http = new HttpCaller();
    seen = [];
    await http.call({ method: 'GET', url: `${url}/none`, headers: { 'ACCEPT-ENCODING': 'gzip' } });
    http.close();
    expect(seen[0]!.headers['accept-encoding']).toBe('gzip');
  });

  it('reuses one kept-alive connection for calls one after another', async () => {
    const http = new HttpCaller();
    const before = connections;
    for (let i = 0; i < 5; i++) expect((await http.call({ method: 'GET', url: `${url}/none` })).status).toBe(204);
    expect((await http.call({ method: 'GET', url: `${url}/slow` })).body.toString()).toBe(Array.from({ length: 20 }, (_, k) => `piece ${k};`).join(''));
    expect(connections - before).toBe(1);
    http.close();
  });

  it('opens a connection for each concurrent call', async () => {
    const http = new HttpCaller();
    const before = connections;
    const replies = await Promise.all(Array.from({ length: 4 }, () => http.call({ method: 'GET', url: `${url}/slow` })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(connections - before).toBe(4);
    // Afterwards they are all idle, and reused.
    await Promise.all(Array.from({ length: 4 }, () => http.call({ method: 'GET', url: `${url}/none` })));
    expect(connections - before).toBe(4);
    http.close();
  });

  it('does not reuse a connection the server said it closes', async () => {
    const http = new HttpCaller();
    const before = connections;
    expect((await http.call({ method: 'GET', url: `${url}/close` })).body.toString()).toBe('bye\r\n');
    expect((await http.call({ method: 'GET', url: `${url}/none` })).status).toBe(204);
    expect(connections - before).toBe(2);
    http.close();
  });

  it('asks again on a new connection when the server drops a kept-alive one', async () => {
    // A server that answers the first request on a connection and drops it at the second, as one
    // whose idle timeout fires just as the request goes out.
    let accepted = 0;
    const rude: TcpServer = createTcpServer((socket) => {
      accepted++;
      let requests = 0;
      socket.on('data', () => {
        if (++requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
        else socket.destroy();
      });
    });
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    const rudeUrl = `http://127.0.0.1:${(rude.address() as AddressInfo).port}/`;
    const http = new HttpCaller();
    expect((await http.call({ method: 'GET', url: rudeUrl })).body.toString()).toBe('ok');
    expect((await http.call({ method: 'GET', url: rudeUrl })).body.toString()).toBe('ok');
    expect(accepted).toBe(2);
    http.close();
    await new Promise<void>((resolve) => rude.close(() => resolve()));
  });

  it('rejects a reply cut short, and a refused connection', async () => {
    const cut: TcpServer = createTcpServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this'));
    });
    await new Promise<void>((resolve) => cut.listen(0, '127.0.0.1', resolve));
    const port = (cut.address() as AddressInfo).port;
    const http = new HttpCaller();
    await expect(http.call({ method: 'GET', url: `http://127.0.0.1:${port}/` })).rejects.toThrow(/closed before the reply was complete/);
    await new Promise<void>((resolve) => cut.close(() => resolve()));
    await expect(http.call({ method: 'GET', url: `http://127.0.0.1:${port}/` })).rejects.toThrow(/ECONNREFUSED/);
    http.close();
  });

  it('rejects a reply that is not HTTP', async () => {
    const odd: TcpServer = createTcpServer((socket) => socket.once('data', () => socket.write('SSH-2.0-OpenSSH_9\r\n\r\n')));
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    const http = new HttpCaller();
    await expect(http.call({ method: 'GET', url: `http://127.0.0.1:${(odd.address() as AddressInfo).port}/` })).rejects.toThrow(/not an HTTP\/1.x status line/);
    http.close();
    await new Promise<void>((resolve) => odd.close(() => resolve()));
  });
});
