import type { MemoryBudget } from './memory-budget.js';
import { takeRows } from './take-rows.js';
import type { Table } from './table.js';

/**
 * A row predicate compiled against one table's schema: true keeps row `row`. The interpreter
 * builds one per table, either as a direct kernel over column arrays (fast path, e.g.
 * `(i) => valid(i) && vals[i] > x` for `r._value > x`) or by evaluating the Flux function through
 * a `RowCursor` (generic path). Must not throw for null slots: Flux's filter treats a null result
 * as false.
 */
export type RowPredicate = (row: number) => boolean;

/**
 * The rows of `table` for which `keep` is true, same key and schema. Returns `table` itself when
 * every row is kept (no copy). An empty result is an empty table; dropping it (Flux's
 * `onEmpty: "drop"`) is the caller's choice. New columns are charged to `budget`.
 */
export function filterTable(table: Table, keep: RowPredicate, budget?: MemoryBudget): Table {
  const n = table.length;
  const rows = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) if (keep(i)) rows[count++] = i;
  if (count === n) return table;
  return takeRows(table, rows, count, budget);
}
