import { concatTables } from './concat-tables.js';
import type { GroupKey } from './group-key.js';
import type { MemoryBudget } from './memory-budget.js';
import { keyOfWhole, partitionRows } from './partition-rows.js';
import type { Table } from './table.js';
import type { TableStream } from './table-stream.js';

export interface GroupSpec {
  /** `by`: the key is `columns`; `except`: the key is every column but `columns`. */
  readonly mode: 'by' | 'except';
  readonly columns: readonly string[];
}

/**
 * Regroups a stream (Flux's `group()`): every row is re-keyed on the new key columns and rows
 * with equal new keys, from any input table, land in one output table. New key columns follow
 * the order of `columns` for `by` and table column order for `except`; columns a table lacks are
 * left out of its rows' keys. Rows keep their input order within an output table; output tables
 * differ in schema when their rows came from tables with different columns (missing → null).
 *
 * Blocking: output starts when the input ends (Flux's group is blocking too). The tables (or the
 * parts of tables) of each new key are kept until then and put together once, at their final
 * size (concat-tables.ts); memory is charged to `budget` as each output table is built.
 */
export async function* groupTables(input: TableStream, spec: GroupSpec, budget?: MemoryBudget): TableStream {
  const groups = new Map<string, { key: GroupKey; tables: Table[] }>();
  const add = (key: GroupKey, table: Table): void => {
    const g = groups.get(key.id);
    if (g === undefined) groups.set(key.id, { key, tables: [table] });
    else g.tables.push(table);
  };
  for await (const table of input) {
    const labels =
      spec.mode === 'by'
        ? spec.columns
        : table.cols.map((c) => c.label).filter((l) => !spec.columns.includes(l));
    // A table that needs no split goes in whole, re-keyed, without making a re-keyed table.
    const whole = keyOfWhole(table, labels);
    if (whole !== undefined) add(whole, table);
    else for (const part of partitionRows(table, labels)) add(part.key, part);
  }
  const out: Table[] = [];
  for (const g of groups.values()) out.push(concatTables(g.key, g.tables, budget));
  groups.clear();
  // Flux's group lookup emits tables in key order.
  yield* out.sort((a, b) => a.key.compare(b.key));
}
