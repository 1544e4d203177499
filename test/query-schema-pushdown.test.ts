import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../src/core/clock.js';
import { ANNOTATED_DIALECT } from '../src/flux/csv/index.js';
import { DEFAULT_QUERY_LIMITS, QueryController } from '../src/query/query-controller.js';
import { QueryService } from '../src/query/query-service.js';
import type { Storage } from '../src/storage/storage.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * schema.* over a storage read are answered by the series index (as InfluxDB's ReadTagValues and
 * ReadTagKeys push-downs are), with InfluxDB's push-down answers, and anything else stays plain Flux.
 */

let ts: TestServer;
const T0 = 1_704_067_200n * 1_000_000_000n; // 2024-01-01T00:00:00Z
const S = 1_000_000_000n;
const calls = { read: 0, tagValues: 0, tagKeys: 0 };

function service(): QueryService {
  const real = ts.server.openedStorage!;
  // Counts what reaches storage, to tell a listing from a read of every point.
  const recording: Storage = Object.assign(Object.create(real) as Storage, {
    read: (...a: Parameters<Storage['read']>) => {
      calls.read++;
      return real.read(...a);
    },
    tagValues: (...a: Parameters<Storage['tagValues']>) => {
      calls.tagValues++;
      return real.tagValues(...a);
    },
    tagKeys: (...a: Parameters<Storage['tagKeys']>) => {
      calls.tagKeys++;
      return real.tagKeys(...a);
    },
  });
  return new QueryService({ meta: ts.server.meta, storage: () => recording, controller: new QueryController(DEFAULT_QUERY_LIMITS, new SystemClock()) });
}

async function run(query: string, pushDown = true): Promise<string> {
  let out = '';
  const org = ts.server.meta.orgs.findByName('acme')!;
  const outcome = await service().execute(
    { query, org, auth: { allows: () => true }, nowNs: T0 + 3_600n * S, dialect: ANNOTATED_DIALECT, signal: new AbortController().signal, pushDown },
    (chunk) => void (out += chunk),
  );
  if (outcome.error !== undefined) throw outcome.error;
  return out;
}

/** The `_value` cells of a one-column listing, in order. */
function values(csv: string): string[] {
  const rows = csv.split('\r\n').filter((l) => l !== '' && !l.startsWith('#'));
  const header = rows.shift()?.split(',') ?? [];
  const j = header.indexOf('_value');
  expect(j).toBeGreaterThanOrEqual(0);
  return rows.map((r) => r.split(',')[j]!);
}

const RANGE = 'start: 2024-01-01T00:00:00Z, stop: 2024-01-01T01:00:00Z';
const schema = (call: string): string => `import "influxdata/influxdb/schema"\nschema.${call}`;

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
  const lines = [
    `cpu,host=b,dc=y f=2 ${T0 + 3n * S}`,
    `cpu,host=a,dc=x f=1 ${T0 + 1n * S}`,
    `cpu,host=a,dc=x f=1.5 ${T0 + 2n * S}`,
    // Only at the range's stop (exclusive) and later: not in the range.
    `cpu,host=c,dc=x f=3 ${T0 + 3_600n * S}`,
    `mem,host=a,zone=z1 used=4i ${T0 + 5n * S}`,
    `disk free=5 ${T0 + 6n * S}`,
    `net,host=d bytes=7i ${T0 + 7n * S}`,
  ];
  const res = await fetch(`${ts.url}/api/v2/write?org=acme&bucket=telemetry`, {
    method: 'POST',
    headers: { authorization: `Token ${ts.token}` },
    body: lines.join('\n'),
  });
  expect(res.status).toBe(204);
  // host d's only point is deleted: a tombstone, not a missing series.
  const del = await fetch(`${ts.url}/api/v2/delete?org=acme&bucket=telemetry`, {
    method: 'POST',
    headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ start: '2024-01-01T00:00:00Z', stop: '2024-01-01T00:00:10Z', predicate: 'host="d"' }),
  });
  expect(del.status).toBe(204);
});
afterAll(async () => {
  await ts.cleanup();
});

