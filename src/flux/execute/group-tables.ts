import type { MemoryBudget } from './memory-budget.js';
import { KeyedTableBuilders } from './keyed-table-builders.js';
import { keyOfWhole, partitionRows } from './partition-rows.js';
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
 * Blocking: output starts when the input ends (Flux's group is blocking too). Memory is charged
 * to `budget` as the builders grow.
 */
export async function* groupTables(input: TableStream, spec: GroupSpec, budget?: MemoryBudget): TableStream {
  const builders = new KeyedTableBuilders(budget);
  for await (const table of input) {
    const labels =
      spec.mode === 'by'
        ? spec.columns
        : table.cols.map((c) => c.label).filter((l) => !spec.columns.includes(l));
    // A table that needs no split goes in whole, re-keyed, without making a re-keyed table.
    const whole = keyOfWhole(table, labels);
    if (whole !== undefined) builders.builder(whole).appendTable(table);
    else for (const part of partitionRows(table, labels)) builders.append(part);
  }
  yield* builders.finish();
}
