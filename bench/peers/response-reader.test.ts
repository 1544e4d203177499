import { describe, expect, it } from 'vitest';
import { ResponseReader, type ResponseReaderOptions } from './response-reader.js';

/** Feeds `wire` in pieces cut at `cuts`; returns the reader and the bytes it took. */
function read(wire: string | Buffer, cuts: readonly number[] = [], options?: ResponseReaderOptions): { reader: ResponseReader; took: number } {
  const bytes = typeof wire === 'string' ? Buffer.from(wire, 'latin1') : wire;
  const reader = new ResponseReader(options);
  // Every piece goes through one reused buffer, as the connection gives them, overwritten after.
  const scratch = Buffer.alloc(bytes.length + 8);
  let took = 0;
  const edges = [0, ...cuts, bytes.length];
  for (let k = 0; k + 1 < edges.length; k++) {
    const piece = bytes.subarray(edges[k], edges[k + 1]);
    piece.copy(scratch, 3);
    took += reader.feed(scratch, 3, 3 + piece.length);
    scratch.fill(0x7e);
    if (reader.done) break;
  }
  return { reader, took };
}

const CASES: readonly { name: string; wire: string; status: number; body: string; keepAlive: boolean }[] = [
  { name: 'content-length', wire: 'HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX-A: b\r\n\r\nhello world', status: 200, body: 'hello world', keepAlive: true },
  {
    name: 'chunked with an extension and a trailer',
    wire: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n',
    status: 200,
    body: 'hello world',
    keepAlive: true,
  },
  { name: 'chunked with upper-case hex sizes', wire: 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n', status: 200, body: '0123456789', keepAlive: true },
  { name: 'a 100 Continue first', wire: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno', status: 404, body: 'no', keepAlive: true },
  { name: '204 has no body', wire: 'HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n', status: 204, body: '', keepAlive: true },
  { name: 'connection: close', wire: 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx', status: 200, body: 'x', keepAlive: false },
  { name: 'HTTP/1.0 closes by default', wire: 'HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\ny', status: 200, body: 'y', keepAlive: false },
  { name: 'HTTP/1.0 keep-alive', wire: 'HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nz', status: 200, body: 'z', keepAlive: true },
];

describe('ResponseReader', () => {
  for (const c of CASES) {
    it(`${c.name}: the same reply whichever byte the reads end at`, () => {
      const whole = read(c.wire);
      expect(whole.reader.done).toBe(true);
      expect(whole.took).toBe(c.wire.length);
      for (let cut = 1; cut < c.wire.length; cut++) {
        for (const second of [cut + 1, cut + 3]) {
          const { reader, took } = read(c.wire, second < c.wire.length ? [cut, second] : [cut]);
          expect(reader.done, `cut at ${cut}, ${second}`).toBe(true);
          expect(took).toBe(c.wire.length);
          expect(reader.status).toBe(c.status);
          expect(reader.body().toString('latin1'), `cut at ${cut}, ${second}`).toBe(c.body);
          expect(reader.keepAlive).toBe(c.keepAlive);
        }
      }
    });
  }

  it('lower-cases header names and keeps their values', () => {
    const { reader } = read('HTTP/1.1 200 OK\r\nContent-Type:  text/csv; charset=utf-8 \r\nContent-Length: 0\r\n\r\n');
    expect(reader.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });

  it('takes only its own bytes when more follow the reply', () => {
    const wire = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n';
    const { reader, took } = read(wire);
    expect(reader.body().toString()).toBe('ok');
    expect(took).toBe(wire.indexOf('okHTTP') + 2);
  });

  it('a body framed by the close ends with the connection', () => {
    const { reader } = read('HTTP/1.1 200 OK\r\n\r\nstreamed until the end');
    expect(reader.done).toBe(false);
    expect(reader.untilClose).toBe(true);
    expect(reader.keepAlive).toBe(false);
    reader.end();
    expect(reader.done).toBe(true);
    expect(reader.body().toString()).toBe('streamed until the end');
  });

  it('a reply cut by the close is an error', () => {
    for (const wire of ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel', 'HTTP/1.1 20']) {
      const { reader } = read(wire);
      expect(() => reader.end(), wire).toThrow(/closed before the reply was complete/);
    }
  });

  it('a HEAD reply has no body whatever its content-length', () => {
    const wire = 'HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n';
    const { reader, took } = read(wire, [], { head: true });
    expect(reader.done).toBe(true);
    expect(took).toBe(wire.length);
  });

  it('keeps only the head of a 2xx body when asked, but all of an error body', () => {
    const body = 'x'.repeat(1000);
    const ok = read(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n${body}`, [100, 300, 700], { keepBytes2xx: 250 });
    expect(ok.reader.done).toBe(true);
    expect(ok.reader.body().length).toBe(250);
    const failed = read(`HTTP/1.1 500 Internal Server Error\r\nContent-Length: 1000\r\n\r\n${body}`, [100, 300], { keepBytes2xx: 250 });
    expect(failed.reader.body().toString()).toBe(body);
  });

  it('copies what it keeps: the read buffer is reused', () => {
    // read() overwrites its scratch buffer after every piece, so a body that aliased it would be '~'.
    const { reader } = read('HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabcdef', [40, 43]);
    expect(reader.body().toString()).toBe('abcdef');
  });

  it('rejects malformed replies', () => {
    const bad: readonly [string, RegExp][] = [
      ['SSH-2.0-OpenSSH\r\n\r\n', /not an HTTP\/1.x status line/],
      ['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n', /malformed header line/],
      ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /malformed content-length/],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n', /unsupported transfer-encoding/],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /malformed chunk size/],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n', /not followed by CRLF/],
    ];
    for (const [wire, message] of bad) expect(() => read(wire), wire).toThrow(message);
    expect(() => read(`HTTP/1.1 200 OK\r\nX: ${'y'.repeat(70_000)}`, [30_000])).toThrow(/head is over/);
  });
});
