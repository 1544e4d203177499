import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSeries } from '../../lineprotocol/make-series.js';
import { FieldType, type FieldValue, type Point } from '../../lineprotocol/point.js';
import { RemotePointWriter, writeRemote } from './remote-point-writer.js';
import { DEFAULT_REMOTE_OPTIONS } from './remote-options.js';

interface Received {
  url: string;
  auth: string | undefined;
  body: string;
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A remote write endpoint that records each request and answers with `status`/`body`. */
async function endpoint(status = 204, reply = ''): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ url: req.url!, auth: req.headers.authorization, body });
      res.writeHead(status, { 'content-type': 'application/json' }).end(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

function point(i: number, fields: [string, FieldType, FieldValue][] = [['v', FieldType.Float, i + 0.5]]): Point {
  return {
    series: makeSeries('m', [['host', `h ${i % 2}`]]),
    fields: { keys: fields.map((f) => f[0]), types: fields.map((f) => f[1]) },
    values: fields.map((f) => f[2]),
    timestampNs: 1_000_000_000_000_000_000n + BigInt(i),
  };
}

describe('RemotePointWriter', () => {
  it('sends line protocol in requests of at most writeBatchLines lines, each before write() resolves', async () => {
    const ep = await endpoint();
    const w = new RemotePointWriter({ host: ep.url, token: 'tok', org: 'o', bucket: 'b b' }, { ...DEFAULT_REMOTE_OPTIONS, writeBatchLines: 3 });
    await w.write(Array.from({ length: 7 }, (_, i) => point(i)));
    expect(ep.received.map((r) => r.body.split('\n').length - 1)).toEqual([3, 3, 1]);
    await w.write([point(7)]);
    expect(ep.received).toHaveLength(4);
    expect(ep.received[0]).toEqual({
      url: '/api/v2/write?org=o&bucket=b+b&precision=ns',
      auth: 'Token tok',
      body: 'm,host=h\\ 0 v=0.5 1000000000000000000\nm,host=h\\ 1 v=1.5 1000000000000000001\nm,host=h\\ 0 v=2.5 1000000000000000002\n',
    });
  });

  it.each([307, 308])('follows a %i to another server with the same lines and token', async (status) => {
    const ep = await endpoint();
    const redirecting = createServer((req, res) => res.writeHead(status, { location: `${ep.url}${req.url!}` }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => redirecting.close(() => resolve())) });
    const host = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
    await writeRemote({ host, token: 'tok', org: 'o', bucket: 'b' }, [point(0)]);
    expect(ep.received).toEqual([{ url: '/api/v2/write?org=o&bucket=b&precision=ns', auth: 'Token tok', body: 'm,host=h\\ 0 v=0.5 1000000000000000000\n' }]);
  });

  it('names the org and bucket by ID when given so; no token, no Authorization', async () => {
    const ep = await endpoint();
    await writeRemote({ host: `${ep.url}/`, orgID: '0000000000000001', bucketID: '0000000000000002' }, [point(0)]);
    expect(ep.received.map((r) => [r.url, r.auth])).toEqual([['/api/v2/write?orgID=0000000000000001&bucket=0000000000000002&precision=ns', undefined]]);
  });

  it('leaves out floats line protocol cannot carry, and points left with no field', async () => {
    const ep = await endpoint();
    await writeRemote({ host: ep.url, bucket: 'b' }, [
      point(0, [['nan', FieldType.Float, Number.NaN], ['i', FieldType.Integer, -3n], ['u', FieldType.Unsigned, 18_446_744_073_709_551_615n]]),
      point(1, [['inf', FieldType.Float, Number.POSITIVE_INFINITY]]),
      point(2, [['s', FieldType.String, 'a "q" \\ b'], ['ok', FieldType.Boolean, true]]),
    ]);
    expect(ep.received.map((r) => r.body)).toEqual([
      'm,host=h\\ 0 i=-3i,u=18446744073709551615u 1000000000000000000\nm,host=h\\ 0 s="a \\"q\\" \\\\ b",ok=true 1000000000000000002\n',
    ]);
  });

  it('sends nothing for no points', async () => {
    const ep = await endpoint();
    await writeRemote({ host: ep.url, bucket: 'b' }, []);
    await writeRemote({ host: ep.url, bucket: 'b' }, [point(0, [['nan', FieldType.Float, Number.NaN]])]);
    expect(ep.received).toEqual([]);
  });

  it('a refused batch fails the write with the remote\'s message; batches before it were sent', async () => {
    const ep = await endpoint(400, '{"code":"invalid","message":"partial write: field type conflict dropped=1"}');
    const w = new RemotePointWriter({ host: ep.url, bucket: 'b' }, { ...DEFAULT_REMOTE_OPTIONS, writeBatchLines: 2 });
    await expect(w.write([point(0), point(1), point(2)])).rejects.toThrow(/^partial write: field type conflict dropped=1$/);
    expect(ep.received).toHaveLength(1);
  });
});
