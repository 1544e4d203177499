import { describe, expect, it } from 'vitest';
import type { ExternalKey } from '../../interpreter/index.js';
import { runRows, runTables } from '../experimental/run-tables.js';
import {
  POINT_SINK,
  SERIES_SOURCE,
  type BucketRef,
  type PointSink,
  type SeriesData,
  type SeriesReadRequest,
  type SeriesSource,
  type SinkPoint,
} from './series-source.js';
import { TASK_RUN } from './tasks.js';

const S = 1_000_000_000n;
const T0 = 1_609_459_200n * S; // 2021-01-01T00:00:00Z

/** An in-memory SeriesSource: serves fixed series, records the requests it got. */
class MemorySource implements SeriesSource {
  readonly requests: SeriesReadRequest[] = [];
  constructor(readonly series: SeriesData[]) {}
  async *read(request: SeriesReadRequest): AsyncIterable<SeriesData> {
    this.requests.push(request);
    for (const s of this.series) {
      const keep = [...s.timestampsNs].map((t, i) => [t, i] as const).filter(([t]) => t >= request.startNs && t < request.stopNs);
      // Split every series in two batches to exercise the merging of pieces.
      const half = Math.ceil(keep.length / 2);
      for (const part of [keep.slice(0, half), keep.slice(half)]) {
        if (part.length === 0) continue;
        yield {
          ...s,
          timestampsNs: BigInt64Array.from(part.map(([t]) => t)),
          values: Float64Array.from(part.map(([, i]) => (s.values as Float64Array)[i]!)),
        };
      }
    }
  }
  async buckets() {
    return [{ name: 'b1', id: '0000000000000001', organizationID: '00000000000000aa', retentionPolicy: '', retentionPeriodNs: 0n }];
  }
  async cardinality(request: SeriesReadRequest) {
    this.requests.push(request);
    return this.series.length;
  }
}

class MemorySink implements PointSink {
  readonly writes: { target: BucketRef; points: readonly SinkPoint[] }[] = [];
  async write(target: BucketRef, points: readonly SinkPoint[]) {
    this.writes.push({ target, points: [...points] });
  }
}

const cpu = (host: string, values: number[]): SeriesData => ({
  measurement: 'cpu',
  tags: [['host', host]],
  field: 'usage',
  type: 0,
  timestampsNs: BigInt64Array.from(values.map((_, i) => T0 + BigInt(i) * 10n * S)),
  values: Float64Array.from(values),
});

const externals = (source?: SeriesSource, sink?: PointSink): ReadonlyMap<ExternalKey<unknown>, unknown> =>
  new Map<ExternalKey<unknown>, unknown>([
    ...(source === undefined ? [] : [[SERIES_SOURCE, source] as const]),
    ...(sink === undefined ? [] : [[POINT_SINK, sink] as const]),
  ]);

describe('from over a SeriesSource', () => {
  it('builds one table per series with from()s schema, merging batches', async () => {
    const source = new MemorySource([cpu('a', [1, 2, 3]), cpu('b', [5])]);
    const tables = await runTables('from(bucket: "b1") |> range(start: 2021-01-01T00:00:00Z, stop: 2021-01-02T00:00:00Z)', {
      externals: externals(source),
    });
    expect(tables.map((t) => [t.key.host, t.rows.map((r) => r._value)])).toEqual([
      ['a', [1, 2, 3]],
      ['b', [5]],
    ]);
    expect(Object.keys(tables[0]!.rows[0]!)).toEqual(['_start', '_stop', '_time', '_value', '_field', '_measurement', 'host']);
    expect(source.requests[0]!.bucket).toEqual({ bucket: 'b1' });
  });

  it.each([
    ['no bucket', 'from()', /exactly one of bucket or bucketID/],
    ['both bucket and bucketID', 'from(bucket: "a", bucketID: "b")', /exactly one of bucket or bucketID/],
    ['org and orgID', 'from(bucket: "a", org: "o", orgID: "i")', /at most one of org or orgID/],
  ])('rejects %s', async (_, call, want) => {
    await expect(runTables(call, { externals: externals(new MemorySource([])) })).rejects.toThrow(want);
  });

  it('fails clearly without a server', async () => {
    await expect(runTables('from(bucket: "b1") |> range(start: -1h)')).rejects.toThrow(/from is not available here: no series source/);
  });

  it('buckets and cardinality read through the source', async () => {
    const source = new MemorySource([cpu('a', [1]), cpu('b', [2])]);
    expect((await runRows('buckets()', { externals: externals(source) })).map((r) => r.name)).toEqual(['b1']);
    const rows = await runRows('import "influxdata/influxdb"\ninfluxdb.cardinality(bucket: "b1", start: -1h, predicate: (r) => r.host == "a" and r._measurement =~ /c/)', {
      externals: externals(source),
    });
    expect(rows.map((r) => r._value)).toEqual(['2']);
    expect(source.requests[0]!.predicate).toEqual({
      kind: 'and',
      left: { kind: 'compare', key: 'host', op: '==', value: 'a' },
      right: { kind: 'regex', key: '_measurement', op: '=~', pattern: /c/ },
    });
  });

  it('cardinality rejects predicates on values', async () => {
    await expect(
      runRows('import "influxdata/influxdb"\ninfluxdb.cardinality(bucket: "b1", start: -1h, predicate: (r) => r._value > 1)', {
        externals: externals(new MemorySource([])),
      }),
    ).rejects.toThrow(/predicate must compare tags/);
  });
});

