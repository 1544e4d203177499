import { columnValue, isValid } from '../../execute/column.js';
import { Table } from '../../execute/table.js';
import { TableBuilder } from '../../execute/table-builder.js';
import { GroupKey } from '../../execute/group-key.js';
import { CallError, type Args, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { NULL, boolValue, intValue, recordValue, streamValue, stringValue, timeValue, type Value } from '../../values/value.js';
import { MAX_TIME_NS, MIN_TIME_NS, sourceStream } from './from-source.js';
import {
  POINT_SINK,
  SERIES_SOURCE,
  type BucketRef,
  type OrgRef,
  type SeriesFieldType,
  type SinkField,
  type SinkPoint,
} from './series-source.js';
import { predicateOf } from './row-predicate.js';

/** Points handed to the sink per write call. */
const WRITE_BATCH = 5000;

function orgRef(args: Args): OrgRef {
  const ref: Record<string, string> = {};
  for (const k of ['org', 'orgID', 'host', 'token'] as const) {
    const v = args.optString(k);
    if (v !== undefined) ref[k] = v;
  }
  if (ref.org !== undefined && ref.orgID !== undefined) throw new CallError('specify at most one of org or orgID');
  return ref;
}

function bucketRef(args: Args): BucketRef {
  const bucket = args.optString('bucket');
  const bucketID = args.optString('bucketID');
  if ((bucket === undefined) === (bucketID === undefined)) throw new CallError('specify exactly one of bucket or bucketID');
  return { ...orgRef(args), ...(bucket === undefined ? {} : { bucket }), ...(bucketID === undefined ? {} : { bucketID }) };
}

const from: BuiltinSpec = {
  signature:
    '(?bucket: string, ?bucketID: string, ?org: string, ?orgID: string, ?host: string, ?token: string) => stream[{B with _measurement: string, _field: string, _time: time, _value: A}]',
  call(args) {
    const bucket = bucketRef(args);
    const source = args.ctx.requireExternal(SERIES_SOURCE, 'from');
    return streamValue(sourceStream(source, { bucket, startNs: MIN_TIME_NS, stopNs: MAX_TIME_NS }, false, args.ctx.signal));
  },
};

const buckets: BuiltinSpec = {
  signature:
    '(?org: string, ?orgID: string, ?host: string, ?token: string) => stream[{name: string, id: string, organizationID: string, retentionPolicy: string, retentionPeriod: int}]',
  call(args) {
    const org = orgRef(args);
    const source = args.ctx.requireExternal(SERIES_SOURCE, 'buckets');
    return streamValue(
      args.output(async function* () {
        const list = await source.buckets(org);
        const b = new TableBuilder(GroupKey.EMPTY, args.ctx.budget);
        for (const [label, type] of [
          ['name', 'string'],
          ['id', 'string'],
          ['organizationID', 'string'],
          ['retentionPolicy', 'string'],
          ['retentionPeriod', 'int'],
        ] as const) {
          b.addColumn(label, type);
        }
        for (const x of list) {
          b.appendRow([stringValue(x.name), stringValue(x.id), stringValue(x.organizationID), stringValue(x.retentionPolicy), intValue(x.retentionPeriodNs)]);
        }
        yield b.build();
      }),
    );
  },
};

/**
 * `v1.databases()`: the DBRP view of the org's buckets, one database per bucket with the
 * `autogen` retention policy as its default (what InfluxDB 2 derives when no mapping exists).
 */
export const databases: BuiltinSpec = {
  signature:
    '(?org: string, ?orgID: string, ?host: string, ?token: string) => stream[{organizationID: string, databaseName: string, retentionPolicy: string, retentionPeriod: int, default: bool, bucketID: string}]',
  call(args) {
    const org = orgRef(args);
    const source = args.ctx.requireExternal(SERIES_SOURCE, 'v1.databases');
    return streamValue(
      args.output(async function* () {
        const b = new TableBuilder(GroupKey.EMPTY, args.ctx.budget);
        for (const [label, type] of [
          ['organizationID', 'string'],
          ['databaseName', 'string'],
          ['retentionPolicy', 'string'],
          ['retentionPeriod', 'int'],
          ['default', 'bool'],
          ['bucketID', 'string'],
        ] as const) {
          b.addColumn(label, type);
        }
        for (const x of await source.buckets(org)) {
          b.appendRow([
            stringValue(x.organizationID),
            stringValue(x.name),
            stringValue(x.retentionPolicy === '' ? 'autogen' : x.retentionPolicy),
            intValue(x.retentionPeriodNs),
            boolValue(true),
            stringValue(x.id),
          ]);
        }
        yield b.build();
      }),
    );
  },
};

const cardinality: BuiltinSpec = {
  signature:
    '(?bucket: string, ?bucketID: string, ?org: string, ?orgID: string, ?host: string, ?token: string, start: A, ?stop: B, ?predicate: (r: {T with _measurement: string, _field: string, _value: S}) => bool) => stream[{_start: time, _stop: time, _value: int}]',
  call(args) {
    const bucket = bucketRef(args);
    const startNs = args.time('start');
    const stopNs = args.optTime('stop') ?? args.ctx.now();
    const fn = args.optFn('predicate');
    const predicate = fn === undefined ? undefined : predicateOf(fn);
    const source = args.ctx.requireExternal(SERIES_SOURCE, 'cardinality');
    return streamValue(
      args.output(async function* () {
        const n = await source.cardinality({ bucket, startNs, stopNs, ...(predicate === undefined ? {} : { predicate }) });
        const key = GroupKey.of([
          [{ label: '_start', type: 'time' }, timeValue(startNs)],
          [{ label: '_stop', type: 'time' }, timeValue(stopNs)],
        ]);
        const b = new TableBuilder(key);
        b.addColumn('_start', 'time');
        b.addColumn('_stop', 'time');
        b.addColumn('_value', 'int');
        b.appendRow([timeValue(startNs), timeValue(stopNs), intValue(BigInt(n))]);
        yield b.build();
      }),
    );
  },
};

const FIELD_TYPES: Partial<Record<Value['kind'], SeriesFieldType>> = { float: 0, int: 1, uint: 2, string: 3, bool: 4 };

function sinkField(key: string, v: Value): SinkField | undefined {
  if (v.kind === 'null') return undefined;
  const type = FIELD_TYPES[v.kind];
  if (type === undefined) throw new CallError(`unsupported field type ${v.kind} for field "${key}"`);
  return { key, value: (v as { value: number | bigint | string | boolean }).value, type };
}

/**
 * `to()`: writes every row as a point and passes the tables on. Measurement from
 * `measurementColumn`, time from `timeColumn`; tags are `tagColumns` (default: every string
 * column but the measurement, `_field`, `_value` and the fields `fieldFn` returns);
 * fields are `fieldFn(r)` or else the `_field`/`_value` pair. Null tags and null fields are
 * left out; a row without fields writes nothing.
 */
const to: BuiltinSpec = {
  signature:
    '(<-tables: stream[A], ?bucket: string, ?bucketID: string, ?org: string, ?orgID: string, ?host: string, ?token: string, ?timeColumn: string, ?measurementColumn: string, ?tagColumns: [string], ?fieldFn: (r: A) => B) => stream[A]',
  call(args) {
    const target = bucketRef(args);
    const timeColumn = args.stringOr('timeColumn', '_time');
    const measurementColumn = args.stringOr('measurementColumn', '_measurement');
    const tagColumns = args.optStrings('tagColumns');
    const fieldFn = args.optFn('fieldFn');
    const sink = args.ctx.requireExternal(POINT_SINK, 'to');
    const input = args.stream('tables');
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          let tags: string[] | undefined;
          const points: SinkPoint[] = [];
          for (let i = 0; i < t.length; i++) {
            let fields: SinkField[];
            if (fieldFn !== undefined) {
              let r = fieldFn.call(new Map([['r', rowOf(t, i)]]));
              if (r instanceof Promise) r = await r;
              if (r.kind !== 'record') throw new CallError('fieldFn must return a record');
              fields = [...r.fields].map(([k, v]) => sinkField(k, v)).filter((f): f is SinkField => f !== undefined);
            } else {
              const field = cell(t, i, '_field');
              const f = field?.kind === 'string' ? sinkField(field.value, cell(t, i, '_value') ?? NULL) : undefined;
              fields = f === undefined ? [] : [f];
            }
            // Default tags: every string column but the measurement, _field/_value and the
            // columns fieldFn turns into fields (fixed by the table's first row).
            tags ??= (tagColumns ?? t.cols.filter((c) => c.type === 'string').map((c) => c.label))
              .filter((l) => l !== measurementColumn && l !== '_field' && l !== '_value' && l !== timeColumn)
              .filter((l) => tagColumns !== undefined || !fields.some((f) => f.key === l))
              .sort();
            if (fields.length === 0) continue;
            points.push(pointOf(t, i, measurementColumn, timeColumn, tags, fields));
            if (points.length >= WRITE_BATCH) await sink.write(target, points.splice(0));
          }
          if (points.length > 0) await sink.write(target, points);
          yield t;
        }
      }),
    );
  },
};

