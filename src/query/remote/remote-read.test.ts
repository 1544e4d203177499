import { afterEach, describe, expect, it } from 'vitest';
import { columnValue } from '../../flux/execute/column.js';
import type { Table } from '../../flux/execute/table.js';
import { runProgram } from '../../flux/interpreter/index.js';
import { stringOf } from '../../flux/values/format-value.js';
import { QUERY_ENV, type QueryEnv } from '../query-env.js';
import { queryLibrary } from '../query-registry.js';
import { BodyServers } from './testing/body-server.js';

/**
 * `from(host:)` against a scripted HTTP server: what is sent, and how the response is read while
 * it streams. (Reads against a real second Sluice are in test/remote-read.test.ts.)
 */

const registry = queryLibrary();
// A remote read never touches this server's storage or metadata: the env only has to be there.
const REMOTE_ONLY_ENV = {} as QueryEnv;

const servers = new BodyServers();
afterEach(() => servers.closeAll());

/** A real server on 127.0.0.1; the handler sees each request with its body. */
const remote = (handler: Parameters<BodyServers['serve']>[0]): Promise<string> => servers.serve(handler);

/** The tables of the program's first result, as an iterator the test drives. */
async function tablesOf(source: string): Promise<AsyncIterator<Table>> {
  const run = await runProgram(source, { registry, nowNs: 1_767_229_200_000_000_000n, externals: new Map([[QUERY_ENV, REMOTE_ONLY_ENV]]) });
  return run.results[0]!.stream.tables[Symbol.asyncIterator]();
}

function rowsOf(t: Table): string[] {
  return Array.from({ length: t.length }, (_, i) => t.cols.map((c, j) => `${c.label}=${stringOf(columnValue(t.columns[j]!, i))}`).join(' '));
}

const HEAD = '#group,false,false,true,false\r\n#datatype,string,long,string,long\r\n#default,_result,,,\r\n,result,table,host,_value\r\n';

