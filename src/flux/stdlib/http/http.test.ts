import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRows } from '../experimental/run-tables.js';
import { pathEscape } from './http.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base = '';
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const status = req.url!.startsWith('/fail') ? 500 : 200;
      res.writeHead(status, { 'content-type': 'text/plain', 'x-echo': req.method! });
      res.end(`hello ${req.method}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('http.post', () => {
  it('sends headers and body and returns the status code', async () => {
    seen.length = 0;
    const rows = await runRows(`import "array"
import "http"
array.from(rows: [{s: http.post(url: "${base}/hook", headers: {"X-Token": "t1", "Content-Type": "application/json"}, data: bytes(v: "{\\"a\\":1}"))}])`);
    expect(rows).toEqual([{ s: '200' }]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/hook', body: '{"a":1}' });
    expect(seen[0]!.headers['x-token']).toBe('t1');
  });

  it('endpoint marks rows _sent by the status', async () => {
    const rows = await runRows(`import "array"
import "http"
send = http.endpoint(url: "${base}/fail")
array.from(rows: [{v: 1}]) |> send(mapFn: (r) => ({headers: {}, data: bytes(v: "x")}))()`);
    expect(rows.map((r) => [r._status, r._sent])).toEqual([['500', 'false']]);
  });

  it('reports an unreachable host as a Flux error', async () => {
    await expect(runRows('import "array"\nimport "http"\narray.from(rows: [{s: http.post(url: "http://127.0.0.1:1/")}])')).rejects.toThrow(/POST http:\/\/127.0.0.1:1\//);
  });
});

describe('http helpers', () => {
  it.each([
    ['a b/c', 'a%20b%2Fc'],
    ['x?y;z,w', 'x%3Fy%3Bz%2Cw'],
    ['$&+:=@-_.~', '$&+:=@-_.~'],
    ['é', '%C3%A9'],
  ])('pathEscape(%j) = %j', (input, want) => {
    expect(pathEscape(input)).toBe(want);
  });

  it('basicAuth encodes user:password', async () => {
    const rows = await runRows('import "array"\nimport "http"\narray.from(rows: [{h: http.basicAuth(u: "user", p: "pass")}])');
    expect(rows).toEqual([{ h: 'Basic dXNlcjpwYXNz' }]);
  });
});

describe('http/requests', () => {
  it('get sends query params and returns status, body and headers', async () => {
    seen.length = 0;
    const rows = await runRows(`import "http/requests"
response = requests.get(url: "${base}/q", params: ["a": ["1", "2"]], headers: ["X-A": "b"])
requests.peek(response: response)`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ statusCode: '200', body: 'hello GET' });
    expect(String(rows[0]!.headers)).toContain('x-echo: GET');
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/q?a=1&a=2' });
    expect(seen[0]!.headers['x-a']).toBe('b');
  });

  it('post sends the body', async () => {
    seen.length = 0;
    const rows = await runRows(`import "array"
import "http/requests"
r = requests.post(url: "${base}/p", body: bytes(v: "payload"))
array.from(rows: [{code: r.statusCode}])`);
    expect(rows).toEqual([{ code: '200' }]);
    expect(seen[0]).toMatchObject({ method: 'POST', body: 'payload' });
  });
});
