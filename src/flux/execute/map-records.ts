import { equalValues } from '../values/compare-values.js';
import { isColumnType, type ColumnType } from '../values/mono-type.js';
import { ColumnBuilder } from './column-builder.js';
import type { OutputColumn } from './map-columns.js';
import type { RecordValue, Value } from '../values/value.js';
import type { ColMeta, ColumnData } from './column.js';
import { GroupKey } from './group-key.js';
import type { MemoryBudget } from './memory-budget.js';
import { RowCursor } from './row-cursor.js';
import { RowRecordFields } from './row-record.js';
import { TableBuilder } from './table-builder.js';
import type { Table } from './table.js';

/**
 * The generic path of `map()`: `fn` is called once per row with a cursor positioned on it and
 * returns the output record (e.g. the interpreter evaluating the Flux function with `r` bound to
 * `cursor.view()`). Output columns come from the records in the order first seen; a column a
 * record lacks is null in that row. Must be synchronous: row functions do no I/O.
 *
 * Group key, as Flux's map: the input key columns present in the output record form the output
 * key, with each row's own values, so rows whose key values were changed move to other tables.
 * Returns one table per distinct output key, in order of first appearance (an empty input gives
 * one empty table with the input's key).
 */
export function mapRecords(
  table: Table,
  fn: (cursor: RowCursor) => RecordValue,
  budget?: MemoryBudget,
): Table[] {
  if (table.length === 0) return [table];
  const builders = new Map<string, TableBuilder>();
  const cursor = new RowCursor(table);
  const keyLabels = table.key.cols.map((c) => c.label);
  // Rows usually keep the previous row's key: check that cheaply before building a key.
  let prevValues: (Value | undefined)[] = [];
  let prevBuilder: TableBuilder | undefined;
  const builderFor = (key: GroupKey): TableBuilder => {
    let b = builders.get(key.id);
    if (b === undefined) builders.set(key.id, (b = new TableBuilder(key, budget)));
    return b;
  };
  let sameKeyBuilder: TableBuilder | undefined;
  for (let i = 0; i < table.length; i++) {
    cursor.row = i;
    const rec = fn(cursor);
    // `{r with ...}` that leaves the key columns alone: the row keeps the table's key.
    const f = rec.fields;
    if (f instanceof RowRecordFields && f.table === table && !touchesKey(f, keyLabels)) {
      sameKeyBuilder ??= builderFor(table.key);
      sameKeyBuilder.appendRecord(rec);
      continue;
    }
    if (prevBuilder !== undefined && sameKeyValues(rec, keyLabels, prevValues)) {
      prevBuilder.appendRecord(rec);
      continue;
    }
    const cols: ColMeta[] = [];
    const values: Value[] = [];
    for (const label of keyLabels) {
      const v = rec.fields.get(label);
      if (v === undefined) continue;
      const kind = v.kind === 'null' ? v.type.kind : v.kind;
      // An untyped null keeps the input key column's type.
      const type = isColumnType(kind) ? kind : table.key.cols[table.key.indexOf(label)]!.type;
      cols.push({ label, type });
      values.push(v);
    }
    const b = builderFor(new GroupKey(cols, values));
    b.appendRecord(rec);
    prevBuilder = b;
    prevValues = keyLabels.map((l) => rec.fields.get(l));
  }
  return [...builders.values()].map((b) => b.build());
}

/**
 * `mapRecords`' output as whole columns, when every record is `{r with …}` of its own row of
 * `table` with the same labels (the interpreter's records for `map(fn: (r) => ({r with …}))`
 * whose body does not compile to kernels): the table's columns kept as they are, the `with`
 * labels' values made into columns (replacing in place, new ones after), for `mapColumns`
 * (which re-keys rows whose key columns changed, as mapRecords does). Undefined when a record is
 * anything else, or a label's values are not of one column type (nulls of it included): then
 * mapRecords decides.
 */
export function overrideColumns(table: Table, records: readonly RecordValue[], budget?: MemoryBudget): OutputColumn[] | undefined {
  const n = table.length;
  const first = records[0]?.fields;
  if (n === 0 || !(first instanceof RowRecordFields) || first.table !== table) return undefined;
  const labels = first.overrideLabels;
  for (let i = 0; i < n; i++) {
    const f = records[i]!.fields;
    if (!(f instanceof RowRecordFields) || f.table !== table || f.row !== i || !sameLabels(f.overrideLabels, labels)) return undefined;
  }
  const made = new Map<string, ColumnData>();
  for (let k = 0; k < labels.length; k++) {
    let type: ColumnType | undefined;
    for (let i = 0; i < n && type === undefined; i++) {
      const v = (records[i]!.fields as RowRecordFields).overrideValues[k]!;
      const kind = v.kind === 'null' ? v.type.kind : v.kind;
      if (!isColumnType(kind)) return undefined;
      if (v.kind !== 'null') type = kind;
    }
    if (type === undefined) return undefined;
    const b = new ColumnBuilder(type, budget, n);
    for (let i = 0; i < n; i++) {
      const v = (records[i]!.fields as RowRecordFields).overrideValues[k]!;
      if ((v.kind === 'null' ? v.type.kind : v.kind) !== type) return undefined;
      b.pushValue(v);
    }
    made.set(labels[k]!, b.finish(n));
  }
  const out: OutputColumn[] = table.cols.map((c) => {
    const column = made.get(c.label);
    return column === undefined ? { label: c.label, from: c.label } : { label: c.label, column };
  });
  for (const l of labels) if (table.colIndex(l) < 0) out.push({ label: l, column: made.get(l)! });
  return out;
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function touchesKey(f: RowRecordFields, keyLabels: readonly string[]): boolean {
  if (f.overrideLabels.length === 0) return false;
  for (const l of keyLabels) if (f.overrideLabels.includes(l)) return true;
  return false;
}

function sameKeyValues(rec: RecordValue, labels: readonly string[], prev: readonly (Value | undefined)[]): boolean {
  for (let k = 0; k < labels.length; k++) {
    const v = rec.fields.get(labels[k]!);
    const p = prev[k];
    if (v === p) continue;
    if (v === undefined || p === undefined || v.kind !== p.kind || !equalValues(v, p)) return false;
    if (v.kind === 'null' && v.type.kind !== (p as typeof v).type.kind) return false;
  }
  return true;
}
