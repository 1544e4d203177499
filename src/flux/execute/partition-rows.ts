import { columnMonoType } from '../values/mono-type.js';
import { nullValue } from '../values/value.js';
import { columnValue, type ColMeta } from './column.js';
import { GroupKey, keyPart } from './group-key.js';
import { takeRows } from './take-rows.js';
import { Table } from './table.js';

/**
 * Splits a table's rows by their values in `keyLabels` (labels missing from the table are
 * ignored, as Flux's group does). Each part gets the key made of those columns, in `keyLabels`
 * order, and keeps the table's schema. Parts are returned in order of first appearance. When the
 * new key columns are all in the table's current key (or the table is empty: its new key
 * values are then null unless the old key had them), the table is re-keyed without copying.
 */
export function partitionRows(table: Table, keyLabels: readonly string[]): Table[] {
  const idx: number[] = [];
  for (const l of keyLabels) {
    const j = table.colIndex(l);
    if (j >= 0 && !idx.includes(j)) idx.push(j);
  }
  const keyCols: ColMeta[] = idx.map((j) => table.cols[j]!);
  if (table.length === 0 || idx.every((j) => table.key.has(table.cols[j]!.label))) {
    const key = new GroupKey(
      keyCols,
      keyCols.map((c) => table.key.value(c.label) ?? nullValue(columnMonoType(c.type))),
    );
    return [new Table(key, table.cols, table.columns, table.length)];
  }
  const groups = new Map<string, { first: number; rows: number[] }>();
  const cols = idx.map((j) => table.columns[j]!);
  for (let i = 0; i < table.length; i++) {
    let id = '';
    for (let k = 0; k < cols.length; k++) id += keyPart(keyCols[k]!, columnValue(cols[k]!, i));
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { first: i, rows: [] }));
    g.rows.push(i);
  }
  const out: Table[] = [];
  for (const g of groups.values()) {
    const part = takeRows(table, g.rows);
    const key = new GroupKey(keyCols, cols.map((c) => columnValue(c, g.first)));
    out.push(new Table(key, part.cols, part.columns, part.length));
  }
  return out;
}