describe('schema listings from the series index', () => {
  it('tagValues: sorted, in range, without deleted or tagless series, and without reading points', async () => {
    calls.read = calls.tagValues = 0;
    const out = await run(schema(`tagValues(bucket: "telemetry", tag: "host", ${RANGE})`));
    expect(values(out)).toEqual(['a', 'b']);
    expect(calls).toMatchObject({ read: 0, tagValues: 1 });
    expect(out).toContain('#group,false,false,false\r\n');
    // Plain Flux over every point gives the same values (in first-seen order).
    const plain = values(await run(schema(`tagValues(bucket: "telemetry", tag: "host", ${RANGE})`), false));
    expect([...plain].sort()).toEqual(['a', 'b']);
  });

  it('measurements, fieldKeys and measurementFieldKeys', async () => {
    calls.read = 0;
    expect(values(await run(schema(`measurements(bucket: "telemetry", ${RANGE})`)))).toEqual(['cpu', 'disk', 'mem']);
    expect(values(await run(schema(`fieldKeys(bucket: "telemetry", ${RANGE})`)))).toEqual(['f', 'free', 'used']);
    expect(values(await run(schema(`measurementFieldKeys(bucket: "telemetry", measurement: "mem", ${RANGE})`)))).toEqual(['used']);
    expect(values(await run(schema(`measurementTagValues(bucket: "telemetry", measurement: "cpu", tag: "dc", ${RANGE})`)))).toEqual(['x', 'y']);
    expect(calls.read).toBe(0);
  });

  it('a predicate storage can test narrows the series', async () => {
    calls.read = 0;
    const q = schema(`tagValues(bucket: "telemetry", tag: "host", predicate: (r) => r.dc =~ /^y/ or r._measurement == "mem", ${RANGE})`);
    expect(values(await run(q))).toEqual(['a', 'b']);
    const q2 = schema(`tagValues(bucket: "telemetry", tag: "host", predicate: (r) => r.dc == "y", ${RANGE})`);
    expect(values(await run(q2))).toEqual(['b']);
    expect(calls.read).toBe(0);
  });

  it('tagKeys: _start, _stop, _measurement, the tags, _field (InfluxDB storage order)', async () => {
    calls.read = calls.tagKeys = 0;
    const out = values(await run(schema(`tagKeys(bucket: "telemetry", ${RANGE})`)));
    expect(out).toEqual(['_start', '_stop', '_measurement', 'dc', 'host', 'zone', '_field']);
    expect(calls).toMatchObject({ read: 0, tagKeys: 1 });
    const plain = values(await run(schema(`tagKeys(bucket: "telemetry", ${RANGE})`), false));
    expect([...plain].sort()).toEqual([...out].sort());
    // Series without tags still have a measurement and a field.
    expect(values(await run(schema(`measurementTagKeys(bucket: "telemetry", measurement: "disk", ${RANGE})`)))).toEqual(['_start', '_stop', '_measurement', '_field']);
    // No series in the range: InfluxDB still lists _start and _stop.
    expect(values(await run(schema('tagKeys(bucket: "telemetry", start: 2030-01-01T00:00:00Z, stop: 2030-01-02T00:00:00Z)')))).toEqual(['_start', '_stop']);
  });

  it('a predicate on values, or a chain that stops early, runs as plain Flux', async () => {
    calls.read = calls.tagValues = 0;
    const q = schema(`tagValues(bucket: "telemetry", tag: "host", predicate: (r) => r._value > 1.2, ${RANGE})`);
    expect(values(await run(q))).toEqual(['a', 'b']);
    expect(calls.tagValues).toBe(0);
    expect(calls.read).toBeGreaterThan(0);
    for (const partial of [
      `from(bucket: "telemetry") |> range(${RANGE}) |> keep(columns: ["host"]) |> group()`,
      `from(bucket: "telemetry") |> range(${RANGE}) |> keep(columns: ["host"]) |> group(columns: ["host"]) |> distinct(column: "host")`,
      `from(bucket: "telemetry") |> range(${RANGE}) |> keep(columns: ["host"]) |> group() |> distinct(column: "dc")`,
      `from(bucket: "telemetry") |> range(${RANGE}) |> keys() |> keep(columns: ["_value"])`,
      `from(bucket: "telemetry") |> range(${RANGE}) |> keys() |> keep(columns: ["_value"]) |> distinct(column: "host")`,
      `from(bucket: "telemetry") |> range(${RANGE}) |> keys(column: "k") |> keep(columns: ["k"]) |> distinct(column: "k")`,
      `from(bucket: "telemetry") |> range(${RANGE}) |> count() |> keep(columns: ["host"]) |> group() |> distinct(column: "host")`,
    ]) {
      expect(await run(partial), partial).toBe(await run(partial, false));
    }
  });
});
