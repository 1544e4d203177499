import fc from 'fast-check';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * `from(host:, token:, org:, bucket:)` against a second, real Sluice server: what server A reads
 * remotely must be exactly what server B answers for the same read, and B's errors come back in
 * B's words.
 */

let local: TestServer;
let remote: TestServer;
const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z
const START = '2026-01-01T00:00:00Z';
const STOP = '2026-01-01T01:00:00Z';

/** Every field type, several series and tags (one with a space, comma and quote in values). */
function remoteData(): string {
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) {
    const t = T0 + BigInt(i) * 60_000_000_000n;
    const host = `h${i % 3}`;
    lines.push(`cpu,host=${host},region=eu usage=${(i * 1.25).toFixed(2)},count=${i}i,big=${18_000_000_000_000_000_000n + BigInt(i)}u ${t}`);
    lines.push(`status,host=${host} up=${i % 2 === 0},note="line ${i}, \\"quoted\\"" ${t}`);
    if (i % 10 === 0) lines.push(`disk,host=h\\ 9,path=/var\\,log free=${-i}.5 ${t}`);
  }
  return lines.join('\n');
}

async function post(server: TestServer, path: string, body: string, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Token ${server.token}`, 'content-type': contentType },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** Annotated CSV of a query (all annotations, so types and group keys are compared too). */
async function csv(server: TestServer, query: string, org = server.onboarded!.org): Promise<{ status: number; text: string }> {
  return post(server, `/api/v2/query?org=${encodeURIComponent(org)}`, JSON.stringify({ query, dialect: { annotations: ['group', 'datatype', 'default'] } }));
}

function remoteFrom(bucket = 'source', token = remote.token): string {
  return `from(bucket: ${JSON.stringify(bucket)}, host: ${JSON.stringify(remote.url)}, token: ${JSON.stringify(token)}, org: "far")`;
}

beforeAll(async () => {
  [local, remote] = await Promise.all([startTestServer({ setup: true }), startTestServer({ setup: { org: 'far', bucket: 'source' } })]);
  const w = await post(remote, '/api/v2/write?org=far&bucket=source&precision=ns', remoteData(), 'text/plain');
  expect(w.status).toBe(204);
});

afterAll(async () => {
  await Promise.all([local.cleanup(), remote.cleanup()]);
});

describe('from(host:) reads what the remote itself answers', () => {
  const RANGE = `range(start: ${START}, stop: ${STOP})`;
  it.each([
    ['everything in range', `|> ${RANGE}`],
    ['a narrower range', `|> range(start: 2026-01-01T00:10:00Z, stop: 2026-01-01T00:20:30Z)`],
    ['tag equality', `|> ${RANGE} |> filter(fn: (r) => r.host == "h1")`],
    ['measurement and field', `|> ${RANGE} |> filter(fn: (r) => r._measurement == "cpu" and r._field == "big")`],
    ['regex and negation', `|> ${RANGE} |> filter(fn: (r) => r.host =~ /^h[02]$/ and r._measurement != "disk")`],
    ['case-insensitive regex', `|> ${RANGE} |> filter(fn: (r) => r._field =~ /(?i)^NOTE|UP$/)`],
    ['or, not, odd tag values', `|> ${RANGE} |> filter(fn: (r) => r.host == "h 9" or not (r._measurement == "cpu" or r._measurement == "status"))`],
    ['a filter on _value (applied by the remote)', `|> ${RANGE} |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage" and r._value > 50.0)`],
    ['a filter on _value on every field type (strings and booleans fail as the remote fails)', `|> ${RANGE} |> filter(fn: (r) => r._value > 50.0)`],
    ['a filter on _value, then aggregateWindow (both on the remote)', `|> ${RANGE} |> filter(fn: (r) => r._field == "usage" and r._value > 50.0) |> aggregateWindow(every: 10m, fn: mean)`],
    ['a filter on _value, then a bare count (both on the remote)', `|> ${RANGE} |> filter(fn: (r) => r._measurement == "cpu" and r._value >= 20.0) |> count()`],
    ['a bare aggregate (computed remotely)', `|> ${RANGE} |> filter(fn: (r) => r._field == "count") |> sum()`],
    ['a bare selector', `|> ${RANGE} |> filter(fn: (r) => r._field == "note") |> last()`],
    ['aggregateWindow (computed remotely, shaped here)', `|> ${RANGE} |> filter(fn: (r) => r._field == "usage") |> aggregateWindow(every: 10m, fn: mean)`],
    ['aggregateWindow count with empty windows', `|> range(start: 2025-12-31T23:00:00Z, stop: ${STOP}) |> filter(fn: (r) => r._measurement == "disk") |> aggregateWindow(every: 15m, fn: count)`],
    ['aggregateWindow count without empty windows, with an offset', `|> range(start: 2025-12-31T23:00:00Z, stop: ${STOP}) |> filter(fn: (r) => r._measurement == "disk") |> aggregateWindow(every: 15m, offset: 5m, fn: count, createEmpty: false)`],
    ['aggregateWindow of integers and unsigned', `|> ${RANGE} |> filter(fn: (r) => r._field == "count" or r._field == "big") |> aggregateWindow(every: 7m, fn: sum)`],
    ['aggregateWindow selectors', `|> ${RANGE} |> filter(fn: (r) => r._measurement == "cpu") |> aggregateWindow(every: 20m, fn: last)`],
    ['aggregateWindow max over booleans fails as the remote fails (positioned in the remote query)', `|> ${RANGE} |> filter(fn: (r) => r._field == "up") |> aggregateWindow(every: 20m, fn: max)`],
    ['an error after some tables: the remote\'s message, not positioned again', `|> range(start: ${START}, stop: 2026-01-01T00:01:00Z) |> max()`],
    ['bare count and mean', `|> ${RANGE} |> filter(fn: (r) => r._measurement != "status") |> mean()`],
    ['group and pivot after the read', `|> ${RANGE} |> filter(fn: (r) => r._measurement == "status") |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value") |> group()`],
    ['nothing in range', `|> range(start: 2020-01-01T00:00:00Z, stop: 2020-01-02T00:00:00Z)`],
  ])('%s', async (_name, rest) => {
    const direct = await csv(remote, `from(bucket: "source") ${rest}`);
    const viaHost = await csv(local, `${remoteFrom()} ${rest}`);
    expect(viaHost.status).toBe(direct.status);
    // An error is the remote's, positioned in the query the remote ran.
    const unplaced = (text: string): string => text.replace(/@\d+:\d+-\d+:\d+/g, '@…');
    expect(unplaced(viaHost.text)).toBe(unplaced(direct.text));
  });

  it('uses the remote org given by orgID and the bucket given by bucketID', async () => {
    const ids = remote.onboarded!;
    const direct = await csv(remote, `from(bucket: "source") |> range(start: ${START}, stop: ${STOP}) |> filter(fn: (r) => r._field == "up")`);
    const viaHost = await csv(
      local,
      `from(bucketID: "${ids.bucketID}", host: "${remote.url}/", token: "${remote.token}", orgID: "${ids.orgID}") |> range(start: ${START}, stop: ${STOP}) |> filter(fn: (r) => r._field == "up")`,
    );
    expect(viaHost.status).toBe(200);
    expect(viaHost.text).toBe(direct.text);
  });

  it('influxdata/influxdb\'s from takes host too', async () => {
    const rest = `|> range(start: ${START}, stop: ${STOP}) |> filter(fn: (r) => r._field == "count")`;
    const direct = await csv(remote, `from(bucket: "source") ${rest}`);
    const viaHost = await csv(local, `import "influxdata/influxdb"\ninfluxdb.${remoteFrom()} ${rest}`);
    expect(viaHost.status).toBe(200);
    expect(viaHost.text).toBe(direct.text);
  });

  it('buckets(host:) lists the remote org\'s buckets', async () => {
    const direct = await csv(remote, 'buckets() |> sort(columns: ["name"])');
    const viaHost = await csv(local, `buckets(host: "${remote.url}", token: "${remote.token}", org: "far") |> sort(columns: ["name"])`);
    expect(viaHost.status).toBe(200);
    expect(viaHost.text).toBe(direct.text);
    expect(viaHost.text).toContain(',source,');
    const denied = await csv(local, `buckets(host: "${remote.url}", token: "wrong", org: "far")`);
    expect(JSON.parse(denied.text)).toEqual({ code: 'unauthorized', message: 'unauthorized access' });
  });

  it.each([
    ['every series', ''],
    ['a predicate', ', predicate: (r) => r._measurement == "cpu" and r.host =~ /^h[12]$/'],
  ])('influxdb.cardinality(host:) counts on the remote: %s', async (_name, predicate) => {
    const args = `start: ${START}, stop: ${STOP}${predicate}`;
    const direct = await csv(remote, `import "influxdata/influxdb"\ninfluxdb.cardinality(bucket: "source", ${args})`);
    const viaHost = await csv(local, `import "influxdata/influxdb"\ninfluxdb.cardinality(bucket: "source", host: "${remote.url}", token: "${remote.token}", org: "far", ${args})`);
    expect(viaHost.status).toBe(200);
    expect(viaHost.text).toBe(direct.text);
    expect(direct.text).toMatch(/,\d+\r\n/);
  });

  it('token without host is ignored: the local bucket, with the query\'s own permissions', async () => {
    // A day before the other tests' data, so they do not see it.
    const w = await post(local, '/api/v2/write?org=acme&bucket=telemetry&precision=ns', `tok v=1 ${T0 - 86_400_000_000_000n}`, 'text/plain');
    expect(w.status).toBe(204);
    const plain = await csv(local, `from(bucket: "telemetry") |> range(start: 2025-12-31T00:00:00Z, stop: ${START}) |> filter(fn: (r) => r._measurement == "tok")`);
    const withToken = await csv(local, `from(bucket: "telemetry", token: "whatever") |> range(start: 2025-12-31T00:00:00Z, stop: ${START}) |> filter(fn: (r) => r._measurement == "tok")`);
    expect(withToken.status).toBe(200);
    expect(withToken.text).toBe(plain.text);
    expect(plain.text).toContain(',tok\r\n');
  });

  it('a host that is this server is just another server (its token, its permissions)', async () => {
    const w = await post(local, '/api/v2/write?org=acme&bucket=telemetry&precision=ns', `self v=2 ${T0 - 2n * 86_400_000_000_000n}`, 'text/plain');
    expect(w.status).toBe(204);
    const rest = `|> range(start: 2025-12-30T00:00:00Z, stop: 2025-12-31T00:00:00Z)`;
    const plain = await csv(local, `from(bucket: "telemetry") ${rest}`);
    const viaSelf = await csv(local, `from(bucket: "telemetry", host: "${local.url}", token: "${local.token}", org: "acme") ${rest}`);
    expect(viaSelf.status).toBe(200);
    expect(viaSelf.text).toBe(plain.text);
    expect(plain.text).toContain(',self\r\n');
  });

  it('joins remote data with local data in one query', async () => {
    const w = await post(local, '/api/v2/write?org=acme&bucket=telemetry&precision=ns', `cpu,host=h1 limit=10 ${T0}`, 'text/plain');
    expect(w.status).toBe(204);
    const r = await csv(
      local,
      `l = from(bucket: "telemetry") |> range(start: ${START}, stop: ${STOP}) |> keep(columns: ["host", "_value"]) |> rename(columns: {_value: "limit"})
r = ${remoteFrom()} |> range(start: ${START}, stop: 2026-01-01T00:02:00Z) |> filter(fn: (r) => r._field == "count" and r.host == "h1") |> keep(columns: ["host", "_value"])
join(tables: {l, r}, on: ["host"]) |> keep(columns: ["host", "limit", "_value"])`,
    );
    expect(r.status).toBe(200);
    expect(r.text).toContain(',result,table,_value,host,limit\r\n,,0,1,h1,10\r\n');
  });
});