describe('from(host:) over HTTP', () => {
  it('posts the read as Flux to /api/v2/query with the org, token, dialect and now', async () => {
    let seen: { url: string | undefined; auth: string | undefined; body: unknown } | undefined;
    const url = await remote((req, body, res) => {
      seen = { url: req.url, auth: req.headers.authorization, body: JSON.parse(body) };
      res.writeHead(200, { 'content-type': 'text/csv' }).end(`${HEAD},,0,a,1\r\n`);
    });
    const it = await tablesOf(
      `from(bucket: "b", host: "${url}/prefix/", token: "t0k", org: "my org") |> range(start: -1h) |> filter(fn: (r) => r.host == "a" and r._value > 0)`,
    );
    const first = await it.next();
    expect(rowsOf(first.value as Table)).toEqual(['host=a _value=1']);
    expect(seen).toEqual({
      url: '/prefix/api/v2/query?org=my+org',
      auth: 'Token t0k',
      body: {
        query: 'from(bucket: "b")\n    |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T01:00:00Z)\n    |> filter(fn: (r) => r.host == "a")\n    |> filter(fn: (r) => r._value > 0)\n',
        type: 'flux',
        dialect: { header: true, delimiter: ',', annotations: ['group', 'datatype', 'default'], dateTimeFormat: 'RFC3339Nano' },
        now: '2026-01-01T01:00:00Z',
      },
    });
  });

  it('an aggregateWindow is computed remotely; its rows are shaped here (empty windows, counts of 0)', async () => {
    let query = '';
    const url = await remote((_req, body, res) => {
      query = (JSON.parse(body) as { query: string }).query;
      // What the remote answers for that query: one row per non-empty window, at its start.
      res.writeHead(200, { 'content-type': 'text/csv' }).end(
        '#group,false,false,true,true,false,false,true,true\r\n#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,long,string,string\r\n' +
          '#default,_result,,,,,,,\r\n,result,table,_start,_stop,_time,_value,_field,_measurement\r\n' +
          ',,0,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,2026-01-01T00:20:00Z,7,v,m\r\n',
      );
    });
    const it = await tablesOf(`from(bucket: "b", host: "${url}", token: "t") |> range(start: -1h) |> aggregateWindow(every: 20m, fn: count)`);
    const t = (await it.next()).value as Table;
    expect(query).toBe(
      'from(bucket: "b")\n    |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T01:00:00Z)\n' +
        '    |> aggregateWindow(every: 20m, fn: count, createEmpty: false, timeSrc: "_start")\n',
    );
    expect(rowsOf(t).map((r) => r.replace(/_start=\S+ _stop=\S+ /, ''))).toEqual([
      '_time=2026-01-01T00:20:00Z _value=0 _field=v _measurement=m',
      '_time=2026-01-01T00:40:00Z _value=7 _field=v _measurement=m',
      '_time=2026-01-01T01:00:00Z _value=0 _field=v _measurement=m',
    ]);
  });

  it('hands each table on as soon as it has arrived, before the response ends', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    const url = await remote((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write(`${HEAD},,0,a,1\r\n,,0,a,2\r\n,,1,b,3\r\n`);
      // The rest only once the reader has the first table: a reader that waited for the whole
      // response would never get it.
      void released.then(() => res.end(',,1,b,4\r\n'));
    });
    const it = await tablesOf(`from(bucket: "b", host: "${url}", token: "t") |> range(start: -1h)`);
    expect(rowsOf((await it.next()).value as Table)).toEqual(['host=a _value=1', 'host=a _value=2']);
    release();
    expect(rowsOf((await it.next()).value as Table)).toEqual(['host=b _value=3', 'host=b _value=4']);
    expect((await it.next()).done).toBe(true);
  });

  it('an error table after some tables fails the read with its message, once the tables before it are through', async () => {
    const url = await remote((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(`${HEAD},,0,a,1\r\n\r\n#datatype,string,string\r\n#group,true,true\r\n#default,,\r\n,error,reference\r\n,"panic: out of memory, sorry",\r\n`);
    });
    const it = await tablesOf(`from(bucket: "b", host: "${url}", token: "t") |> range(start: -1h)`);
    expect(rowsOf((await it.next()).value as Table)).toEqual(['host=a _value=1']);
    await expect(it.next()).rejects.toThrow('panic: out of memory, sorry');
  });

  it('a body that is not annotated CSV is reported as such, naming the host', async () => {
    const url = await remote((_req, _body, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(',result,table,x\r\n,,0,1\r\n'));
    const it = await tablesOf(`from(bucket: "b", host: "${url}", token: "t") |> range(start: -1h)`);
    await expect(it.next()).rejects.toThrow(`reading the response of ${new URL(url).host}: line 1: missing expected annotation datatype`);
  });

  it('tables of a second result are not taken (the remote query has one)', async () => {
    const url = await remote((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(`${HEAD},,0,a,1\r\n\r\n${HEAD.replace('#default,_result', '#default,other')},,0,z,9\r\n`);
    });
    const it = await tablesOf(`from(bucket: "b", host: "${url}", token: "t") |> range(start: -1h)`);
    expect(rowsOf((await it.next()).value as Table)).toEqual(['host=a _value=1']);
    expect((await it.next()).done).toBe(true);
  });

  it.each([
    ['no bucket', `from(host: "http://127.0.0.1:1", token: "t")`, 'must specify bucket or bucketID'],
    ['bucket and bucketID', `from(host: "http://127.0.0.1:1", bucket: "a", bucketID: "b")`, 'must specify only one of bucket or bucketID'],
    ['org and orgID', `from(host: "http://127.0.0.1:1", bucket: "a", org: "o", orgID: "p")`, 'must specify only one of org or orgID'],
    ['credentials in the URL', `from(host: "http://u:p@127.0.0.1:1", bucket: "a")`, 'credentials belong in token'],
  ])('%s is an error of the call', async (_name, call, message) => {
    await expect(runProgram(`${call} |> range(start: -1h)`, { registry, externals: new Map([[QUERY_ENV, REMOTE_ONLY_ENV]]) })).rejects.toThrow(
      new RegExp(`^runtime error @1:1-1:\\d+: from: .*${message}`),
    );
  });
});

describe('from(host:) behind a redirect', () => {
  it('a 307 to another server is followed with the query and token; the rows come from there', async () => {
    let seen: { url: string | undefined; auth: string | undefined; query: unknown } | undefined;
    const moved = await remote((req, body, res) => {
      seen = { url: req.url, auth: req.headers.authorization, query: (JSON.parse(body) as { query: unknown }).query };
      res.writeHead(200, { 'content-type': 'text/csv' }).end(`${HEAD},,0,a,7\r\n`);
    });
    const url = await remote((req, _body, res) => res.writeHead(307, { location: `${moved}/new${req.url!}` }).end());
    const it = await tablesOf(`from(bucket: "b", host: "${url}", token: "t0k", org: "o") |> range(start: -1h)`);
    expect(rowsOf((await it.next()).value as Table)).toEqual(['host=a _value=7']);
    expect(seen).toEqual({
      url: '/new/api/v2/query?org=o',
      auth: 'Token t0k',
      query: 'from(bucket: "b")\n    |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T01:00:00Z)\n',
    });
  });
});
