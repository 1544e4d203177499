import { ColumnBuilder } from '../../../execute/column-builder.js';
import { isValid, type ColumnData } from '../../../execute/column.js';
import { GroupKey } from '../../../execute/group-key.js';
import { Table } from '../../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { isColumnType } from '../../../values/mono-type.js';
import type { Value } from '../../../values/value.js';
import { perTable } from './per-table.js';

/**
 * `fill(column:, value:|usePrevious:)`: replaces nulls in `column` by `value` or by the last
 * non-null value above (leading nulls stay null). A key column is filled only when its key value
 * is null. A missing column is added holding `value` (with usePrevious the table passes).
 */
export const fill: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?column: string, ?value: B, ?usePrevious: bool) => stream[C]',
  call(args) {
    const label = args.stringOr('column', '_value');
    const value = args.get('value');
    const usePrevious = args.boolOr('usePrevious', false);
    if ((value !== undefined) === usePrevious) throw new CallError('fill requires exactly one of value or usePrevious');
    if (value !== undefined && !isColumnType(value.kind)) {
      throw new CallError('value type for fill must be a valid primitive type (bool, int, uint, float, string, time)');
    }
    return perTable(args, (t) => fillTable(t, label, usePrevious ? undefined : value!));
  },
};

function fillTable(t: Table, label: string, value: Value | undefined): Table {
  const j = t.colIndex(label);
  if (j < 0 && value === undefined) return t;
  let key = t.key;
  const k = key.indexOf(label);
  if (k >= 0) {
    if (key.values[k]!.kind !== 'null' || value === undefined) return t;
    key = new GroupKey(
      key.cols,
      key.values.map((v, i) => (i === k ? value : v)),
    );
  }
  if (j >= 0 && value !== undefined && t.cols[j]!.type !== value.kind) {
    throw new CallError(`fill column type mismatch: ${t.cols[j]!.type}/${value.kind}`);
  }
  const type = j >= 0 ? t.cols[j]!.type : (value!.kind as ColumnData['type']);
  const b = new ColumnBuilder(type, undefined, t.length);
  if (j < 0) {
    for (let i = 0; i < t.length; i++) b.pushValue(value!);
    return new Table(key, [...t.cols, { label, type }], [...t.columns, b.finish(t.length)], t.length);
  }
  const src = t.columns[j]!;
  if (src.valid === null && key === t.key) return t;
  let prev = -1;
  for (let i = 0; i < t.length; i++) {
    if (isValid(src, i)) {
      b.pushCell(src, i);
      prev = i;
    } else if (value !== undefined) b.pushValue(value);
    else if (prev >= 0) b.pushCell(src, prev);
    else b.pushNull();
  }
  const columns = [...t.columns];
  columns[j] = b.finish(t.length);
  return new Table(key, t.cols, columns, t.length);
}
