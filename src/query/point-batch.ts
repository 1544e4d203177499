import { isValid, columnValue, type ColumnData } from '../flux/execute/column.js';
import type { Table } from '../flux/execute/table.js';
import { CallError } from '../flux/interpreter/index.js';
import { recordValue, type FunctionValue, type Value } from '../flux/values/value.js';
import { makeSeries } from '../lineprotocol/make-series.js';
import { FieldType, type FieldSchema, type FieldValue, type Point, type Series, type Tag } from '../lineprotocol/point.js';

/** How `to()` maps rows to points (its arguments). */
export interface ToOptions {
  readonly timeColumn: string;
  readonly measurementColumn: string;
  /** Default: every string column but the measurement, `_field` and `_value`. */
  readonly tagColumns: readonly string[] | undefined;
  readonly fieldFn: FunctionValue | undefined;
}

/**
 * The points of `to()`'s input tables, gathered so that they reach storage as a few large writes
 * (one WAL record each) instead of one per table.
 *
 * Fast path: a table whose measurement, tags and `_field` are constant (group-key columns, as
 * every storage read and aggregateWindow gives) and whose `_value` has no nulls is kept as typed
 * columns; tables of the same series with the very same `_time` column (the other fields of a
 * host, windowed alike) are merged, so `take()` makes one point per series and time carrying all
 * their fields — what a line-protocol writer of the same data sends — with one shared series and
 * field schema, and no per-row record. Any other table (fieldFn, nulls, per-row tags) takes the
 * row-by-row path.
 *
 * Order contract: storage applies points in order and the last write of a series + field + time
 * wins; points come out in the order their tables were added for any given series and field
 * (a table is only ever merged into the newest group of its series, and a row-by-row segment
 * closes every open group).
 */
export class PointBatch {
  private readonly segments: (MergedTables | Point[])[] = [];
  /** The newest merged group of each series key, while it may still take tables. */
  private readonly open = new Map<string, MergedTables>();
  private valueCount = 0;

  /** Field values held (the batch's size). */
  get values(): number {
    return this.valueCount;
  }

  async addTable(t: Table, o: ToOptions): Promise<void> {
    const shape = tableShape(t, o);
    if (shape.kind === 'constant') {
      this.addConstant(shape);
      return;
    }
    const points = await rowPoints(t, o, shape);
    this.open.clear();
    if (points.length > 0) {
      this.segments.push(points);
      for (const p of points) this.valueCount += p.values.length;
    }
  }

  /** The gathered points (in write order); the batch is empty afterwards. */
  take(): Point[] {
    const out: Point[] = [];
    for (const s of this.segments) {
      if (Array.isArray(s)) {
        for (const p of s) out.push(p);
        continue;
      }
      const fields: FieldSchema = { keys: s.keys, types: s.types };
      const n = s.times.length;
      const cols = s.cols;
      for (let i = 0; i < n; i++) {
        const values = new Array<FieldValue>(cols.length);
        for (let k = 0; k < cols.length; k++) values[k] = fieldValue(cols[k]!, i);
        out.push({ series: s.series, fields, values, timestampNs: s.times[i]! });
      }
    }
    this.segments.length = 0;
    this.open.clear();
    this.valueCount = 0;
    return out;
  }

  private addConstant(shape: ConstantShape): void {
    const { series, field, times, col } = shape;
    if (times.length === 0) return;
    const g = this.open.get(series.key);
    if (g !== undefined && !g.keys.includes(field) && sameTimes(g.times, times)) {
      g.keys.push(field);
      g.types.push(shape.type);
      g.cols.push(col);
    } else {
      const fresh: MergedTables = { series, times, keys: [field], types: [shape.type], cols: [col] };
      this.segments.push(fresh);
      this.open.set(series.key, fresh);
    }
    this.valueCount += times.length;
  }
}

/** Tables of one series with equal times: one point per row, one field per table. */
interface MergedTables {
  readonly series: Series;
  readonly times: BigInt64Array;
  readonly keys: string[];
  readonly types: FieldType[];
  readonly cols: ColumnData[];
}

interface ConstantShape {
  readonly kind: 'constant';
  readonly series: Series;
  readonly field: string;
  readonly type: FieldType;
  readonly times: BigInt64Array;
  readonly col: ColumnData;
}

