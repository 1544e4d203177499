import { invalid } from '../../core/errors.js';
import type { ColMeta, ColumnData } from './column.js';
import { GroupKey } from './group-key.js';
import { Table } from './table.js';

/**
 * The table with only the columns for which `keep` is true, in table order, sharing their
 * buffers (Flux's keep/drop). Dropped key columns leave the key.
 */
export function selectColumns(table: Table, keep: (label: string) => boolean): Table {
  const cols: ColMeta[] = [];
  const columns: ColumnData[] = [];
  table.cols.forEach((c, j) => {
    if (!keep(c.label)) return;
    cols.push(c);
    columns.push(table.columns[j]!);
  });
  if (cols.length === table.cols.length) return table;
  const k = table.key;
  const idx = k.cols.map((_, i) => i).filter((i) => keep(k.cols[i]!.label));
  const key = new GroupKey(
    idx.map((i) => k.cols[i]!),
    idx.map((i) => k.values[i]!),
  );
  return new Table(key, cols, columns, table.length);
}

/**
 * The table with columns renamed by `rename` (return the label unchanged to keep it), sharing
 * buffers; key columns are renamed too (Flux's rename). Two columns ending with one label is an
 * `invalid` error.
 */
export function renameColumns(table: Table, rename: (label: string) => string): Table {
  const cols = table.cols.map((c) => ({ label: rename(c.label), type: c.type }));
  const seen = new Set<string>();
  for (const c of cols) {
    if (seen.has(c.label)) throw invalid(`rename: duplicate column label "${c.label}"`);
    seen.add(c.label);
  }
  const key = new GroupKey(
    table.key.cols.map((c) => ({ label: rename(c.label), type: c.type })),
    table.key.values,
  );
  return new Table(key, cols, table.columns, table.length);
}
