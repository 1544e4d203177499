// Flux tables and table streams: the data every transformation consumes and produces.
export * from './column.js';
export * from './column-builder.js';
export * from './group-key.js';
export * from './table.js';
export * from './table-builder.js';
export * from './table-stream.js';
export * from './memory-budget.js';
export * from './row-cursor.js';
export * from './take-rows.js';
export * from './filter-table.js';
export * from './map-columns.js';
export * from './partition-rows.js';
export * from './sort-table.js';
export * from './keyed-table-builders.js';
export * from './group-tables.js';
export * from './diff-tables.js';
export * from './format-table.js';
