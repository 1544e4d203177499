import { ColumnBuilder } from '../../execute/column-builder.js';
import type { ColMeta, ColumnData } from '../../execute/column.js';
import { GroupKey } from '../../execute/group-key.js';
import { Table } from '../../execute/table.js';
import type { ColumnType } from '../../values/mono-type.js';
import { stringValue, timeValue } from '../../values/value.js';
import type { SeriesData, SeriesFieldType, SeriesReadRequest, SeriesSource, SourceStream } from './series-source.js';

/** Bounds of an unbounded read (the whole int64 time line, exclusive stop). */
export const MIN_TIME_NS = -(2n ** 63n) + 1n;
export const MAX_TIME_NS = 2n ** 63n - 1n;

const VALUE_TYPES: Record<SeriesFieldType, ColumnType> = { 0: 'float', 1: 'int', 2: 'uint', 3: 'string', 4: 'bool' };

/**
 * `from()`'s stream over a SeriesSource. Iterating reads the series of the request and yields one
 * table per series. An unbounded read (no `range()` pushed down yet) reads the whole time line;
 * the `range()` that follows then trims it.
 */
export function sourceStream(source: SeriesSource, request: SourceStream['request'], bounded: boolean, signal?: AbortSignal): SourceStream {
  return {
    request,
    bounded,
    narrow: (change) => sourceStream(source, { ...request, ...change }, bounded || change.startNs !== undefined, signal),
    async *[Symbol.asyncIterator]() {
      const full: SeriesReadRequest = { ...request, ...(signal === undefined ? {} : { signal }) };
      let pending: SeriesData[] = [];
      let pendingId = '';
      for await (const batch of source.read(full)) {
        const id = seriesId(batch);
        if (id !== pendingId && pending.length > 0) {
          yield seriesTable(pending, request.startNs, request.stopNs);
          pending = [];
        }
        pendingId = id;
        pending.push(batch);
      }
      if (pending.length > 0) yield seriesTable(pending, request.startNs, request.stopNs);
    },
  };
}

function seriesId(s: SeriesData): string {
  return JSON.stringify([s.measurement, s.field, s.type, s.tags]);
}

/**
 * One series as a table with from()'s schema: `_start, _stop, _time, _value, _field,
 * _measurement, <tags>`, keyed on everything but `_time` and `_value`. Window (aggregate) rows
 * take their window bounds as `_start`/`_stop`, which then leave the key only when they vary —
 * that is the query path's business; here they stay in the key as range bounds.
 */
export function seriesTable(pieces: readonly SeriesData[], startNs: bigint, stopNs: bigint): Table {
  const first = pieces[0]!;
  const valueType = VALUE_TYPES[first.type];
  const length = pieces.reduce((n, p) => n + p.timestampsNs.length, 0);
  const start = new ColumnBuilder('time');
  const stop = new ColumnBuilder('time');
  const time = new ColumnBuilder('time');
  const value = new ColumnBuilder(valueType);
  for (const p of pieces) {
    for (let i = 0; i < p.timestampsNs.length; i++) {
      start.pushBigInt(p.windowStartsNs?.[i] ?? startNs);
      stop.pushBigInt(p.windowStopsNs?.[i] ?? stopNs);
      time.pushBigInt(p.timestampsNs[i]!);
      pushRaw(value, valueType, p.values, i);
    }
  }
  const cols: ColMeta[] = [
    { label: '_start', type: 'time' },
    { label: '_stop', type: 'time' },
    { label: '_time', type: 'time' },
    { label: '_value', type: valueType },
    { label: '_field', type: 'string' },
    { label: '_measurement', type: 'string' },
    ...first.tags.map(([k]) => ({ label: k, type: 'string' as const })),
  ];
  const constant = (s: string): ColumnData => {
    const b = new ColumnBuilder('string');
    for (let i = 0; i < length; i++) b.pushString(s);
    return b.finish(length);
  };
  const columns: ColumnData[] = [
    start.finish(length),
    stop.finish(length),
    time.finish(length),
    value.finish(length),
    constant(first.field),
    constant(first.measurement),
    ...first.tags.map(([, v]) => constant(v)),
  ];
  const key = new GroupKey(
    [cols[0]!, cols[1]!, ...cols.slice(4)],
    [timeValue(startNs), timeValue(stopNs), stringValue(first.field), stringValue(first.measurement), ...first.tags.map(([, v]) => stringValue(v))],
  );
  return new Table(key, cols, columns, length);
}

function pushRaw(b: ColumnBuilder, type: ColumnType, values: SeriesData['values'], i: number): void {
  switch (type) {
    case 'float':
      return b.pushFloat((values as Float64Array)[i]!);
    case 'int':
      return b.pushBigInt((values as BigInt64Array)[i]!);
    case 'uint':
      return b.pushUint((values as BigUint64Array)[i]!);
    case 'string':
      return b.pushString((values as string[])[i]!);
    default:
      return b.pushBool((values as Uint8Array)[i] === 1);
  }
}