interface RowShape {
  readonly kind: 'rows';
  readonly ti: number;
  readonly mi: number;
  readonly fi: number;
  readonly vi: number;
  readonly tagLabels: readonly string[];
  readonly tagIdx: readonly number[];
}

/** Checks the columns `to()` needs (InfluxDB's errors) and picks the path for the table. */
function tableShape(t: Table, o: ToOptions): ConstantShape | RowShape {
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
  const rows: RowShape = { kind: 'rows', ti, mi, fi, vi, tagLabels, tagIdx };
  if (o.fieldFn !== undefined || t.length === 0) return rows;
  const time = t.columns[ti]!;
  const value = t.columns[vi]!;
  const type = fieldTypeOf(value);
  if (time.valid !== null || value.valid !== null || type === undefined) return rows;
  const keyString = (label: string): string | undefined => {
    const v = t.key.value(label);
    return v?.kind === 'string' ? v.value : undefined;
  };
  const measurement = keyString(o.measurementColumn);
  const field = keyString('_field');
  if (measurement === undefined || field === undefined) return rows;
  const tags: Tag[] = [];
  for (const l of tagLabels) {
    const v = keyString(l);
    if (v === undefined) {
      // A null key value is a tag the rows do not have; anything else varies by row.
      if (t.key.value(l)?.kind === 'null') continue;
      return rows;
    }
    if (v !== '') tags.push([l, v]);
  }
  return { kind: 'constant', series: makeSeries(measurement, tags), field, type, times: time.values as BigInt64Array, col: value };
}

/** The row-by-row path: any table, any fieldFn; null values and tags are skipped. */
async function rowPoints(t: Table, o: ToOptions, s: RowShape): Promise<Point[]> {
  const times = t.columns[s.ti]! as ColumnData & { values: BigInt64Array };
  const meas = t.columns[s.mi]! as ColumnData & { values: readonly string[] };
  const points: Point[] = [];
  const seriesCache = new Map<string, Series>();
  for (let i = 0; i < t.length; i++) {
    if (!isValid(times, i)) throw new CallError('timeColumn value must not be null');
    if (!isValid(meas, i)) throw new CallError('measurement must not be null');
    const tags: Tag[] = [];
    let cacheKey = meas.values[i]!;
    for (let k = 0; k < s.tagIdx.length; k++) {
      const c = t.columns[s.tagIdx[k]!]! as ColumnData & { values: readonly string[] };
      if (isValid(c, i) && c.values[i] !== '') {
        tags.push([s.tagLabels[k]!, c.values[i]!]);
        cacheKey += `\u0000${k}\u0000${c.values[i]!}`;
      }
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
      const fc = t.columns[s.fi]!;
      if (!isValid(fc, i)) continue;
      const name = columnValue(fc, i);
      if (name.kind !== 'string') throw new CallError('column _field is not of type string');
      add(name.value, columnValue(t.columns[s.vi]!, i));
    } else {
      const row = recordValue(t.cols.map((c, j) => [c.label, columnValue(t.columns[j]!, i)] as const));
      let r = o.fieldFn.call(new Map([['r', row]]));
      if (r instanceof Promise) r = await r;
      if (r.kind !== 'record') throw new CallError(`fieldFn must return a record, got ${r.kind}`);
      for (const [name, v] of r.fields) add(name, v);
    }
    if (keys.length === 0) continue;
    let series = seriesCache.get(cacheKey);
    if (series === undefined) {
      series = makeSeries(meas.values[i]!, tags);
      seriesCache.set(cacheKey, series);
    }
    points.push({ series, fields: { keys, types }, values, timestampNs: times.values[i]! });
  }
  return points;
}

function sameTimes(a: BigInt64Array, b: BigInt64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function fieldTypeOf(c: ColumnData): FieldType | undefined {
  switch (c.type) {
    case 'float':
      return FieldType.Float;
    case 'int':
      return FieldType.Integer;
    case 'uint':
      return FieldType.Unsigned;
    case 'string':
      return FieldType.String;
    case 'bool':
      return FieldType.Boolean;
    default:
      return undefined;
  }
}

/** Row `i` of a non-null value column as a point's field value. */
function fieldValue(c: ColumnData, i: number): FieldValue {
  if (c.type === 'bool') return c.values[i] === 1;
  return c.values[i]!;
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
