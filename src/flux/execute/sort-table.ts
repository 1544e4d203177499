import { compareFloats, compareStrings } from '../values/compare-values.js';
import { isValid, type ColumnData } from './column.js';
import { takeRows } from './take-rows.js';
import type { Table } from './table.js';

type RowCompare = (a: number, b: number) => number;

/**
 * Compares two rows of one column: nulls first, then ascending (or descending) by value. Nulls
 * come first in both directions, as in Flux.
 */
export function rowComparator(col: ColumnData, desc = false): RowCompare {
  const sign = desc ? -1 : 1;
  const byValue = valueComparator(col);
  if (col.valid === null) return desc ? (a, b) => -byValue(a, b) : byValue;
  return (a, b) => {
    const va = isValid(col, a);
    const vb = isValid(col, b);
    if (!va || !vb) return va === vb ? 0 : va ? 1 : -1;
    return sign * byValue(a, b);
  };
}

function valueComparator(col: ColumnData): RowCompare {
  switch (col.type) {
    case 'float': {
      const v = col.values;
      return (a, b) => compareFloats(v[a]!, v[b]!);
    }
    case 'string': {
      const v = col.values;
      return (a, b) => compareStrings(v[a]!, v[b]!);
    }
    case 'bool': {
      const v = col.values;
      return (a, b) => v[a]! - v[b]!;
    }
    default: {
      const v = col.values;
      return (a, b) => {
        const x = v[a]!;
        const y = v[b]!;
        return x < y ? -1 : x > y ? 1 : 0;
      };
    }
  }
}

/**
 * Stable sort of a table's rows by `columns` (first column most significant), as Flux's `sort()`:
 * columns missing from the table and group-key columns (constant within the table) are skipped;
 * nulls sort first whether ascending or descending. Returns `table` itself when already sorted.
 */
export function sortTable(table: Table, columns: readonly string[], desc = false): Table {
  const comparators: RowCompare[] = [];
  for (const label of columns) {
    const j = table.colIndex(label);
    if (j < 0 || table.key.has(label)) continue;
    comparators.push(rowComparator(table.columns[j]!, desc));
  }
  if (comparators.length === 0 || table.length < 2) return table;
  const cmp: RowCompare =
    comparators.length === 1
      ? comparators[0]!
      : (a, b) => {
          for (const c of comparators) {
            const r = c(a, b);
            if (r !== 0) return r;
          }
          return 0;
        };
  let sorted = true;
  for (let i = 1; i < table.length && sorted; i++) if (cmp(i - 1, i) > 0) sorted = false;
  if (sorted) return table;
  const order = Array.from({ length: table.length }, (_, i) => i);
  order.sort((a, b) => cmp(a, b) || a - b);
  return takeRows(table, order);
}
