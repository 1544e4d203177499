import { recordValue, type RecordValue, type Value } from '../values/value.js';
import { columnValue, isValid, type ColumnData } from './column.js';
import { LiveRowFields, RowRecordFields } from './row-record.js';
import type { Table } from './table.js';

/**
 * A movable view of one row of a table, reused across rows so evaluating a row function does not
 * allocate a record per row. The interpreter binds `r` to a cursor, resolves `r.label` to a
 * column index once per table (`indexOf`), then reads typed slots per row:
 *
 *   const cur = new RowCursor(table); const j = cur.indexOf('_value');
 *   for (cur.row = 0; cur.row < table.length; cur.row++) if (!cur.isNull(j) && cur.float(j) > x) ...
 *
 * Typed getters do not check the column type: the caller resolves types per table from
 * `table.cols` (a row function is type-checked against the table schema once, not per row).
 * `get`/`record` allocate and are the generic (slow) path.
 */
export class RowCursor {
  readonly table: Table;
  /** The current row index, set by the caller. */
  row = 0;
  readonly #columns: readonly ColumnData[];

  constructor(table: Table) {
    this.table = table;
    this.#columns = table.columns;
  }

  /** Column index for a label, or -1 (then `r.label` is null in Flux). */
  indexOf(label: string): number {
    return this.table.colIndex(label);
  }

  isNull(j: number): boolean {
    return !isValid(this.#columns[j]!, this.row);
  }

  float(j: number): number {
    return (this.#columns[j]!.values as Float64Array)[this.row]!;
  }

  /** int, uint, time (ns) and duration (ns) columns. */
  bigint(j: number): bigint {
    return (this.#columns[j]!.values as BigInt64Array)[this.row]!;
  }

  bool(j: number): boolean {
    return (this.#columns[j]!.values as Uint8Array)[this.row] === 1;
  }

  string(j: number): string {
    return (this.#columns[j]!.values as readonly string[])[this.row]!;
  }

  /** Column j of the current row as a Value (typed null when null). Allocates. */
  value(j: number): Value {
    return columnValue(this.#columns[j]!, this.row);
  }

  /** `r.label` as a Value; a missing column reads as null, as in Flux. Allocates. */
  get(label: string): Value | undefined {
    const j = this.indexOf(label);
    return j < 0 ? undefined : this.value(j);
  }

  /**
   * A record whose fields read the cursor's *current* row: bind `r` to it once per table and
   * move the cursor, with no record allocated per row. It is a live view: anything that keeps
   * `r` beyond the current row must freeze it: `snapshot()` or `recordWithFields(r, ...)` for
   * `{r with ...}` (both O(1) and fast to append to a table), or `record()` (a full Map copy).
   */
  view(): RecordValue {
    this.#view ??= { kind: 'record', fields: new LiveRowFields(this) };
    return this.#view;
  }

  /** The current row frozen as a record (cheap: values are read on demand; see RowRecordFields). */
  snapshot(): RecordValue {
    return { kind: 'record', fields: new RowRecordFields(this.table, this.row) };
  }

  #view: RecordValue | undefined;

  /** The current row as a record (columns in table order). Allocates; the generic fallback. */
  record(): RecordValue {
    const cols = this.table.cols;
    const entries: [string, Value][] = new Array(cols.length);
    for (let j = 0; j < cols.length; j++) entries[j] = [cols[j]!.label, this.value(j)];
    return recordValue(entries);
  }
}