/**
 * `wideTo()`: every row is a point whose tags are the group key's string columns (but the
 * measurement and `_start`/`_stop`) and whose fields are all other columns but `_time`.
 */
const wideTo: BuiltinSpec = {
  signature:
    '(<-tables: stream[A], ?bucket: string, ?bucketID: string, ?org: string, ?orgID: string, ?host: string, ?token: string) => stream[A]',
  call(args) {
    const target = bucketRef(args);
    const sink = args.ctx.requireExternal(POINT_SINK, 'wideTo');
    const input = args.stream('tables');
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          const skip = new Set(['_measurement', '_time', '_start', '_stop']);
          const tags = t.key.cols.filter((c) => c.type === 'string' && !skip.has(c.label)).map((c) => c.label).sort();
          const fieldCols = t.cols.filter((c) => !skip.has(c.label) && !tags.includes(c.label)).map((c) => c.label);
          const points: SinkPoint[] = [];
          for (let i = 0; i < t.length; i++) {
            const fields = fieldCols.map((l) => sinkField(l, cell(t, i, l)!)).filter((f): f is SinkField => f !== undefined);
            if (fields.length > 0) points.push(pointOf(t, i, '_measurement', '_time', tags, fields));
          }
          if (points.length > 0) await sink.write(target, points);
          yield t;
        }
      }),
    );
  },
};

