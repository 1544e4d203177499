import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/** Raw HTTP behaviour of /api/v2/query (reference §3): bodies, dialects, errors, limits. */

let ts: TestServer;
let limited: TestServer;

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
  limited = await startTestServer({ setup: true, config: { queryMemoryBytes: 2000 } });
  const lines = Array.from({ length: 200 }, (_, i) => `m,host=h${i % 2} v=${i} ${1_704_067_200_000_000_000n + BigInt(i) * 1_000_000_000n}`).join('\n');
  for (const s of [ts, limited]) {
    const res = await fetch(`${s.url}/api/v2/write?org=acme&bucket=telemetry`, { method: 'POST', headers: { authorization: `Token ${s.token}` }, body: lines });
    expect(res.status).toBe(204);
  }
});
afterAll(async () => {
  await ts.cleanup();
  await limited.cleanup();
});

async function post(path: string, body: string, contentType = 'application/json', extra: Record<string, string> = {}, server = ts) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Token ${server.token}`, 'content-type': contentType, ...extra },
    body,
  });
  return { status: res.status, contentType: res.headers.get('content-type'), text: await res.text() };
}

const q = (query: string, more: Record<string, unknown> = {}): string => JSON.stringify({ query, ...more });
const ANNOTATED = { annotations: ['datatype', 'group', 'default'] };

describe('POST /api/v2/query', () => {
  it('answers raw Flux (application/vnd.flux) with a header, no annotations, CRLF', async () => {
    const r = await post('/api/v2/query?org=acme', 'import "array"\narray.from(rows: [{a: 1, b: "x"}, {a: 2, b: "y,z"}])', 'application/vnd.flux');
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('text/csv; charset=utf-8');
    expect(r.text).toBe(',result,table,a,b\r\n,_result,0,1,x\r\n,_result,0,2,"y,z"\r\n\r\n');
  });

  it.each([
    ['no dialect: header, no annotations', {}, ',result,table,a\r\n,_result,0,1\r\n\r\n'],
    [
      'all annotations',
      { dialect: ANNOTATED },
      '#datatype,string,long,long\r\n#group,false,false,false\r\n#default,_result,,\r\n,result,table,a\r\n,,0,1\r\n\r\n',
    ],
    ['delimiter and no header', { dialect: { header: false, delimiter: ';' } }, ';_result;0;1\r\n\r\n'],
  ])('dialect: %s', async (_name, more, expected) => {
    const r = await post('/api/v2/query?org=acme', q('import "array"\narray.from(rows: [{a: 1}])', more));
    expect(r.status).toBe(200);
    expect(r.text).toBe(expected);
  });

  it('gzips the response when the client accepts gzip, identity otherwise', async () => {
    const body = q('import "array"\narray.from(rows: [{a: 1}])');
    const send = (acceptEncoding: string) =>
      new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
        const req = httpRequest(`${ts.url}/api/v2/query?org=acme`, {
          method: 'POST',
          headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/json', 'accept-encoding': acceptEncoding },
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const zipped = await send('gzip');
    expect(zipped.encoding).toBe('gzip');
    expect(gunzipSync(zipped.bytes).toString()).toBe(',result,table,a\r\n,_result,0,1\r\n\r\n');
    const plain = await send('identity');
    expect(plain.encoding).toBeUndefined();
    expect(plain.bytes.toString()).toBe(',result,table,a\r\n,_result,0,1\r\n\r\n');
  });

  it('takes now() from the request and params as the params record', async () => {
    const r = await post(
      '/api/v2/query?org=acme',
      q('import "array"\narray.from(rows: [{t: now(), n: params.n, s: params.s, f: params.f}])', {
        now: '2024-05-06T07:08:09.5Z',
        params: { n: 3, s: 'hi', f: 1.5 },
      }),
    );
    expect(r.text).toBe(',result,table,t,n,s,f\r\n,_result,0,2024-05-06T07:08:09.5Z,3,hi,1.5\r\n\r\n');
  });

  it('runs the extern (the InfluxDB UI\'s option v) before the query', async () => {
    const lit = (type: string, value: unknown) => ({ type, value });
    const extern = {
      type: 'File',
      imports: [],
      body: [
        {
          type: 'OptionStatement',
          assignment: {
            type: 'VariableAssignment',
            id: { type: 'Identifier', name: 'v' },
            init: {
              type: 'ObjectExpression',
              properties: [
                { type: 'Property', key: { type: 'Identifier', name: 'timeRangeStart' }, value: lit('DateTimeLiteral', '2024-01-01T00:00:00Z') },
                {
                  type: 'Property',
                  key: { type: 'Identifier', name: 'timeRangeStop' },
                  value: { type: 'CallExpression', callee: { type: 'Identifier', name: 'now' }, arguments: [] },
                },
                {
                  type: 'Property',
                  key: { type: 'Identifier', name: 'windowPeriod' },
                  value: { type: 'DurationLiteral', values: [{ magnitude: 100, unit: 's' }] },
                },
                { type: 'Property', key: { type: 'Identifier', name: 'bucket' }, value: lit('StringLiteral', 'telemetry') },
              ],
            },
          },
        },
      ],
    };
    const r = await post(
      '/api/v2/query?org=acme',
      q('from(bucket: v.bucket) |> range(start: v.timeRangeStart, stop: v.timeRangeStop) |> filter(fn: (r) => r.host == "h0") |> aggregateWindow(every: v.windowPeriod, fn: count) |> keep(columns: ["_value"])', {
        extern,
        now: '2024-01-01T00:05:00Z',
      }),
    );
    expect(r.text).toBe(',result,table,_value\r\n,_result,0,50\r\n,_result,0,50\r\n,_result,0,0\r\n\r\n');
    const bad = await post('/api/v2/query?org=acme', q('1', { extern: { type: 'File', body: [{ type: 'ReturnStatement' }] } }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ message: 'failed to decode request body: extern: unsupported statement ReturnStatement' });
  });

  it('separates two yields and appends the error table when a later result fails', async () => {
    const r = await post(
      '/api/v2/query?org=acme',
      q('import "array"\narray.from(rows: [{a: 1}]) |> yield(name: "ok")\narray.from(rows: [{a: 0}]) |> map(fn: (r) => ({b: 1 / r.a})) |> yield(name: "bad")', {
        dialect: ANNOTATED,
      }),
    );
    expect(r.status).toBe(200);
    // The first result, its separator, then (after a blank line) the error table.
    expect(r.text).toMatch(
      /^#datatype,string,long,long\r\n#group,false,false,false\r\n#default,ok,,\r\n,result,table,a\r\n,,0,1\r\n\r\n(\r\n)?#datatype,string,string\r\n#group,true,true\r\n#default,,\r\n,error,reference\r\n,[^\r\n]*divide by zero[^\r\n]*,\r\n$/,
    );
  });

  it('ends an empty result with CRLF only', async () => {
    const r = await post('/api/v2/query?org=acme', q('from(bucket: "telemetry") |> range(start: 2000-01-01T00:00:00Z, stop: 2000-01-02T00:00:00Z)'));
    expect(r).toMatchObject({ status: 200, text: '\r\n' });
  });

  it.each([
    ['no org', '/api/v2/query', q('1'), 400, 'failed to decode request body: Please provide either orgID or org'],
    ['unknown org', '/api/v2/query?org=nope', q('1'), 400, 'failed to decode request body: organization name "nope" not found'],
    ['no query', '/api/v2/query?org=acme', '{}', 400, 'failed to decode request body: request body requires either query or AST'],
    ['bad type', '/api/v2/query?org=acme', q('1', { type: 'sql' }), 400, 'failed to decode request body: unknown query type: sql'],
    ['bad annotation', '/api/v2/query?org=acme', q('1', { dialect: { annotations: ['x'] } }), 400, 'failed to decode request body: unknown dialect annotation type: x'],
    ['bad json', '/api/v2/query?org=acme', '{', 400, /^failed to decode request body: /],
    ['syntax', '/api/v2/query?org=acme', q('from(bucket: "telemetry") |> rangee(start: -1h)'), 400, 'error @1:30-1:36: undefined identifier rangee'],
    ['unknown bucket', '/api/v2/query?org=acme', q('from(bucket: "x") |> range(start: -1h)'), 404, 'failed to initialize execute state: could not find bucket "x"'],
  ])('errors before output: %s', async (_name, path, body, status, message) => {
    const r = await post(path, body);
    expect(r.status).toBe(status);
    expect(r.contentType).toBe('application/json; charset=utf-8');
    const j = JSON.parse(r.text) as { code: string; message: string };
    expect(j.code).toBe(status === 404 ? 'not found' : 'invalid');
    if (typeof message === 'string') expect(j.message).toBe(message);
    else expect(j.message).toMatch(message);
  });

  it('stops a query past the memory limit with an error naming the limit', async () => {
    const r = await post('/api/v2/query?org=acme', q('from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-02T00:00:00Z)'), undefined, {}, limited);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ code: 'invalid', message: expect.stringMatching(/memory allocation limit reached: limit 2000 bytes/) });
  });

  it('Prefer: return-no-content runs the query and answers 204', async () => {
    const r = await post('/api/v2/query?org=acme', q('import "array"\narray.from(rows: [{a: 1}])'), 'application/json', { prefer: 'return-no-content' });
    expect(r).toMatchObject({ status: 204, text: '' });
  });

  it('buckets() lists the readable buckets grouped by organizationID', async () => {
    const r = await post('/api/v2/query?org=acme', q('buckets() |> filter(fn: (r) => r.name == "telemetry")', { dialect: ANNOTATED }));
    const lines = r.text.split('\r\n');
    expect(lines.slice(0, 4)).toEqual([
      '#datatype,string,long,string,string,string,string,long',
      '#group,false,false,false,false,true,false,false',
      '#default,_result,,,,,,',
      ',result,table,name,id,organizationID,retentionPolicy,retentionPeriod',
    ]);
    expect(lines[4]).toBe(`,,0,telemetry,${ts.onboarded!.bucketID},${ts.onboarded!.orgID},,0`);
  });
});

describe('schema and influxdb package functions over storage', () => {
  const run = async (query: string): Promise<string> => {
    const r = await post('/api/v2/query?org=acme', q(query, { now: '2024-01-02T00:00:00Z' }));
    expect(r.status, r.text).toBe(200);
    return r.text;
  };
  it.each([
    ['schema.measurements', 'import "influxdata/influxdb/schema"\nschema.measurements(bucket: "telemetry")', ['m']],
    ['schema.tagValues', 'import "influxdata/influxdb/schema"\nschema.tagValues(bucket: "telemetry", tag: "host")', ['h0', 'h1']],
    ['schema.fieldKeys', 'import "influxdata/influxdb/schema"\nschema.fieldKeys(bucket: "telemetry")', ['v']],
    ['influxdb.cardinality', 'import "influxdata/influxdb"\ninfluxdb.cardinality(bucket: "telemetry", start: -2d)', ['2']],
  ])('%s', async (_name, query, values) => {
    const text = await run(query);
    const rows = text.split('\r\n').slice(1).filter((l) => l !== '');
    expect(rows.map((l) => l.split(',').at(-1))).toEqual(values);
  });
});

describe('POST /api/v2/query/analyze and /ast', () => {
  it('analyze lists syntax and name errors, none for a good query', async () => {
    const good = await post('/api/v2/query/analyze', q('from(bucket: "b") |> range(start: -1h)'));
    expect(good).toMatchObject({ status: 200, text: '{"errors":[]}' });
    const bad = await post('/api/v2/query/analyze', q('x = 1\ny = nope + 1'));
    expect(JSON.parse(bad.text)).toEqual({ errors: [{ line: 2, column: 5, character: 0, message: 'undefined identifier nope' }] });
  });

  it('suggestions list the prelude functions', async () => {
    const res = await fetch(`${ts.url}/api/v2/query/suggestions`, { headers: { authorization: `Token ${ts.token}` } });
    const names = ((await res.json()) as { funcs: { name: string }[] }).funcs.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['aggregateWindow', 'buckets', 'from', 'range', 'to']));
    expect(names.some((n) => n.startsWith('_'))).toBe(false);
    const one = await fetch(`${ts.url}/api/v2/query/suggestions/range`, { headers: { authorization: `Token ${ts.token}` } });
    expect(await one.json()).toEqual({ name: 'range', params: {} });
    const missing = await fetch(`${ts.url}/api/v2/query/suggestions/nope`, { headers: { authorization: `Token ${ts.token}` } });
    expect(missing.status).toBe(404);
  });

  it('ast returns the parsed package', async () => {
    const r = await post('/api/v2/query/ast', q('x = 1'));
    expect(r.status).toBe(200);
    const ast = (JSON.parse(r.text) as { ast: { type: string; files: { body: unknown[] }[] } }).ast;
    expect(ast.type).toBe('Package');
    expect(ast.files[0]!.body).toHaveLength(1);
  });
});