describe('to and wideTo over a PointSink', () => {
  const DATA = `import "array"
data = array.from(rows: [
    {_time: 2021-01-01T00:00:00Z, _measurement: "m", host: "a", _field: "f", _value: 1.5},
    {_time: 2021-01-01T00:00:10Z, _measurement: "m", host: "a", _field: "g", _value: 2.5},
]) |> group(columns: ["_measurement", "host", "_field"])
`;

  it('to writes _field/_value pairs with the key string columns as tags', async () => {
    const sink = new MemorySink();
    const rows = await runRows(`${DATA}\ndata |> to(bucket: "out", org: "o")`, { externals: externals(undefined, sink) });
    expect(rows).toHaveLength(2);
    expect(sink.writes.map((w) => w.target)).toEqual([
      { bucket: 'out', org: 'o' },
      { bucket: 'out', org: 'o' },
    ]);
    expect(sink.writes.flatMap((w) => w.points)).toEqual([
      { measurement: 'm', tags: [['host', 'a']], fields: [{ key: 'f', value: 1.5, type: 0 }], timestampNs: T0 },
      { measurement: 'm', tags: [['host', 'a']], fields: [{ key: 'g', value: 2.5, type: 0 }], timestampNs: T0 + 10n * S },
    ]);
  });

  it('to with fieldFn writes the returned record as fields', async () => {
    const sink = new MemorySink();
    await runRows(`${DATA}\ndata |> to(bucket: "out", fieldFn: (r) => ({v: r._value, n: 1}))`, { externals: externals(undefined, sink) });
    expect(sink.writes[0]!.points[0]!.fields).toEqual([
      { key: 'v', value: 1.5, type: 0 },
      { key: 'n', value: 1n, type: 1 },
    ]);
  });

  it.each([
    ['every string column by default', '', [['dc', 'x'], ['host', 'a']]],
    ['only tagColumns when given', ', tagColumns: ["dc"]', [['dc', 'x']]],
  ])('to takes as tags %s', async (_, extra, want) => {
    const sink = new MemorySink();
    await runRows(
      `import "array"\narray.from(rows: [{_time: 2021-01-01T00:00:00Z, _measurement: "m", host: "a", dc: "x", _field: "f", _value: 1}]) |> to(bucket: "out"${extra})`,
      { externals: externals(undefined, sink) },
    );
    expect(sink.writes[0]!.points[0]!.tags).toEqual(want);
  });

  it('wideTo writes every non-key column as a field', async () => {
    const sink = new MemorySink();
    await runRows(
      `import "array"\narray.from(rows: [{_time: 2021-01-01T00:00:00Z, _measurement: "m", host: "a", x: 1, y: true}]) |> group(columns: ["_measurement", "host"]) |> wideTo(bucket: "out")`,
      { externals: externals(undefined, sink) },
    );
    expect(sink.writes[0]!.points).toEqual([
      {
        measurement: 'm',
        tags: [['host', 'a']],
        fields: [
          { key: 'x', value: 1n, type: 1 },
          { key: 'y', value: true, type: 4 },
        ],
        timestampNs: T0,
      },
    ]);
  });
});