function cell(t: Table, i: number, label: string): Value | undefined {
  const j = t.colIndex(label);
  return j < 0 ? undefined : columnValue(t.columns[j]!, i);
}

function rowOf(t: Table, i: number): Value {
  return recordValue(t.cols.map((c, j) => [c.label, columnValue(t.columns[j]!, i)] as const));
}

function pointOf(t: Table, i: number, measurementColumn: string, timeColumn: string, tagLabels: readonly string[], fields: SinkField[]): SinkPoint {
  const m = cell(t, i, measurementColumn);
  if (m?.kind !== 'string') throw new CallError(`no column with label ${measurementColumn} exists`);
  const tj = t.colIndex(timeColumn);
  if (tj < 0) throw new CallError(`no time column detected: "${timeColumn}"`);
  const tc = t.columns[tj]!;
  if (tc.type !== 'time' || !isValid(tc, i)) throw new CallError(`column ${timeColumn} of type ${tc.type} is not of type time`);
  const tags: (readonly [string, string])[] = [];
  for (const l of tagLabels) {
    const v = cell(t, i, l);
    if (v?.kind === 'string' && v.value !== '') tags.push([l, v.value]);
  }
  return { measurement: m.value, tags, fields, timestampNs: tc.values[i] as bigint };
}

/**
 * The influxdata/influxdb package. Its five functions are also in the prelude (Flux's
 * PreludeList includes this package), registered under `universe` in packages-data.ts.
 */
export const influxdbBuiltins: Record<string, BuiltinSpec> = { from, to, buckets, cardinality, wideTo };
export const influxdbPackage: PackageDef = { path: 'influxdata/influxdb', builtins: influxdbBuiltins };
export const influxdbPrelude: PackageDef = { path: 'universe', builtins: influxdbBuiltins };

