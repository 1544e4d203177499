import type { ColMeta, ColumnData } from '../../../execute/column.js';
import { sliceColumn } from '../../../execute/take-rows.js';
import { Table } from '../../../execute/table.js';

/**
 * The rows of `t` from `start` on, with the columns at `replaced` indexes swapped for the given
 * float columns (each `t.length - start` long). This is the shape of Flux's windowed indicators:
 * the first rows only feed the window, and the computed columns become float.
 */
export function tailWithFloats(t: Table, start: number, replaced: ReadonlyMap<number, ColumnData>): Table {
  const from = Math.min(start, t.length);
  const cols: ColMeta[] = t.cols.map((c, j) => (replaced.has(j) ? { label: c.label, type: 'float' } : c));
  const data = t.columns.map((c, j) => replaced.get(j) ?? sliceColumn(c, from, t.length));
  return new Table(t.key, cols, data, t.length - from);
}

/** The schema of `t` with the columns at `indexes` turned float, and no rows. */
export function emptyWithFloats(t: Table, indexes: readonly number[]): Table {
  return Table.empty(
    t.key,
    t.cols.map((c, j) => (indexes.includes(j) ? { label: c.label, type: 'float' as const } : c)),
  );
}
