import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../core/errors.js';
import { readBody } from './request-body.js';
import { WriteBodyPool } from './routes/write-body-pool.js';

const LIMIT = 1000;
let server: Server;
let port: number;
const pool = new WriteBodyPool(1);

beforeAll(async () => {
  // Echoes what readBody produced: the body's length and first bytes, or the error.
  // With `?pool`, the body is read into pooled memory and handed back after answering; the answer
  // then also says how many buffers the pool holds, so a failure that kept one would show.
  server = createServer((req, res) => {
    const usePool = req.url === '/?pool';
    readBody(req, LIMIT, usePool ? pool : undefined).then(
      (body) => {
        const text = `ok ${body.length} ${body.subarray(0, 12).toString()}`;
        if (usePool) pool.give(body);
        res.end(usePool ? `${text} | free ${pool.freeCount}` : text);
      },
      (e: SluiceError) => res.end(`error ${e.code}: ${e.message}${usePool ? ` | free ${pool.freeCount}` : ''}`),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Sends `parts` as separate chunks; without `length`, the body is chunked. */
function send(parts: Buffer[], headers: Record<string, string> = {}, length = true, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const req = request({ port, host: '127.0.0.1', method: 'POST', path, headers: { ...headers, ...(length ? { 'content-length': String(total) } : {}) } });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    for (const p of parts) req.write(p);
    req.end();
  });
}

const lines = (n: number): Buffer => Buffer.from('m v=1 1\n'.repeat(n));

describe('readBody', () => {
  it.each([
    ['identity with length', [lines(10)], {}, true, 'ok 80 m v=1 1\nm v='],
    ['identity chunked in pieces', [lines(5), lines(5)], {}, false, 'ok 80 m v=1 1\nm v='],
    ['empty', [], {}, true, 'ok 0 '],
    ['gzip with length', [gzipSync(lines(10))], { 'content-encoding': 'gzip' }, true, 'ok 80 m v=1 1\nm v='],
    ['x-gzip chunked, split mid-stream', [gzipSync(lines(10)).subarray(0, 7), gzipSync(lines(10)).subarray(7)], { 'content-encoding': 'X-GZIP' }, false, 'ok 80 m v=1 1\nm v='],
    ['unknown encoding read as identity', [lines(1)], { 'content-encoding': 'br' }, true, 'ok 8 m v=1 1\n'],
    ['exactly at the limit', [Buffer.alloc(LIMIT, 97)], {}, true, 'ok 1000 aaaaaaaaaaaa'],
    ['declared length over the limit', [Buffer.alloc(LIMIT + 1, 97)], {}, true, 'error request too large: unable to read data: points batch is too large'],
    ['chunked over the limit', [Buffer.alloc(600, 97), Buffer.alloc(600, 97)], {}, false, 'error request too large: unable to read data: points batch is too large'],
    ['gzip inflating over the limit', [gzipSync(Buffer.alloc(100_000, 97))], { 'content-encoding': 'gzip' }, true, 'error request too large: unable to read data: points batch is too large'],
    ['corrupt gzip', [Buffer.from('definitely not gzip')], { 'content-encoding': 'gzip' }, true, 'error invalid: unable to read data: gzip: incorrect header check'],
    ['truncated gzip', [gzipSync(lines(100)).subarray(0, 20)], { 'content-encoding': 'gzip' }, true, 'error invalid: unable to read data: gzip: unexpected end of file'],
  ])('%s', async (_name, parts, headers, length, expected) => {
    expect(await send(parts, headers, length)).toBe(expected);
    // The same through pooled memory: same answer, and the one pooled buffer always comes back
    // (a body of 0 bytes takes none: the pool stays as it was, empty or not).
    const pooled = await send(parts, headers, length, '/?pool');
    expect(pooled.replace(/ \| free \d+$/, '')).toBe(expected);
    expect(pooled).toMatch(/ \| free [01]$/);
    if (!expected.startsWith('ok 0 ')) expect(pooled).toMatch(/ \| free 1$/);
  });

  it('reads pooled bodies into the same memory, request after request', async () => {
    const seen = new Set<ArrayBufferLike>();
    const local = createServer((req, res) => {
      readBody(req, LIMIT, pool).then((body) => {
        seen.add(body.buffer);
        const text = body.toString();
        pool.give(body);
        res.end(text);
      }, res.end.bind(res));
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    const localPort = (local.address() as AddressInfo).port;
    try {
      for (const body of ['m v=1 1\n', 'm v=22 2\n', 'm v=333 3\n'.repeat(20)]) {
        const answer = await new Promise<string>((resolve, reject) => {
          const req = request({ port: localPort, host: '127.0.0.1', method: 'POST' }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve(text));
          });
          req.on('error', reject);
          req.end(body);
        });
        expect(answer).toBe(body);
      }
      expect(seen.size).toBe(1);
    } finally {
      local.closeAllConnections();
      await new Promise((resolve) => local.close(resolve));
    }
  });
});
