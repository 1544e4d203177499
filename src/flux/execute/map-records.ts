import { equalValues } from '../values/compare-values.js';
import { isColumnType } from '../values/mono-type.js';
import type { RecordValue, Value } from '../values/value.js';
import type { ColMeta } from './column.js';
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
