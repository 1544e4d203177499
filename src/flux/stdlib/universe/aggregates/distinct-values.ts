import { ColumnBuilder } from '../../../execute/column-builder.js';
import { isValid, type ColMeta, type ColumnData } from '../../../execute/column.js';
import { Table } from '../../../execute/table.js';
import { takeRows } from '../../../execute/take-rows.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { stringValue } from '../../../values/value.js';
import { perTableOutput } from './per-table-output.js';
import { constantColumn } from './aggregate-table.js';

/** A hashable identity of row i's value (null is its own value). */
function cellKey(col: ColumnData, i: number): string | number | bigint | null {
  if (!isValid(col, i)) return null;
  const v = col.values[i]!;
  return typeof v === 'number' && col.type === 'float' && Object.is(v, -0) ? 0 : v;
}

/** Key columns (key values, `n` rows) then one more column. */
function keyedTable(t: Table, label: string, col: ColumnData, n: number): Table {
  const cols: ColMeta[] = [];
  const columns: ColumnData[] = [];
  t.key.cols.forEach((c, i) => {
    cols.push(c);
    columns.push(constantColumn(c, t.key.values[i]!, n));
  });
  cols.push({ label, type: col.type });
  columns.push(col);
  return new Table(t.key, cols, columns, n);
}

/**
 * `distinct(column:)`: the distinct values of `column` (first-seen order, null once) in a
 * `_value` column after the key columns. A key column gives its one value; a missing column
 * gives one empty string, as Flux does.
 */
export const distinct: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?column: string) => stream[B]',
  call(args) {
    const column = args.stringOr('column', '_value');
    return perTableOutput(args, (t) => {
      const j = t.colIndex(column);
      if (j < 0) return keyedTable(t, '_value', constantColumn({ label: '_value', type: 'string' }, stringValue(''), 1), 1);
      const kv = t.key.value(column);
      if (kv !== undefined) return keyedTable(t, '_value', constantColumn(t.cols[j]!, kv, 1), 1);
      const src = t.columns[j]!;
      const seen = new Set<unknown>();
      const rows: number[] = [];
      for (let i = 0; i < t.length; i++) {
        const k = cellKey(src, i);
        if (seen.has(k)) continue;
        seen.add(k);
        rows.push(i);
      }
      const b = new ColumnBuilder(src.type, args.ctx.budget, Math.max(rows.length, 1));
      b.pushFrom(src, rows);
      return keyedTable(t, '_value', b.finish(), rows.length);
    });
  },
};

/** `unique(column:)`: the first row of each distinct value of `column` (null counts as one). */
export const unique: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?column: string) => stream[A]',
  call(args) {
    const column = args.stringOr('column', '_value');
    return perTableOutput(args, (t) => {
      const j = t.colIndex(column);
      if (j < 0) throw new CallError(`no column "${column}" exists`);
      const src = t.columns[j]!;
      const seen = new Set<unknown>();
      const rows: number[] = [];
      for (let i = 0; i < t.length; i++) {
        const k = cellKey(src, i);
        if (seen.has(k)) continue;
        seen.add(k);
        rows.push(i);
      }
      return rows.length === t.length ? t : takeRows(t, rows, rows.length, args.ctx.budget);
    });
  },
};

/**
 * `mode(column:)`: the most frequent non-null value(s), ascending, one row each in a `_value`
 * column after the key columns. No mode (all values equally frequent, which includes a single distinct value, or
 * only nulls) gives one null row; a missing column one empty string — Flux's rules.
 */
export const mode: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?column: string) => stream[{C with _value: B}]',
  call(args) {
    const column = args.stringOr('column', '_value');
    return perTableOutput(args, (t) => {
      const j = t.colIndex(column);
      if (j < 0) return keyedTable(t, '_value', constantColumn({ label: '_value', type: 'string' }, stringValue(''), 1), 1);
      const src = t.columns[j]!;
      const counts = new Map<unknown, { n: number; row: number }>();
      for (let i = 0; i < t.length; i++) {
        if (!isValid(src, i)) continue;
        const k = cellKey(src, i);
        const e = counts.get(k);
        if (e === undefined) counts.set(k, { n: 1, row: i });
        else e.n++;
      }
      let max = 0;
      let total = 0;
      for (const e of counts.values()) {
        if (e.n > max) {
          max = e.n;
          total = 1;
        } else if (e.n === max) total++;
      }
      const b = new ColumnBuilder(src.type, args.ctx.budget, 1);
      if (counts.size === total) {
        b.pushNull();
        return keyedTable(t, '_value', b.finish(1), 1);
      }
      const rows = [...counts.values()].filter((e) => e.n === max).map((e) => e.row);
      const v = src.values as ArrayLike<number | bigint | string>;
      rows.sort((a, c) => (v[a]! < v[c]! ? -1 : v[a]! > v[c]! ? 1 : 0));
      b.pushFrom(src, rows);
      return keyedTable(t, '_value', b.finish(), rows.length);
    });
  },
};