describe('from(host:) with random reads', () => {
  const tagValue = fc.constantFrom('h0', 'h1', 'h2', 'h 9', 'eu', '/var,log', '');
  const key = fc.constantFrom('host', 'region', 'path', '_measurement', '_field');
  const atom = fc.oneof(
    fc.tuple(key, fc.constantFrom('==', '!='), fc.oneof(tagValue, fc.constantFrom('cpu', 'status', 'disk', 'usage', 'note', 'up'))).map(
      ([k, op, v]) => `r${k.startsWith('_') ? `.${k}` : `["${k}"]`} ${op} ${JSON.stringify(v)}`,
    ),
    fc.tuple(key, fc.constantFrom('=~', '!~'), fc.constantFrom('^h[01]$', '(?i)^CPU', 'a|o', '\\s', '^$', '/', '[[:digit:]]$')).map(([k, op, re]) => `r.${k} ${op} /${re}/`),
  );
  const predicate: fc.Arbitrary<string> = fc.letrec<{ p: string }>((tie) => ({
    p: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('p'), fc.constantFrom('and', 'or'), tie('p')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
      tie('p').map((a) => `not (${a})`),
    ),
  })).p;
  const minute = fc.integer({ min: -5, max: 65 });
  const tail = fc.oneof(
    fc.constant(''),
    fc.constantFrom('count', 'sum', 'mean', 'first', 'last', 'min', 'max').map((f) => `|> ${f}()`),
    fc
      .tuple(fc.integer({ min: 1, max: 25 }), fc.constantFrom('count', 'sum', 'mean', 'last', 'min'), fc.boolean(), fc.integer({ min: 0, max: 3 }))
      .map(([every, fn, createEmpty, offset]) => `|> aggregateWindow(every: ${every}m, fn: ${fn}, createEmpty: ${createEmpty}${offset === 0 ? '' : `, offset: ${offset}m`})`),
  );

  it('reads through the host exactly what the remote answers directly (results and errors)', async () => {
    await fc.assert(
      fc.asyncProperty(minute, minute, fc.option(predicate, { nil: undefined }), tail, async (a, b, p, t) => {
        const at = (m: number): string => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString().replace('.000Z', 'Z');
        // Known engine bug outside this area: the plain mean of uint values near 2^64 wraps (Flux
        // averages in float64); storage's pushed mean does not, so the two sides differ there.
        const skipBigMean = t.includes('mean') ? ' |> filter(fn: (r) => r._field != "big")' : '';
        const rest = `|> range(start: ${at(Math.min(a, b))}, stop: ${at(Math.max(a, b) + 1)})${p === undefined ? '' : ` |> filter(fn: (r) => ${p})`}${skipBigMean} ${t}`;
        const direct = await csv(remote, `from(bucket: "source") ${rest}`);
        const viaHost = await csv(local, `${remoteFrom()} ${rest}`);
        expect(viaHost.status, rest).toBe(direct.status);
        // An error is the remote's, positioned in the query the remote ran. When it comes inside
        // the response, how many tables precede it depends on each side's plan: only the error
        // itself is compared then.
        const unplaced = (text: string): string => text.replace(/@\d+:\d+-\d+:\d+/g, '@…');
        const outcome = (text: string): string => (text.includes(',error,reference\r\n') ? text.slice(text.lastIndexOf(',error,reference\r\n')) : text);
        expect(unplaced(outcome(viaHost.text)), rest).toBe(unplaced(outcome(direct.text)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('from(host:) errors are the remote\'s', () => {
  async function errorOf(query: string): Promise<{ status: number; body: { code: string; message: string } }> {
    const r = await csv(local, query);
    return { status: r.status, body: JSON.parse(r.text) as { code: string; message: string } };
  }

  it('a wrong token: the remote\'s unauthorized message', async () => {
    const e = await errorOf(`${remoteFrom('source', 'not-a-token')} |> range(start: ${START}, stop: ${STOP})`);
    expect(e.body).toEqual({ code: 'unauthorized', message: 'unauthorized access' });
    expect(e.status).toBe(401);
  });

  it('no token: sent without Authorization, so the remote refuses it', async () => {
    const e = await errorOf(`from(bucket: "source", host: "${remote.url}", org: "far") |> range(start: ${START}, stop: ${STOP})`);
    expect(e.body.code).toBe('unauthorized');
  });

  it('an unknown bucket: the remote\'s not-found message', async () => {
    const direct = await csv(remote, `from(bucket: "nope") |> range(start: ${START})`);
    const e = await errorOf(`${remoteFrom('nope')} |> range(start: ${START})`);
    expect(e.body).toEqual(JSON.parse(direct.text));
    expect(e.body.message).toContain('could not find bucket "nope"');
  });

  it('an unknown org: the remote\'s message', async () => {
    const direct = await post(remote, '/api/v2/query?org=nobody', JSON.stringify({ query: 'from(bucket: "source") |> range(start: -1h)' }));
    const e = await errorOf(`from(bucket: "source", host: "${remote.url}", token: "${remote.token}", org: "nobody") |> range(start: -1h)`);
    expect(e.status).toBe(direct.status);
    expect(e.body).toEqual(JSON.parse(direct.text));
  });

  it('an error of the remote query comes back with its message', async () => {
    const direct = await csv(remote, `from(bucket: "source") |> range(start: ${START}, stop: ${STOP}) |> filter(fn: (r) => r._field == "note") |> sum()`);
    const e = await csv(local, `${remoteFrom()} |> range(start: ${START}, stop: ${STOP}) |> filter(fn: (r) => r._field == "note") |> sum()`);
    const directMessage = (JSON.parse(direct.text) as { message: string }).message;
    // The remote's message as is, positioned in the query the remote ran.
    expect(e.status).toBe(direct.status);
    expect(directMessage).toMatch(/sum: unsupported aggregate column type string$/);
    expect((JSON.parse(e.text) as { message: string }).message).toMatch(/^runtime error @\S+: sum: unsupported aggregate column type string$/);
  });

  it('an unbounded remote read is refused before anything is sent', async () => {
    const e = await errorOf(`${remoteFrom()} |> filter(fn: (r) => true)`);
    expect(e.body.message).toBe(`cannot submit unbounded read to "source"; try bounding 'from' with a call to 'range'`);
  });

  it('connection refused names the host', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const e = await errorOf(`from(bucket: "source", host: "http://127.0.0.1:${port}", token: "t", org: "far") |> range(start: -1h)`);
    expect(e.body.message).toBe(`Post "http://127.0.0.1:${port}/api/v2/query?org=far": dial tcp 127.0.0.1:${port}: connect: connection refused`);
    expect(e.status).toBe(503);
  });

  it.each([
    ['ftp://example.com', 'invalid host "ftp://example.com": the scheme must be http or https'],
    ['not a url', 'invalid host "not a url": not a URL'],
  ])('host %s is refused', async (host, message) => {
    const e = await errorOf(`from(bucket: "source", host: "${host}", token: "t") |> range(start: -1h)`);
    expect(e.status).toBe(400);
    expect(e.body.message).toContain(message);
  });

  it('a client that goes away cancels the query and closes the remote read', async () => {
    let requested: () => void = () => undefined;
    const remoteRequested = new Promise<void>((resolve) => (requested = resolve));
    let closed: () => void = () => undefined;
    const remoteClosed = new Promise<void>((resolve) => (closed = resolve));
    const slow: HttpServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('#group,false,false,false\r\n#datatype,string,long,long\r\n#default,_result,,\r\n,result,table,_value\r\n,,0,1\r\n');
      res.on('close', () => closed());
      requested(); // and never ends the response
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const port = (slow.address() as AddressInfo).port;
      const client = new AbortController();
      const pending = fetch(`${local.url}/api/v2/query?org=acme`, {
        method: 'POST',
        headers: { authorization: `Token ${local.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: `from(bucket: "b", host: "http://127.0.0.1:${port}", token: "t") |> range(start: -1h)` }),
        signal: client.signal,
      }).then((r) => r.text());
      await remoteRequested;
      client.abort();
      await expect(pending).rejects.toThrow();
      // Only the query's cancel reaching the remote read settles this (the remote never ends).
      await remoteClosed;
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it('a non-JSON error body (a proxy in front of the remote) is reported with its status', async () => {
    const proxy: HttpServer = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const e = await errorOf(`from(bucket: "source", host: "http://127.0.0.1:${port}", token: "t", org: "far") |> range(start: -1h)`);
      expect(e.body.message).toBe(`Post "http://127.0.0.1:${port}/api/v2/query?org=far": 502 Bad Gateway: <html>bad gateway</html>`);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});
