import { ErrorCode, SluiceError } from '../core/errors.js';
import { isValid, type ColumnData } from '../flux/execute/column.js';
import type { Table } from '../flux/execute/table.js';
import { CallError, onceStream, type BuiltinSpec } from '../flux/interpreter/index.js';
import { recordValue, streamValue, type FunctionValue, type Value } from '../flux/values/value.js';
import { columnValue } from '../flux/execute/column.js';
import { makeSeries } from '../lineprotocol/make-series.js';
import { FieldType, type FieldValue, type Point, type Tag } from '../lineprotocol/point.js';
import { resolveBucket, tenantRefOf } from './tenant-refs.js';
import { QUERY_ENV } from './query-env.js';
import { RemotePointWriter } from './remote/remote-point-writer.js';
import { remoteOptionsOf } from './remote/remote-options.js';
import { remoteTargetOf } from './remote/remote-target.js';

/**
 * `to()`: writes every row of its input to a bucket through `storage.write` (the caller needs
 * write permission) and passes the tables on unchanged. Without `fieldFn`, each row is one field
 * (`_field` = `_value`); with it, the record it returns maps field names to values. Tags: the
 * `tagColumns`, by default every string column but the measurement, `_field` and `_value`.
 * Rows whose value is null are skipped, as are null tags. Runs once however often its result
 * is read.
 */
export const to: BuiltinSpec = {
  signature:
    '(<-tables: stream[A], ?bucket: string, ?bucketID: string, ?org: string, ?orgID: string, ?host: string, ?token: string, ?timeColumn: string, ?measurementColumn: string, ?tagColumns: [string], ?fieldFn: (r: A) => B) => stream[A]',
  call(args) {
    const env = args.ctx.requireExternal(QUERY_ENV, 'to');
    // With `host`, another server's bucket (src/query/remote); without it `token` is ignored, as in InfluxDB.
    const remote = args.has('host') ? new RemotePointWriter(remoteTargetOf(args), remoteOptionsOf(args.ctx), args.ctx.signal) : undefined;
    const bucket = remote === undefined ? resolveBucket(env, tenantRefOf(args), 'write') : undefined;
    const timeColumn = args.stringOr('timeColumn', '_time');
    const measurementColumn = args.stringOr('measurementColumn', '_measurement');
    const tagColumns = args.optStrings('tagColumns');
    const fieldFn = args.optFn('fieldFn');
    const input = args.stream();
    const ctx = args.ctx;
    const tables = onceStream(() =>
      args.output(async function* () {
        for await (const t of input) {
          ctx.checkCanceled();
          const points = await tablePoints(t, { timeColumn, measurementColumn, tagColumns, fieldFn });
          if (remote !== undefined) await remote.write(points);
          else if (points.length > 0) {
            const r = await env.storage.write(bucket!.id, points);
            if (r.rejected.length > 0) {
              throw new SluiceError(
                ErrorCode.Invalid,
                `failed to write points: partial write: ${r.rejected[0]!.reason} dropped=${r.rejected.length}`,
              );
            }
          }
          yield t;
        }
        await remote?.flush();
      }),
    );
    return streamValue(tables);
  },
};

interface ToOptions {
  timeColumn: string;
  measurementColumn: string;
  tagColumns: string[] | undefined;
  fieldFn: FunctionValue | undefined;
}

async function tablePoints(t: Table, o: ToOptions): Promise<Point[]> {
  const ti = t.colIndex(o.timeColumn);
  if (ti < 0 || t.cols[ti]!.type !== 'time') throw new CallError(`no time column detected`);
  const mi = t.colIndex(o.measurementColumn);
  if (mi < 0 || t.cols[mi]!.type !== 'string') throw new CallError(`no column with label ${o.measurementColumn} exists`);
  let fi = -1;
  let vi = -1;
  if (o.fieldFn === undefined) {
    fi = t.colIndex('_field');
    vi = t.colIndex('_value');
    if (fi < 0) throw new CallError('no column with label _field exists');
    if (vi < 0) throw new CallError('no column with label _value exists');
  }
  const tagLabels =
    o.tagColumns ??
    t.cols
      .filter((c) => c.type === 'string' && c.label !== o.measurementColumn && c.label !== '_field' && c.label !== '_value')
      .map((c) => c.label);
  const tagIdx = tagLabels.map((l) => {
    const j = t.colIndex(l);
    if (j < 0) throw new CallError(`no column with label ${l} exists`);
    if (t.cols[j]!.type !== 'string') throw new CallError(`tag column ${l} is not of type string`);
    return j;
  });
  const times = t.columns[ti]! as ColumnData & { values: BigInt64Array };
  const meas = t.columns[mi]! as ColumnData & { values: readonly string[] };
  const points: Point[] = [];
  for (let i = 0; i < t.length; i++) {
    if (!isValid(times, i)) throw new CallError('timeColumn value must not be null');
    if (!isValid(meas, i)) throw new CallError('measurement must not be null');
    const tags: Tag[] = [];
    for (let k = 0; k < tagIdx.length; k++) {
      const c = t.columns[tagIdx[k]!]! as ColumnData & { values: readonly string[] };
      if (isValid(c, i) && c.values[i] !== '') tags.push([tagLabels[k]!, c.values[i]!]);
    }
    const keys: string[] = [];
    const types: FieldType[] = [];
    const values: FieldValue[] = [];
    const add = (name: string, v: Value): void => {
      const f = fieldOf(v);
      if (f === undefined) return;
      keys.push(name);
      types.push(f.type);
      values.push(f.value);
    };
    if (o.fieldFn === undefined) {
      const fc = t.columns[fi]!;
      if (!isValid(fc, i)) continue;
      const name = columnValue(fc, i);
      if (name.kind !== 'string') throw new CallError('column _field is not of type string');
      add(name.value, columnValue(t.columns[vi]!, i));
    } else {
      const row = recordValue(t.cols.map((c, j) => [c.label, columnValue(t.columns[j]!, i)] as const));
      let r = o.fieldFn.call(new Map([['r', row]]));
      if (r instanceof Promise) r = await r;
      if (r.kind !== 'record') throw new CallError(`fieldFn must return a record, got ${r.kind}`);
      for (const [name, v] of r.fields) add(name, v);
    }
    if (keys.length === 0) continue;
    points.push({ series: makeSeries(meas.values[i]!, tags), fields: { keys, types }, values, timestampNs: times.values[i]! });
  }
  return points;
}

function fieldOf(v: Value): { type: FieldType; value: FieldValue } | undefined {
  switch (v.kind) {
    case 'null':
      return undefined;
    case 'float':
      return { type: FieldType.Float, value: v.value };
    case 'int':
      return { type: FieldType.Integer, value: v.value };
    case 'uint':
      return { type: FieldType.Unsigned, value: v.value };
    case 'string':
      return { type: FieldType.String, value: v.value };
    case 'bool':
      return { type: FieldType.Boolean, value: v.value };
    default:
      throw new CallError(`unsupported field type ${v.kind}`);
  }
}
