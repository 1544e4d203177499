import { createServer, request, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * `filter(fn: (r) => … r._value <op> literal …)` after `from(host:)`: the value conjuncts travel
 * to the remote inside its Flux, so only matching rows cross the network. A recording proxy
 * between this server and the remote sees the Flux sent and counts the data rows answered;
 * results must equal what the remote answers for the same query itself.
 */

let local: TestServer;
let remote: TestServer;
let proxy: HttpServer;
let proxyUrl: string;
/** What went through the proxy for the last remote query: the Flux and the data rows answered. */
let lastFlux = '';
let lastRows = 0;

const T0 = 1_767_225_600n; // 2026-01-01T00:00:00Z, seconds
const RANGE = 'range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T02:00:00Z)';

beforeAll(async () => {
  [local, remote] = await Promise.all([startTestServer({ setup: true }), startTestServer({ setup: { org: 'far', bucket: 'source' } })]);
  const lines: string[] = [];
  for (let i = 0; i < 100; i++) {
    const t = T0 + BigInt(i) * 60n;
    lines.push(`m,host=h${i % 4} f=${i}.5,n=${i}i,u=${i * 3}u,s="v${i % 10}",b=${i % 3 === 0} ${t}`);
  }
  const w = await fetch(`${remote.url}/api/v2/write?org=far&bucket=source&precision=s`, {
    method: 'POST',
    headers: { authorization: `Token ${remote.token}` },
    body: lines.join('\n'),
  });
  expect(w.status).toBe(204);
  const target = new URL(remote.url);
  proxy = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      lastFlux = (JSON.parse(body) as { query: string }).query;
      const out = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 500, up.headers);
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => {
          chunks.push(c);
          res.write(c);
        });
        up.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = (up.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString();
          // Data rows: not annotations, not the header row, not blank.
          lastRows = text.split('\r\n').filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith(',result,')).length;
          res.end();
        });
      });
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await Promise.all([local.cleanup(), remote.cleanup()]);
});

async function csv(server: TestServer, query: string, org: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}/api/v2/query?org=${org}`, {
    method: 'POST',
    headers: { authorization: `Token ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, dialect: { annotations: ['group', 'datatype', 'default'] } }),
  });
  return { status: res.status, text: await res.text() };
}

describe('value conjuncts are filtered on the remote', () => {
  it.each<[string, string, number]>([
    ['float >', 'r._field == "f" and r._value > 89.0', 11],
    ['literal on the left, int', 'r._field == "n" and 10 >= r._value', 11],
    ['uint range (two conjuncts)', 'r._field == "u" and r._value >= 30 and r._value < 60', 10],
    ['string equality', 'r._field == "s" and r._value == "v3"', 10],
    ['bool', 'r._field == "b" and r._value == true', 34],
    ['with a tag conjunct and a non-pushable one (runs here too)', 'r.host == "h1" and r._field == "f" and r._value < 40.0 and r._time >= 2026-01-01T00:10:00Z', 7],
  ])('%s', async (_name, fn, rows) => {
    const q = (host: string) => `from(bucket: "source"${host}) |> ${RANGE} |> filter(fn: (r) => ${fn}) |> drop(columns: ["_start", "_stop"])`;
    const through = await csv(local, q(`, host: "${proxyUrl}", token: "${remote.token}", org: "far"`), 'acme');
    expect(through.status).toBe(200);
    // Only matching rows crossed the network (the time conjunct is not a value one: it runs here).
    expect(lastFlux).toMatch(/\n {4}\|> filter\(fn: \(r\) => [^\n]*r\._value\b[^\n]*\n$/);
    if (!fn.includes('_time')) expect(lastRows).toBe(rows);
    const direct = await csv(remote, q(''), 'far');
    expect(through.text).toBe(direct.text);
    expect(through.text.split('\r\n').filter((l) => /^,(_result)?,\d/.test(l))).toHaveLength(rows);
  });
});

describe('an aggregate after value conjuncts runs on the remote too', () => {
  it.each<[string, string, RegExp]>([
    ['aggregateWindow mean (empty windows made here)', 'aggregateWindow(every: 10m, fn: mean)', /\|> aggregateWindow\(every: 10m, fn: mean, createEmpty: false, timeSrc: "_start"\)\n$/],
    ['aggregateWindow count', 'aggregateWindow(every: 15m, fn: count, createEmpty: false)', /\|> aggregateWindow\(every: 15m, fn: count, createEmpty: false, timeSrc: "_start"\)\n$/],
    ['bare max', 'max()', /\|> max\(\)\n$/],
    ['bare count', 'count()', /\|> count\(\)\n$/],
  ])('%s', async (_name, agg, sent) => {
    const q = (host: string) => `from(bucket: "source"${host}) |> ${RANGE} |> filter(fn: (r) => r._field == "f" and r._value > 49.0) |> ${agg}`;
    const through = await csv(local, q(`, host: "${proxyUrl}", token: "${remote.token}", org: "far"`), 'acme');
    expect(through.status).toBe(200);
    expect(lastFlux).toContain('|> filter(fn: (r) => r._value > 49.0)\n');
    expect(lastFlux).toMatch(sent);
    // Aggregated rows crossed the network, not the 51 matching points.
    expect(lastRows).toBeLessThan(51);
    const direct = await csv(remote, q(''), 'far');
    expect(through.text).toBe(direct.text);
  });

  it('stays local when the filter has a conjunct that is neither a series predicate nor a value comparison', async () => {
    const q = (host: string) =>
      `from(bucket: "source"${host}) |> ${RANGE} |> filter(fn: (r) => r._field == "f" and r._value > 49.0 and r._time >= 2026-01-01T01:00:00Z) |> aggregateWindow(every: 10m, fn: sum)`;
    const through = await csv(local, q(`, host: "${proxyUrl}", token: "${remote.token}", org: "far"`), 'acme');
    expect(through.status).toBe(200);
    expect(lastFlux).not.toContain('aggregateWindow');
    expect(lastRows).toBe(51);
    const direct = await csv(remote, q(''), 'far');
    expect(through.text).toBe(direct.text);
  });
});
