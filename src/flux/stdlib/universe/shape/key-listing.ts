import { ColumnBuilder } from '../../../execute/column-builder.js';
import type { ColMeta, ColumnData } from '../../../execute/column.js';
import { isValid } from '../../../execute/column.js';
import type { GroupKey } from '../../../execute/group-key.js';
import { Table } from '../../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { perTable } from './per-table.js';

/** Key columns, each holding the key's value in all `n` rows. */
function keyColumns(key: GroupKey, n: number): { cols: ColMeta[]; columns: ColumnData[] } {
  const columns = key.cols.map((c, i) => {
    const b = new ColumnBuilder(c.type, undefined, n);
    for (let r = 0; r < n; r++) b.pushValue(key.values[i]!);
    return b.finish(n);
  });
  return { cols: [...key.cols], columns };
}

/** One table per input table: the key columns plus `label` listing `names`, one per row. */
function listing(key: GroupKey, label: string, names: readonly string[]): Table {
  const { cols, columns } = keyColumns(key, names.length);
  if (cols.some((c) => c.label === label)) throw new CallError(`column "${label}" already exists in the group key`);
  cols.push({ label, type: 'string' });
  columns.push({ type: 'string', length: names.length, valid: null, values: [...names] });
  return new Table(key, cols, columns, names.length);
}

/** `columns(column:)`: the labels of each table's columns, in table order. */
export const columns: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?column: string) => stream[B]',
  call(args) {
    const label = args.stringOr('column', '_value');
    return perTable(args, (t) => listing(t.key, label, t.cols.map((c) => c.label)));
  },
};

/** `keys(column:)`: the labels of each table's group key columns. */
export const keys: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?column: string) => stream[B]',
  call(args) {
    const label = args.stringOr('column', '_value');
    return perTable(args, (t) => listing(t.key, label, t.key.cols.map((c) => c.label)));
  },
};

/**
 * `keyValues(keyColumns:)`: per table, the distinct (column, value) pairs of the listed columns,
 * in row order: key columns, `_key` (the column's label) and `_value`. The listed columns the
 * table has must share one type.
 */
export const keyValues: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?keyColumns: [string]) => stream[{C with _key: string, _value: B}]',
  call(args) {
    const wanted = args.optStrings('keyColumns') ?? [];
    return perTable(args, (t) => {
      const present = wanted.map((l) => t.colIndex(l)).filter((j) => j >= 0);
      if (present.length === 0) {
        throw new CallError(
          `received table with columns [${t.cols.map((c) => c.label).join(' ')}] not having key columns [${wanted.join(' ')}]`,
        );
      }
      const type = t.cols[present[present.length - 1]!]!.type;
      if (present.some((j) => t.cols[j]!.type !== type)) throw new CallError('keyColumns must all be the same type');
      const names: string[] = [];
      const values = new ColumnBuilder(type);
      const seen = new Set<string>();
      let sawNull = false;
      for (let i = 0; i < t.length; i++) {
        for (const j of present) {
          const col = t.columns[j]!;
          const label = t.cols[j]!.label;
          if (!isValid(col, i)) {
            if (sawNull) continue;
            sawNull = true;
          } else {
            const id = `${label}\u0000${String(col.values[i])}`;
            if (seen.has(id)) continue;
            seen.add(id);
          }
          names.push(label);
          values.pushCell(col, i);
        }
      }
      const n = names.length;
      const { cols, columns } = keyColumns(t.key, n);
      cols.push({ label: '_key', type: 'string' }, { label: '_value', type });
      columns.push({ type: 'string', length: n, valid: null, values: names }, values.finish(n));
      return new Table(t.key, cols, columns, n);
    });
  },
};
