/**
 * Flux tables and table streams: the data every transformation consumes and produces.
 *
 * - `Table`: group key + schema (`ColMeta[]`) + immutable typed columns (`ColumnData`: float →
 *   Float64Array, int/time/duration → BigInt64Array, uint → BigUint64Array, bool → Uint8Array,
 *   string → string[]; validity bitmap or null). Build with `TableBuilder` / `ColumnBuilder`.
 * - `TableStream` = AsyncIterable<Table>, single pass, unique keys per stream.
 * - Row functions without a record per row: translate the body to `RowExpr` and compile it to a
 *   `RowPredicate` / `ColumnKernel` / map outputs over the column arrays (fast path), or evaluate
 *   through `RowCursor.view()` + `recordWithFields` (generic path).
 * - Kernels: filterTable, mapColumns / mapRecords, sortTable, partitionRows / groupTables,
 *   selectColumns / renameColumns, takeRows / sliceRows, diffTables (testing.diff).
 * - `MemoryBudget`: per-query live-bytes limit; builders and kernels charge it.
 */
export * from './column.js';
export * from './column-builder.js';
export * from './group-key.js';
export * from './table.js';
export * from './table-builder.js';
export * from './table-stream.js';
export * from './memory-budget.js';
export * from './row-cursor.js';
export * from './row-record.js';
export * from './row-expr.js';
export * from './take-rows.js';
export * from './filter-table.js';
export * from './map-columns.js';
export * from './map-records.js';
export * from './project-columns.js';
export * from './partition-rows.js';
export * from './sort-table.js';
export * from './steps.js';
export * from './keyed-table-builders.js';
export * from './group-tables.js';
export * from './diff-tables.js';
export * from './format-table.js';
