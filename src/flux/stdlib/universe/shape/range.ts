import { isValid, type ColMeta, type ColumnData } from '../../../execute/column.js';
import { GroupKey } from '../../../execute/group-key.js';
import { Table } from '../../../execute/table.js';
import { sliceRows, takeRows } from '../../../execute/take-rows.js';
import { CallError, type Args, type BuiltinSpec } from '../../../interpreter/index.js';
import { formatType } from '../../../values/mono-type.js';
import { timeValue, typeOf, type Value } from '../../../values/value.js';
import { addFluxDuration as addDuration } from '../../date/calendar.js';
import { constantTimeColumn } from './constant-column.js';
import { perTable } from './per-table.js';
import { noteRangeBounds } from './query-bounds.js';

/**
 * A range bound as Flux reads it: a time, a duration relative to now(), or an int (Unix
 * seconds). Returns nanoseconds since the epoch.
 */
export function boundNs(args: Args, name: string, v: Value): bigint {
  switch (v.kind) {
    case 'time':
      return v.value;
    case 'duration':
      return addDuration(args.ctx.now(), v.value);
    case 'int':
      return v.value * 1_000_000_000n;
    default:
      throw new CallError(`argument ${name}: expected time, duration or int, got ${formatType(typeOf(v))}`);
  }
}

/**
 * `range(start:, stop:)`: keeps rows whose `_time` is in [start, stop) and puts `_start`/`_stop`
 * in the group key (prepended, start first, when the table lacks them; when both are already
 * key columns their values become the intersection with the bounds). Rows with a null time are
 * dropped. Existing `_start`/`_stop` columns are overwritten with the key's values.
 */
export const range: BuiltinSpec = {
  signature: '(<-tables: stream[{A with _time: time}], start: B, ?stop: C) => stream[{A with _time: time, _start: time, _stop: time}]',
  call(args) {
    const start = boundNs(args, 'start', args.value('start'));
    const stopArg = args.get('stop');
    const stop = stopArg === undefined || stopArg.kind === 'null' ? args.ctx.now() : boundNs(args, 'stop', stopArg);
    if (start >= stop) throw new CallError('cannot query an empty range');
    noteRangeBounds(args.ctx, { start, stop });
    return perTable(args, (t) => rangeTable(t, start, stop));
  },
};

export function rangeTable(t: Table, start: bigint, stop: bigint, timeCol = '_time', startCol = '_start', stopCol = '_stop'): Table {
  const ti = t.colIndex(timeCol);
  if (ti < 0) throw new CallError(`range error: supplied time column ${timeCol} doesn't exist`);
  if (t.cols[ti]!.type !== 'time') throw new CallError(`range error: provided time column ${timeCol} is not of type time`);
  for (const label of [startCol, stopCol]) {
    const j = t.colIndex(label);
    if (j >= 0 && t.cols[j]!.type !== 'time') {
      throw new CallError(`range error: provided ${label === startCol ? 'start' : 'stop'} column ${timeCol} is not of type time`);
    }
  }
  const key = rangeKey(t.key, start, stop, startCol, stopCol);
  const times = t.columns[ti]! as ColumnData & { values: BigInt64Array };
  const rows = new Int32Array(t.length);
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    if (!isValid(times, i)) continue;
    const v = times.values[i]!;
    if (v >= start && v < stop) rows[n++] = i;
  }
  // Sorted times (the usual case) keep one contiguous run: slice it instead of gathering.
  const contiguous = n > 0 && rows[n - 1]! - rows[0]! === n - 1;
  const kept = n === t.length ? t : contiguous ? sliceRows(t, rows[0]!, rows[0]! + n) : takeRows(t, rows, n);
  const cols: ColMeta[] = [];
  const columns: ColumnData[] = [];
  const constant = (label: string): ColumnData => {
    const v = key.value(label)!;
    return constantTimeColumn(v.kind === 'time' ? v.value : null, n);
  };
  for (const label of [startCol, stopCol]) {
    if (t.colIndex(label) < 0) {
      cols.push({ label, type: 'time' });
      columns.push(constant(label));
    }
  }
  kept.cols.forEach((c, j) => {
    cols.push(c);
    columns.push(c.label === startCol || c.label === stopCol ? constant(c.label) : kept.columns[j]!);
  });
  return new Table(key, cols, columns, n);
}

function rangeKey(k: GroupKey, start: bigint, stop: bigint, startCol: string, stopCol: string): GroupKey {
  const si = k.indexOf(startCol);
  const pi = k.indexOf(stopCol);
  if (si >= 0 && pi >= 0) {
    let s = start;
    let e = stop;
    const ks = k.values[si]!;
    const ke = k.values[pi]!;
    if (ks.kind === 'time' && ke.kind === 'time' && ks.value < stop && start < ke.value) {
      s = ks.value > start ? ks.value : start;
      e = ke.value < stop ? ke.value : stop;
    }
    const values = [...k.values];
    values[si] = timeValue(s);
    values[pi] = timeValue(e);
    return new GroupKey(k.cols, values);
  }
  const cols: ColMeta[] = [];
  const values: Value[] = [];
  if (si < 0) {
    cols.push({ label: startCol, type: 'time' });
    values.push(timeValue(start));
  }
  if (pi < 0) {
    cols.push({ label: stopCol, type: 'time' });
    values.push(timeValue(stop));
  }
  k.cols.forEach((c, i) => {
    cols.push(c);
    values.push(i === si ? timeValue(start) : i === pi ? timeValue(stop) : k.values[i]!);
  });
  return new GroupKey(cols, values);
}