describe('influxdata/influxdb/schema and v1', () => {
  const OVERRIDE = `import "array"
import "influxdata/influxdb/schema"
import "influxdata/influxdb/v1"
option schema._from = (bucket) => array.from(rows: [
    {_time: 2021-01-01T00:00:00Z, _measurement: "cpu", host: "a", _field: "usage", _value: 1.0},
    {_time: 2021-01-01T00:00:00Z, _measurement: "cpu", host: "b", _field: "idle", _value: 2.0},
    {_time: 2021-01-01T00:00:00Z, _measurement: "mem", host: "a", _field: "used", _value: 3.0},
]) |> group(columns: ["_measurement", "host", "_field"])
`;
  it.each([
    ['schema.tagValues(bucket: "b", tag: "host", start: 2020-01-01T00:00:00Z)', ['a', 'b']],
    ['schema.measurementTagValues(bucket: "b", measurement: "mem", tag: "host", start: 2020-01-01T00:00:00Z)', ['a']],
    ['schema.measurements(bucket: "b", start: 2020-01-01T00:00:00Z)', ['cpu', 'mem']],
    ['schema.fieldKeys(bucket: "b", start: 2020-01-01T00:00:00Z)', ['idle', 'usage', 'used']],
    ['v1.measurementFieldKeys(bucket: "b", measurement: "cpu", start: 2020-01-01T00:00:00Z)', ['idle', 'usage']],
    ['schema.tagKeys(bucket: "b", start: 2020-01-01T00:00:00Z)', ['_field', '_measurement', '_start', '_stop', 'host']],
  ])('%s', async (call, want) => {
    const rows = await runRows(`${OVERRIDE}\n${call} |> sort()`);
    expect(rows.map((r) => r._value)).toEqual(want);
  });

  it('fieldsAsCols pivots fields into columns', async () => {
    const rows = await runRows(`${OVERRIDE}\nschema._from(bucket: "b") |> filter(fn: (r) => r.host == "a") |> group(columns: ["_measurement"]) |> schema.fieldsAsCols()`);
    expect(rows.map((r) => [r._measurement, r.usage, r.used])).toEqual([
      ['cpu', 1, undefined],
      ['mem', undefined, 3],
    ]);
  });
});

describe('influxdata/influxdb/tasks.lastSuccess', () => {
  const program = (option: string) => `import "array"\nimport "influxdata/influxdb/tasks"\n${option}\narray.from(rows: [{t: tasks.lastSuccess(orTime: -1h)}])`;
  it.each([
    ['the option when set', 'option tasks.lastSuccessTime = 2020-01-01T00:00:00Z', 123n, '2020-01-01T00:00:00Z'],
    ['the task run when known', '', 1_000_000_000n * S, '2001-09-09T01:46:40Z'],
    ['orTime otherwise', '', undefined, '2029-12-31T23:00:00Z'],
  ])('uses %s', async (_, option, lastSuccessNs, want) => {
    const ext = new Map<ExternalKey<unknown>, unknown>(lastSuccessNs === undefined ? [] : [[TASK_RUN, { lastSuccessNs }]]);
    expect(await runRows(program(option), { externals: ext })).toEqual([{ t: want }]);
  });
});

