import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants as zlibConstants, createGzip, gunzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CsvByteSink } from '../../flux/csv/index.js';
import { encodeResults } from '../../flux/csv/result-encoder.js';
import { tableFromColumns } from '../../flux/execute/table-builder.js';
import { streamOf } from '../../flux/execute/table-stream.js';
import { RESPONSE_BUFFER_BYTES, RESUME_BELOW_BYTES, responseSink } from './query-response-sink.js';

let server: Server | undefined;
afterEach(async () => {
  if (server !== undefined) {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
    server = undefined;
  }
});

/** A real server whose one response is handed to the test, and the client's side of it. */
async function exchange(): Promise<{ res: ServerResponse; reply: IncomingMessage }> {
  let handed: ((res: ServerResponse) => void) | undefined;
  const got = new Promise<ServerResponse>((resolve) => (handed = resolve));
  server = createServer((_req, res) => handed!(res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const req = request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, method: 'POST' });
  req.end();
  const res = await got;
  res.flushHeaders();
  const [reply] = (await once(req, 'response')) as [IncomingMessage];
  return { res, reply };
}

const chunk = (k: number, size = 64 * 1024): Buffer => Buffer.alloc(size, 97 + (k % 26));

describe('responseSink', () => {
  it('takes chunks without waiting until 1 MiB is pending, then waits for the client to read', async () => {
    const { res, reply } = await exchange();
    reply.pause();
    const sink = responseSink(() => res, res, () => new Error('gone'));
    const sent: Buffer[] = [];
    let pending: Promise<void> | void = undefined;
    for (let k = 0; pending === undefined; k++) {
      expect(k).toBeLessThan(10_000);
      sent.push(chunk(k));
      pending = sink.bytes(sent[k]!, () => undefined);
    }
    // It waits only once at least the buffer's worth is pending in the stream.
    expect(res.writableLength).toBeGreaterThanOrEqual(RESPONSE_BUFFER_BYTES);
    const received: Buffer[] = [];
    reply.on('data', (c: Buffer) => received.push(c));
    reply.resume();
    await pending;
    expect(res.writableLength).toBeLessThanOrEqual(RESUME_BELOW_BYTES);
    res.end();
    await once(reply, 'end');
    expect(Buffer.concat(received).equals(Buffer.concat(sent))).toBe(true);
  });

  it('resumes a waiting encoder once at most RESUME_BELOW_BYTES are left, not when all is sent', async () => {
    // A stream that finishes each write only when told to, as a socket whose client reads slowly.
    const finishNext: (() => void)[] = [];
    const slow = new Writable({
      write(_chunk: Buffer, _enc, cb) {
        finishNext.push(cb);
      },
    });
    const sink = responseSink(() => slow, slow, () => new Error('gone'));
    let pending: Promise<void> | void = undefined;
    for (let k = 0; pending === undefined; k++) {
      expect(k).toBeLessThan(100);
      pending = sink.bytes(chunk(k), () => undefined);
    }
    let resumed = false;
    void pending.then(() => (resumed = true));
    const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
    // Each finished write lets the stream start the next; the wait ends with the first finish that
    // leaves RESUME_BELOW_BYTES or less.
    while (slow.writableLength > RESUME_BELOW_BYTES) {
      await settle();
      expect(resumed).toBe(false);
      finishNext.shift()!();
      await settle();
    }
    expect(resumed).toBe(true);
    expect(slow.writableLength).toBeGreaterThan(0);
    slow.destroy();
  });

  it('rejects a waiting write and refuses further chunks once the client is gone', async () => {
    const { res, reply } = await exchange();
    reply.pause();
    const gone = new Error('client gone');
    const sink = responseSink(() => res, res, () => gone);
    let pending: Promise<void> | void = undefined;
    for (let k = 0; pending === undefined; k++) pending = sink.bytes(chunk(k), () => undefined);
    reply.destroy();
    await expect(pending).rejects.toBe(gone);
    expect(() => sink.bytes(chunk(0), () => undefined)).toThrow(gone);
  });

  it('streams an encoded result whose chunk memory is reused after each write, byte for byte', async () => {
    const n = 60_000;
    const table = tableFromColumns(
      [
        ['_time', 'time', Array.from({ length: n }, (_, i) => 1_767_225_600_000_000_000n + BigInt(i) * 1_000_000_123n)],
        ['_value', 'float', Array.from({ length: n }, (_, i) => Math.sqrt(i))],
        ['host', 'string', Array.from({ length: n }, (_, i) => `hōst-${i % 7}`)],
      ],
      [],
    );
    let want = '';
    await encodeResults([{ name: '_result', tables: streamOf([table]) }], (c) => void (want += c));
    const { res, reply } = await exchange();
    const received: Buffer[] = [];
    reply.on('data', (c: Buffer) => received.push(c));
    let released = 0;
    const inner = responseSink(() => res, res, () => new Error('gone'));
    const sink: CsvByteSink = { bytes: (chunk, done) => inner.bytes(chunk, () => (released++, done())) };
    await encodeResults([{ name: '_result', tables: streamOf([table]) }], sink);
    inner.flush();
    res.end();
    await once(reply, 'end');
    expect(released).toBeGreaterThan(5);
    // A boolean, not a diff of megabytes, when it fails.
    expect(Buffer.concat(received).equals(Buffer.from(want, 'utf8'))).toBe(true);
  });

  it('streams through gzip, reusing chunk memory only once zlib has consumed it', async () => {
    const n = 60_000;
    const table = tableFromColumns([
      ['_time', 'time', Array.from({ length: n }, (_, i) => 1_767_225_600_000_000_000n + BigInt(i) * 7_000_000_001n)],
      ['_value', 'float', Array.from({ length: n }, (_, i) => Math.cos(i) * 1000)],
    ]);
    let want = '';
    await encodeResults([{ name: '_result', tables: streamOf([table]) }], (c) => void (want += c));
    const { res, reply } = await exchange();
    const z = createGzip({ level: zlibConstants.Z_BEST_SPEED });
    z.pipe(res);
    const received: Buffer[] = [];
    reply.on('data', (c: Buffer) => received.push(c));
    let released = 0;
    const inner = responseSink(() => z, res, () => new Error('gone'));
    await encodeResults([{ name: '_result', tables: streamOf([table]) }], { bytes: (chunk, done) => inner.bytes(chunk, () => (released++, done())) });
    inner.flush();
    z.end();
    await once(reply, 'end');
    expect(released).toBeGreaterThan(5);
    expect(gunzipSync(Buffer.concat(received)).equals(Buffer.from(want, 'utf8'))).toBe(true);
  });

  it('gathers small chunks into few writes, sends them on flush or once the loop is idle', async () => {
    const { res, reply } = await exchange();
    // Writes into the response (each also costs an HTTP chunk frame).
    let writes = 0;
    const write = res.write.bind(res) as (chunk: Buffer) => boolean;
    res.write = ((chunk: Buffer) => {
      writes++;
      return write(chunk);
    }) as typeof res.write;
    const received: Buffer[] = [];
    reply.on('data', (c: Buffer) => received.push(c));
    const sink = responseSink(() => res, res, () => new Error('gone'));
    // One small chunk alone reaches the client without a flush (a slowly produced result).
    expect(sink.bytes(Buffer.from(',,0,first\r\n'), () => undefined)).toBeUndefined();
    await once(reply, 'data');
    expect(Buffer.concat(received).toString()).toBe(',,0,first\r\n');
    const before = writes;
    const rows = Array.from({ length: 1000 }, (_, k) => `,,${k},${'x'.repeat(k % 50)}\r\n`);
    for (const row of rows) expect(sink.bytes(Buffer.from(row), () => undefined)).toBeUndefined();
    sink.flush();
    res.end();
    await once(reply, 'end');
    expect(Buffer.concat(received).toString()).toBe(`,,0,first\r\n${rows.join('')}`);
    // 1,000 small chunks (≈ 30 kB), one write.
    expect(writes - before).toBe(1);
  });

  it.each<[string, number, number]>([
    ['several mid-size chunks, each written as it is', 20 * 1024, 7],
    ['small chunks, copied into one write', 6 * 1024, 9],
    ['one small chunk, written as it is', 6 * 1024, 1],
    ['many tiny chunks', 100, 50],
  ])('releases gathered chunks once their bytes are taken (%s): reusing them does not change what is sent', async (_name, size, count) => {
    const { res, reply } = await exchange();
    const received: Buffer[] = [];
    reply.on('data', (c: Buffer) => received.push(c));
    const sink = responseSink(() => res, res, () => new Error('gone'));
    const sent = Array.from({ length: count }, (_, k) => chunk(k, size));
    const want = Buffer.concat(sent.map((c) => Buffer.from(c)));
    let released = 0;
    for (const c of sent) {
      // The encoder's reuse: overwritten as soon as it is handed back.
      expect(sink.bytes(c, () => (released++, c.fill(0x5a)))).toBeUndefined();
    }
    sink.flush();
    res.end();
    await once(reply, 'end');
    expect(released).toBe(count);
    expect(Buffer.concat(received).equals(want)).toBe(true);
  });
});
