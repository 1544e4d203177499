import { HttpError, InfluxDB, setLogger } from '@influxdata/influxdb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

setLogger({ error: () => undefined, warn: () => undefined });

let ts: TestServer;
// 2024-01-01T00:00:00Z
const T0 = 1_704_067_200n * 1_000_000_000n;
const NOW = '2024-01-01T01:00:00Z';

async function write(bucket: string, lines: string, token = ts.token): Promise<void> {
  const res = await fetch(`${ts.url}/api/v2/write?org=acme&bucket=${bucket}&precision=ns`, {
    method: 'POST',
    headers: { authorization: `Token ${token}` },
    body: lines,
  });
  if (res.status !== 204) throw new Error(`write failed: ${res.status} ${await res.text()}`);
}

async function createBucket(name: string): Promise<string> {
  const res = await fetch(`${ts.url}/api/v2/buckets`, {
    method: 'POST',
    headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ orgID: ts.onboarded!.orgID, name, retentionRules: [] }),
  });
  if (res.status !== 201) throw new Error(`bucket create failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

const queryApi = (token = ts.token) => new InfluxDB({ url: ts.url, token }).getQueryApi({ org: 'acme', now: () => NOW });

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
  const lines: string[] = [];
  // cpu: two hosts, one point a minute for the hour before NOW.
  for (let m = 0; m < 60; m++) {
    const t = T0 + BigInt(m) * 60_000_000_000n;
    lines.push(`cpu,host=a,region=eu usage=${m}.5 ${t}`);
    lines.push(`cpu,host=b,region=us usage=${100 - m} ${t}`);
  }
  lines.push(`types f=1.5,i=-3i,u=7u,s="x, \\"y\\"",b=true ${T0}`);
  await write('telemetry', lines.join('\n'));
  await createBucket('src');
  await createBucket('dst');
  await write('src', lines.join('\n'));
});
afterAll(async () => {
  await ts.cleanup();
});

describe('POST /api/v2/query with the official client', () => {
  it('returns raw rows with exact times, tags and InfluxDB schema', async () => {
    const rows = await queryApi().collectRows<Record<string, unknown>>(
      `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T00:03:00Z) |> filter(fn: (r) => r._measurement == "cpu" and r.host == "a")`,
    );
    expect(rows).toEqual([0, 1, 2].map((m) => ({
      result: '_result',
      table: 0,
      _start: '2024-01-01T00:00:00Z',
      _stop: '2024-01-01T00:03:00Z',
      _time: `2024-01-01T00:0${m}:00Z`,
      _value: m + 0.5,
      _field: 'usage',
      _measurement: 'cpu',
      host: 'a',
      region: 'eu',
    })));
  });

  it('works with the client asking for gzip', async () => {
    const api = new InfluxDB({ url: ts.url, token: ts.token }).getQueryApi({ org: 'acme', now: () => NOW, gzip: true });
    const rows = await api.collectRows<{ _value: number }>(
      `from(bucket: "telemetry") |> range(start: -1h) |> filter(fn: (r) => r._measurement == "cpu") |> group() |> count()`,
    );
    expect(rows.map((r) => r._value)).toEqual([120]);
  });

  it('writes the annotated CSV header and annotations exactly', async () => {
    const lines = await queryApi().collectLines(
      `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T00:01:00Z) |> filter(fn: (r) => r._measurement == "cpu")`,
    );
    expect(lines).toEqual([
      '#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,string,string',
      '#group,false,false,true,true,false,false,true,true,true,true',
      '#default,_result,,,,,,,,,',
      ',result,table,_start,_stop,_time,_value,_field,_measurement,host,region',
      ',,0,2024-01-01T00:00:00Z,2024-01-01T00:01:00Z,2024-01-01T00:00:00Z,0.5,usage,cpu,a,eu',
      ',,1,2024-01-01T00:00:00Z,2024-01-01T00:01:00Z,2024-01-01T00:00:00Z,100,usage,cpu,b,us',
      '',
    ]);
  });

  it('aggregateWindow(mean) gives the window means', async () => {
    const rows = await queryApi().collectRows<{ _time: string; _value: number; host: string }>(
      `from(bucket: "telemetry") |> range(start: -1h) |> filter(fn: (r) => r._measurement == "cpu") |> aggregateWindow(every: 15m, fn: mean)`,
    );
    const a = rows.filter((r) => r.host === 'a').map((r) => [r._time, r._value]);
    // minutes 0..14 → mean 7.5 (+0.5), window stop as _time
    expect(a).toEqual([
      ['2024-01-01T00:15:00Z', 7.5],
      ['2024-01-01T00:30:00Z', 22.5],
      ['2024-01-01T00:45:00Z', 37.5],
      ['2024-01-01T01:00:00Z', 52.5],
    ]);
    const b = rows.filter((r) => r.host === 'b').map((r) => r._value);
    expect(b).toEqual([93, 78, 63, 48]);
  });

  it('reads each datatype', async () => {
    const lines = await queryApi().collectLines(
      `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T00:00:01Z) |> filter(fn: (r) => r._measurement == "types")`,
    );
    const datatypes = lines.filter((l) => l.startsWith('#datatype')).map((l) => l.split(',')[6]);
    expect(datatypes.sort()).toEqual(['boolean', 'double', 'long', 'string', 'unsignedLong']);
    const rows = await queryApi().collectRows<{ _field: string; _value: unknown }>(
      `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T00:00:01Z) |> filter(fn: (r) => r._measurement == "types")`,
    );
    expect(Object.fromEntries(rows.map((r) => [r._field, r._value]))).toEqual({ b: true, f: 1.5, i: -3, s: 'x, "y"', u: 7 });
  });

  it('returns two named yields as two results', async () => {
    const rows = await queryApi().collectRows<{ result: string; _value: number }>(`
      data = from(bucket: "telemetry") |> range(start: -1h) |> filter(fn: (r) => r._measurement == "cpu" and r.host == "a")
      data |> count() |> yield(name: "n")
      data |> max() |> yield(name: "top")`);
    expect(rows.map((r) => [r.result, r._value])).toEqual([
      ['n', 60],
      ['top', 59.5],
    ]);
  });

  it('reports errors as InfluxDB does', async () => {
    const cases: [string, number, RegExp][] = [
      ['from(bucket: "nope") |> range(start: -1h)', 404, /^failed to initialize execute state: could not find bucket "nope"$/],
      ['from(bucket: "telemetry") |> rangee(start: -1h)', 400, /undefined identifier rangee/],
      ['from(bucket: "telemetry")', 400, /cannot submit unbounded read to "telemetry"; try bounding 'from' with a call to 'range'/],
    ];
    for (const [q, status, message] of cases) {
      const e = await queryApi().collectRows(q).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e, q).toBeInstanceOf(HttpError);
      expect((e as HttpError).statusCode, q).toBe(status);
      expect((e as HttpError).message, q).toMatch(message);
    }
  });

  it('runs the seed task shape: aggregateWindow then to(), read back', async () => {
    await queryApi().collectRows(
      `from(bucket:"src") |> range(start: -1h) |> filter(fn: (r) => r._measurement == "cpu") |> aggregateWindow(every: 5m, fn: mean) |> to(bucket: "dst")`,
    );
    const rows = await queryApi().collectRows<{ _time: string; _value: number; host: string }>(
      `from(bucket: "dst") |> range(start: -1h, stop: 1h) |> filter(fn: (r) => r.host == "a")`,
    );
    // 12 windows; the last one is stamped with its stop, NOW.
    expect(rows.map((r) => r._time)).toEqual(Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2024, 0, 1, 0, 5 * (i + 1))).toISOString().replace('.000', '')));
    expect(rows.map((r) => r._value)).toEqual(Array.from({ length: 12 }, (_, i) => 5 * i + 2.5));
    expect(rows[0]).toMatchObject({ _measurement: 'cpu', _field: 'usage', host: 'a', region: 'eu' });
  });

  it('runs a task script (option task, to()) as a query', async () => {
    await createBucket('task-dst');
    await queryApi().collectRows(`
      option task = {name: "downsample", every: 1h}
      from(bucket: "src") |> range(start: -task.every) |> filter(fn: (r) => r.host == "b") |> aggregateWindow(every: 30m, fn: max) |> to(bucket: "task-dst")`);
    const rows = await queryApi().collectRows<{ _time: string; _value: number }>(`from(bucket: "task-dst") |> range(start: -2h, stop: 1h)`);
    expect(rows.map((r) => [r._time, r._value])).toEqual([
      ['2024-01-01T00:30:00Z', 100],
      ['2024-01-01T01:00:00Z', 70],
    ]);
  });

  it('refuses a token scoped to another bucket', async () => {
    const { orgID, bucketID } = ts.onboarded!;
    const res = await fetch(`${ts.url}/api/v2/authorizations`, {
      method: 'POST',
      headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ orgID, permissions: [{ action: 'read', resource: { type: 'buckets', orgID, id: bucketID } }] }),
    });
    const scoped = ((await res.json()) as { token: string }).token;
    const ok = await queryApi(scoped).collectRows(`from(bucket: "telemetry") |> range(start: -1h) |> limit(n: 1)`);
    expect(ok.length).toBeGreaterThan(0);
    const e = await queryApi(scoped).collectRows(`from(bucket: "src") |> range(start: -1h)`).catch((err: unknown) => err);
    expect((e as HttpError).statusCode).toBe(404);
    const listed = await queryApi(scoped).collectRows<{ name: string }>('buckets()');
    expect(listed.map((b) => b.name)).toEqual(['telemetry']);
    const w = await queryApi(scoped)
      .collectRows(`from(bucket: "telemetry") |> range(start: -1h) |> to(bucket: "telemetry")`)
      .catch((err: unknown) => err);
    expect((w as HttpError).statusCode).toBe(404);
    // A token that reads no bucket of the org: buckets() is 404, as in InfluxDB.
    const none = await fetch(`${ts.url}/api/v2/authorizations`, {
      method: 'POST',
      headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ orgID, permissions: [{ action: 'write', resource: { type: 'buckets', orgID, id: bucketID } }] }),
    });
    const writeOnly = ((await none.json()) as { token: string }).token;
    const e2 = await queryApi(writeOnly).collectRows('buckets()').catch((err: unknown) => err);
    expect((e2 as HttpError).statusCode).toBe(404);
    expect((e2 as HttpError).message).toBe(`no buckets found in organization ${orgID}`);
  });

  it('streams rows with queryRows and lines with queryLines', async () => {
    const query = `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T00:02:00Z) |> filter(fn: (r) => r.host == "b")`;
    const seen: [string, number][] = [];
    await new Promise<void>((resolve, reject) =>
      queryApi().queryRows(query, {
        next: (row, meta) => {
          const o = meta.toObject(row) as { _time: string; _value: number };
          seen.push([o._time, o._value]);
        },
        error: reject,
        complete: resolve,
      }),
    );
    expect(seen).toEqual([
      ['2024-01-01T00:00:00Z', 100],
      ['2024-01-01T00:01:00Z', 99],
    ]);
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) =>
      queryApi().queryLines(query, { next: (l) => void lines.push(l), error: reject, complete: resolve }),
    );
    expect(lines.filter((l) => l.startsWith(',,0,'))).toEqual([
      ',,0,2024-01-01T00:00:00Z,2024-01-01T00:02:00Z,2024-01-01T00:00:00Z,100,usage,cpu,b,us',
      ',,0,2024-01-01T00:00:00Z,2024-01-01T00:02:00Z,2024-01-01T00:01:00Z,99,usage,cpu,b,us',
    ]);
  });

  it('to() with fieldFn, tagColumns and measurementColumn, read back', async () => {
    const bucket = 'to-options';
    await createBucket(bucket);
    await queryApi().collectRows(`
      import "array"
      array.from(rows: [
        {_time: 2024-01-01T00:10:00Z, m: "weather", city: "Oslo", country: "no", t: 3.5, wet: true},
        {_time: 2024-01-01T00:20:00Z, m: "weather", city: "Rome", country: "it", t: 14.0, wet: false},
      ])
        |> to(bucket: "${bucket}", measurementColumn: "m", tagColumns: ["city"], fieldFn: (r) => ({temp: r.t, wet: r.wet}))`);
    const rows = await queryApi().collectRows<Record<string, unknown>>(
      `from(bucket: "${bucket}") |> range(start: -1h)`,
    );
    expect(rows.map((r) => [r._time, r._measurement, r.city, r._field, r._value, r.country])).toEqual([
      ['2024-01-01T00:10:00Z', 'weather', 'Oslo', 'temp', 3.5, undefined],
      ['2024-01-01T00:10:00Z', 'weather', 'Oslo', 'wet', true, undefined],
      ['2024-01-01T00:20:00Z', 'weather', 'Rome', 'temp', 14, undefined],
      ['2024-01-01T00:20:00Z', 'weather', 'Rome', 'wet', false, undefined],
    ]);
  });

  it.each([
    ['no _measurement', 'import "array"\narray.from(rows: [{_time: 2024-01-01T00:00:00Z, _field: "f", _value: 1.0}]) |> to(bucket: "dst")', /no column with label _measurement exists/],
    ['no _time', 'import "array"\narray.from(rows: [{_measurement: "m", _field: "f", _value: 1.0}]) |> to(bucket: "dst")', /no time column detected/],
    ['no _field', 'import "array"\narray.from(rows: [{_time: 2024-01-01T00:00:00Z, _measurement: "m", _value: 1.0}]) |> to(bucket: "dst")', /no column with label _field exists/],
    ['unknown bucket', 'import "array"\narray.from(rows: [{_time: 2024-01-01T00:00:00Z, _measurement: "m", _field: "f", _value: 1.0}]) |> to(bucket: "nope")', /could not find bucket "nope"/],
  ])('to() refuses input without what it needs: %s', async (_name, query, message) => {
    const e = await queryApi().collectRows(query).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).message).toMatch(message);
  });
});
