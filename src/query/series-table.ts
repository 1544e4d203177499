import type { ColMeta, ColumnData } from '../flux/execute/column.js';
import { GroupKey } from '../flux/execute/group-key.js';
import type { MemoryBudget } from '../flux/execute/memory-budget.js';
import { Table } from '../flux/execute/table.js';
import { stringValue, timeValue, type Value } from '../flux/values/value.js';
import type { ColumnValues, SeriesBatch } from '../storage/storage.js';

/**
 * Turns one storage series batch into a Flux table with InfluxDB's schema for storage reads:
 * columns `_start, _stop, _time, _value, _field, _measurement`, then the tags in key order;
 * group key: every column but `_time` and `_value`. `times` chooses the `_time` column (point
 * times, or window starts for windowed aggregates). Columns are shared with the batch, not
 * copied; the table's bytes are charged to `budget` for as long as the table lives.
 */
export function seriesTable(
  b: SeriesBatch,
  bounds: { startNs: bigint; stopNs: bigint },
  times: BigInt64Array,
  budget: MemoryBudget | undefined,
): Table {
  const n = times.length;
  const keyCols: ColMeta[] = [
    { label: '_start', type: 'time' },
    { label: '_stop', type: 'time' },
    { label: '_field', type: 'string' },
    { label: '_measurement', type: 'string' },
  ];
  const keyValues: Value[] = [timeValue(bounds.startNs), timeValue(bounds.stopNs), stringValue(b.field), stringValue(b.measurement)];
  for (const [k, v] of b.tags) {
    keyCols.push({ label: k, type: 'string' });
    keyValues.push(stringValue(v));
  }
  const value = valueColumn(b.values, n);
  const cols: ColMeta[] = [
    keyCols[0]!,
    keyCols[1]!,
    { label: '_time', type: 'time' },
    { label: '_value', type: value.type },
    ...keyCols.slice(2),
  ];
  const columns: ColumnData[] = [
    timeConstant(bounds.startNs, n),
    timeConstant(bounds.stopNs, n),
    { type: 'time', length: n, valid: null, values: times },
    value,
    stringConstant(b.field, n),
    stringConstant(b.measurement, n),
    ...b.tags.map(([, v]) => stringConstant(v, n)),
  ];
  const t = new Table(new GroupKey(keyCols, keyValues), cols, columns, n);
  budget?.account(t, t.sizeBytes);
  return t;
}

/**
 * One storage aggregate row (count/sum/mean of a whole series) as the plain aggregate gives it:
 * the key columns (`_start, _stop, _field, _measurement`, tags) then `_value`, one row.
 */
export function seriesAggregateRow(b: SeriesBatch, bounds: { startNs: bigint; stopNs: bigint }, budget: MemoryBudget | undefined): Table {
  const keyCols: ColMeta[] = [
    { label: '_start', type: 'time' },
    { label: '_stop', type: 'time' },
    { label: '_field', type: 'string' },
    { label: '_measurement', type: 'string' },
  ];
  const keyValues: Value[] = [timeValue(bounds.startNs), timeValue(bounds.stopNs), stringValue(b.field), stringValue(b.measurement)];
  const columns: ColumnData[] = [timeConstant(bounds.startNs, 1), timeConstant(bounds.stopNs, 1), stringConstant(b.field, 1), stringConstant(b.measurement, 1)];
  for (const [k, v] of b.tags) {
    keyCols.push({ label: k, type: 'string' });
    keyValues.push(stringValue(v));
    columns.push(stringConstant(v, 1));
  }
  const value = valueColumn(b.values.slice(0, 1) as typeof b.values, 1);
  columns.push(value);
  const t = new Table(new GroupKey(keyCols, keyValues), [...keyCols, { label: '_value', type: value.type }], columns, 1);
  budget?.account(t, t.sizeBytes);
  return t;
}

function timeConstant(v: bigint, n: number): ColumnData {
  return { type: 'time', length: n, valid: null, values: new BigInt64Array(n).fill(v) };
}

function stringConstant(v: string, n: number): ColumnData {
  return { type: 'string', length: n, valid: null, values: new Array<string>(n).fill(v) };
}

/** The value column; its type follows the array (aggregates change it: count → int, mean → float). */
function valueColumn(values: ColumnValues, n: number): ColumnData {
  if (values instanceof Float64Array) return { type: 'float', length: n, valid: null, values };
  if (values instanceof BigInt64Array) return { type: 'int', length: n, valid: null, values };
  if (values instanceof BigUint64Array) return { type: 'uint', length: n, valid: null, values };
  if (values instanceof Uint8Array) return { type: 'bool', length: n, valid: null, values };
  return { type: 'string', length: n, valid: null, values };
}
