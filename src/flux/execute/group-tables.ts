import { invalid } from '../../core/errors.js';
import type { ColumnType } from '../values/mono-type.js';
import type { ColMeta } from './column.js';
import { concatTablesSteps } from './concat-tables.js';
import type { GroupKey } from './group-key.js';
import type { MemoryBudget } from './memory-budget.js';
import { keyOfWhole, partitionRows } from './partition-rows.js';
import { selectColumns } from './project-columns.js';
import { NEVER, runStepsBreathing, type Breather } from './steps.js';
import type { Table } from './table.js';
import type { TableStream } from './table-stream.js';
import type { StreamValue } from '../values/value.js';

/**
 * A `group()` result that a consumer reading only some columns may rebuild with just those
 * (`groupTables`' `keep`), errors reported as group's own.
 */
export interface RegroupableStream extends StreamValue {
  readonly regroup: (keep: readonly string[]) => TableStream;
}

/** The rebuild of `v` when it is a group() result, else undefined. */
export function regroupOf(v: unknown): RegroupableStream['regroup'] | undefined {
  return typeof v === 'object' && v !== null ? (v as Partial<RegroupableStream>).regroup : undefined;
}

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
 *
 * `keep`: build only the new key columns and these, for a consumer that reads nothing else (an
 * aggregate after group: its output is the key and the aggregated column). The tables are what
 * the whole ones would be with the other columns dropped, and a schema collision in a dropped
 * column is still the error it would have been.
 *
 * `breathe` is asked between the columns of the tables put together at the end (steps.ts).
 */
export async function* groupTables(
  input: TableStream,
  spec: GroupSpec,
  budget?: MemoryBudget,
  keep?: readonly string[],
  breathe: Breather = NEVER,
): TableStream {
  const groups = new Map<string, { key: GroupKey; tables: Table[]; types: Map<string, ColumnType> | undefined }>();
  const add = (key: GroupKey, table: Table, cols: readonly ColMeta[]): void => {
    let g = groups.get(key.id);
    if (g === undefined) groups.set(key.id, (g = { key, tables: [], types: keep === undefined ? undefined : new Map() }));
    // Columns left out still collide as they would have in the whole table (see `keep`).
    if (g.types !== undefined) checkTypes(g.types, cols);
    g.tables.push(table);
  };
  for await (const table of input) {
    const labels =
      spec.mode === 'by'
        ? spec.columns
        : table.cols.map((c) => c.label).filter((l) => !spec.columns.includes(l));
    const t = keep === undefined ? table : selectColumns(table, (l) => labels.includes(l) || keep.includes(l));
    // A table that needs no split goes in whole, re-keyed, without making a re-keyed table.
    const whole = keyOfWhole(t, labels);
    if (whole !== undefined) add(whole, t, table.cols);
    else for (const part of partitionRows(t, labels)) add(part.key, part, table.cols);
  }
  const out: Table[] = [];
  for (const g of groups.values()) out.push(await runStepsBreathing(concatTablesSteps(g.key, g.tables, budget), breathe));
  groups.clear();
  // Flux's group lookup emits tables in key order.
  yield* out.sort((a, b) => a.key.compare(b.key));
}

/** TableBuilder's check, for columns `keep` leaves out: one label, one type, within a new table. */
function checkTypes(types: Map<string, ColumnType>, cols: readonly ColMeta[]): void {
  for (const c of cols) {
    const have = types.get(c.label);
    if (have === undefined) types.set(c.label, c.type);
    else if (have !== c.type) throw invalid(`schema collision detected: column "${c.label}" is both of type ${have} and ${c.type}`);
  }
}