describe('influxdata/influxdb/monitor', () => {
  const STATUSES = `import "array"
import "influxdata/influxdb/monitor"
statuses = array.from(rows: [
    {_time: 2021-01-01T00:00:00Z, _source_timestamp: 1, _check_id: "c", _level: "ok", _value: 1.0},
    {_time: 2021-01-01T00:00:00Z, _source_timestamp: 2, _check_id: "c", _level: "ok", _value: 2.0},
    {_time: 2021-01-01T00:00:00Z, _source_timestamp: 3, _check_id: "c", _level: "crit", _value: 3.0},
    {_time: 2021-01-01T00:00:00Z, _source_timestamp: 4, _check_id: "c", _level: "warn", _value: 4.0},
    {_time: 2021-01-01T00:00:00Z, _source_timestamp: 5, _check_id: "c", _level: "ok", _value: 5.0},
]) |> group(columns: ["_check_id", "_level"])
`;
  it.each([
    // Output tables are regrouped by _level (crit, ok, warn in key order).
    ['any to any', 'monitor.stateChanges()', [3, 5, 4]],
    ['ok to crit', 'monitor.stateChanges(fromLevel: "ok", toLevel: "crit")', [3]],
    ['any to ok', 'monitor.stateChanges(toLevel: "ok")', [5]],
    ['crit to any', 'monitor.stateChanges(fromLevel: "crit")', [4]],
  ])('stateChanges %s', async (_, call, want) => {
    const rows = await runRows(`${STATUSES}\nstatuses |> ${call}`);
    expect(rows.map((r) => r._value)).toEqual(want);
  });

  it('check assigns levels and writes nothing without a sink', async () => {
    const rows = await runRows(`import "array"
import "influxdata/influxdb/monitor"
array.from(rows: [{_time: 2021-01-01T00:00:00Z, _measurement: "cpu", v: 95.0}, {_time: 2021-01-01T00:00:10Z, _measurement: "cpu", v: 10.0}])
    |> monitor.check(data: {tags: {team: "x"}, _type: "threshold", _check_id: "id", _check_name: "name"},
        messageFn: (r) => "v=\${r.v}", crit: (r) => r.v > 90.0)`);
    expect(rows.map((r) => [r._level, r._message, r.team, r._measurement, r._source_measurement])).toEqual([
      ['crit', 'v=95', 'x', 'statuses', 'cpu'],
      ['ok', 'v=10', 'x', 'statuses', 'cpu'],
    ]);
  });

  it('deadman flags series whose last point is older than t', async () => {
    const rows = await runRows(`import "array"
import "influxdata/influxdb/monitor"
array.from(rows: [{_time: 2021-01-01T00:00:00Z, h: "a"}, {_time: 2021-01-01T00:10:00Z, h: "b"}]) |> group(columns: ["h"])
    |> monitor.deadman(t: 2021-01-01T00:05:00Z)`);
    expect(rows.map((r) => [r.h, r.dead])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });
});

describe('influxdata/influxdb/v1 json and databases', () => {
  it('json turns each series column into a _field/_value table', async () => {
    const json = JSON.stringify({
      results: [
        {
          statement_id: 0,
          series: [{ name: 'cpu', tags: { host: 'a' }, columns: ['time', 'v', 's'], values: [['2021-01-01T00:00:00Z', 1, 'x'], ['2021-01-01T00:01:00Z', 2.5, null]] }],
        },
      ],
    }).replaceAll('"', '\\"');
    const tables = await runTables(`import "influxdata/influxdb/v1"\nv1.json(json: "${json}")`);
    expect(tables.map((t) => [t.key, t.rows.map((r) => [r._time, r._value])])).toEqual([
      [{ _measurement: 'cpu', host: 'a', _field: 'v' }, [['2021-01-01T00:00:00Z', 1], ['2021-01-01T00:01:00Z', 2.5]]],
      [{ _measurement: 'cpu', host: 'a', _field: 's' }, [['2021-01-01T00:00:00Z', 'x'], ['2021-01-01T00:01:00Z', null]]],
    ]);
  });

  it.each([
    ['no argument', 'v1.json()', /exactly one of the parameters json or file/],
    ['bad JSON', 'v1.json(json: "{")', /invalid InfluxDB 1.x JSON/],
    ['a result error', 'v1.json(json: "{\\"results\\": [{\\"error\\": \\"boom\\"}]}")', /boom/],
  ])('json rejects %s', async (_, call, want) => {
    await expect(runTables(`import "influxdata/influxdb/v1"\n${call}`)).rejects.toThrow(want);
  });

  it('databases lists buckets as autogen DBRPs', async () => {
    const rows = await runRows('import "influxdata/influxdb/v1"\nv1.databases()', { externals: externals(new MemorySource([])) });
    expect(rows).toEqual([
      { organizationID: '00000000000000aa', databaseName: 'b1', retentionPolicy: 'autogen', retentionPeriod: '0', default: true, bucketID: '0000000000000001' },
    ]);
  });
});
