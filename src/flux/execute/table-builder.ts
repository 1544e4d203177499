import { invalid } from '../../core/errors.js';
import type { ColumnType } from '../values/mono-type.js';
import type { RecordValue, Value } from '../values/value.js';
import { RowRecordFields } from './row-record.js';
import { nullValue, typeOf } from '../values/value.js';
import { columnMonoType, formatType, isColumnType } from '../values/mono-type.js';
import type { ColMeta } from './column.js';
import { ColumnBuilder } from './column-builder.js';
import { GroupKey } from './group-key.js';
import { MemoryBudget } from './memory-budget.js';
import { Table } from './table.js';
import { anchorShapes } from '../../core/shape-anchors.js';

/**
 * Builds one table. The key is fixed up front; columns may be added at any time (earlier rows
 * read as null in a late column). Rows are appended either whole (`appendRow`,
 * `appendRecord`, `appendTable`) or column by column through `column(j)` followed by `endRow()`
 * — a column left short is padded with nulls. Columns keep the order they were added in; a key
 * column never added is appended at `build()` holding the key's value in every row, so the
 * result always satisfies Table's invariants.
 */
export class TableBuilder {
  readonly key: GroupKey;
  readonly #cols: ColMeta[] = [];
  readonly #builders: ColumnBuilder[] = [];
  readonly #index = new Map<string, number>();
  readonly #budget: MemoryBudget | undefined;
  #length = 0;

  constructor(key: GroupKey, budget?: MemoryBudget) {
    this.key = key;
    this.#budget = budget;
  }

  get length(): number {
    return this.#length;
  }

  get cols(): readonly ColMeta[] {
    return this.#cols;
  }

  colIndex(label: string): number {
    return this.#index.get(label) ?? -1;
  }

  /**
   * Adds a column (or returns the existing one's index). A column that already exists with
   * another type is a schema collision, reported with Flux's wording.
   */
  addColumn(label: string, type: ColumnType): number {
    const existing = this.#index.get(label);
    if (existing !== undefined) {
      const have = this.#cols[existing]!.type;
      if (have !== type) {
        throw invalid(`schema collision detected: column "${label}" is both of type ${have} and ${type}`);
      }
      return existing;
    }
    const j = this.#cols.length;
    this.#cols.push({ label, type });
    const b = new ColumnBuilder(type, this.#budget);
    b.pushNulls(this.#length);
    this.#builders.push(b);
    this.#index.set(label, j);
    return j;
  }

  /** The builder of column j, for typed appends; call `endRow()` after each row. */
  column(j: number): ColumnBuilder {
    return this.#builders[j]!;
  }

  /** Completes a row appended column by column: short columns get a null. */
  endRow(): void {
    this.#length++;
    for (const b of this.#builders) if (b.length < this.#length) b.pushNull();
  }

  /** Appends one row, values positional on the current columns (missing trailing = null). */
  appendRow(values: readonly Value[]): void {
    for (let j = 0; j < this.#builders.length; j++) {
      const v = values[j];
      if (v === undefined) this.#builders[j]!.pushNull();
      else this.#builders[j]!.pushValue(v);
    }
    this.#length++;
  }

  /**
   * Appends a record by label; new labels become columns (typed from the value, nulls before).
   * A null field of a column not yet seen cannot be typed and is skipped (the column stays absent
   * until a typed value appears, as in Flux's map).
   */
  appendRecord(r: RecordValue): void {
    if (r.fields instanceof RowRecordFields) return this.#appendRowRecord(r.fields);
    r.fields.forEach((v, label) => this.#appendField(label, v));
    this.endRow();
  }

  #appendField(label: string, v: Value): void {
    let j = this.#index.get(label);
    if (j === undefined) {
      const kind = v.kind === 'null' ? v.type.kind : v.kind;
      if (!isColumnType(kind)) {
        if (v.kind === 'null') return;
        throw invalid(`unsupported column type ${formatType(typeOf(v))} for column "${label}"`);
      }
      j = this.addColumn(label, kind);
    }
    const b = this.#builders[j]!;
    if (b.length > this.#length) throw invalid(`record has duplicate label "${label}"`);
    b.pushValue(v);
  }

  /** Per source table: the destination builder of each of its columns (built on first use). */
  #plan:
    | {
        table: Table;
        dest: (ColumnBuilder | undefined)[];
        labels?: readonly string[];
        at: number[];
        overrideDest: (ColumnBuilder | undefined)[];
      }
    | undefined;

  /** The builder receiving source column j of the current plan's table. */
  #bindDest(j: number): ColumnBuilder {
    const plan = this.#plan!;
    const c = plan.table.cols[j]!;
    const b = this.#builders[this.addColumn(c.label, c.type)]!; // throws on a type collision
    plan.dest[j] = b;
    return b;
  }

  /** A row snapshot: untouched cells are copied column to column, without Values. */
  #appendRowRecord(f: RowRecordFields): void {
    const t = f.table;
    if (this.#plan?.table !== t) {
      // Destinations are bound on first use, so a column every row replaces (possibly with
      // another type) is never created with the source's type.
      this.#plan = { table: t, dest: t.cols.map(() => undefined), at: [], overrideDest: [] };
    }
    const dest = this.#plan.dest;
    const labels = f.overrideLabels;
    const row = f.row;
    if (labels.length === 0) {
      for (let j = 0; j < dest.length; j++) (dest[j] ?? this.#bindDest(j)).pushCell(t.columns[j]!, row);
    } else {
      // Source positions of replaced columns (-1: a new column), cached per labels array.
      const plan = this.#plan;
      if (plan.labels !== labels) {
        plan.labels = labels;
        plan.at = labels.map((l) => t.colIndex(l));
        plan.overrideDest = labels.map(() => undefined);
      }
      const { at, overrideDest } = plan;
      const values = f.overrideValues;
      const put = (k: number): void => {
        const b = overrideDest[k];
        if (b !== undefined) return b.pushValue(values[k]!);
        this.#appendField(labels[k]!, values[k]!);
        const idx = this.#index.get(labels[k]!);
        overrideDest[k] = idx === undefined ? undefined : this.#builders[idx];
      };
      for (let j = 0; j < dest.length; j++) {
        const k = at.indexOf(j);
        if (k < 0) (dest[j] ?? this.#bindDest(j)).pushCell(t.columns[j]!, row);
        else put(k);
      }
      for (let k = 0; k < labels.length; k++) if (at[k]! < 0) put(k);
    }
    this.endRow();
  }

  /**
   * Appends rows of `table` (all, or those listed in `rows`) by column label; its columns missing
   * here are added. Bulk copy: no per-value allocation.
   */
  appendTable(table: Table, rows?: ArrayLike<number>): void {
    const count = rows === undefined ? table.length : rows.length;
    const dest = this.#appendDest(table.cols);
    for (let j = 0; j < dest.length; j++) dest[j]!.pushFrom(table.columns[j]!, rows, count);
    this.#length += count;
    // Labels are unique within a table, so a table with every column here filled every builder.
    if (dest.length < this.#builders.length) {
      for (const b of this.#builders) if (b.length < this.#length) b.pushNulls(this.#length - b.length);
    }
  }

  /**
   * The builder of each of `cols` (added when missing). Remembered for the last schema appended:
   * a stream's tables mostly share one (often the same array), and appending many small tables
   * (group() over per-series aggregates) must not look every label up again.
   */
  #appendDest(cols: readonly ColMeta[]): ColumnBuilder[] {
    const last = this.#lastAppend;
    if (last !== undefined && last.width === this.#builders.length && sameSchema(last.cols, cols)) {
      last.cols = cols;
      return last.dest;
    }
    const dest = cols.map((c) => this.#builders[this.addColumn(c.label, c.type)]!);
    this.#lastAppend = { cols, dest, width: this.#builders.length };
    return dest;
  }

  /** The last schema `appendTable` mapped; `width` = columns here then (a new one means re-map). */
  #lastAppend: { cols: readonly ColMeta[]; dest: ColumnBuilder[]; width: number } | undefined;

  /** The finished table. The builder must not be used afterwards. */
  build(): Table {
    const n = this.#length;
    for (let k = 0; k < this.key.cols.length; k++) {
      const c = this.key.cols[k]!;
      if (this.#index.has(c.label)) continue;
      // A key column never appended: every row holds the key's value.
      const j = this.addColumn(c.label, c.type);
      const b = new ColumnBuilder(c.type, this.#budget);
      for (let i = 0; i < n; i++) b.pushValue(this.key.values[k]!);
      this.#builders[j] = b;
    }
    const columns = this.#builders.map((b) => b.finish(n));
    return new Table(this.key, [...this.#cols], columns, n);
  }
}

// Builders live only while a query runs: one kept alive keeps their map (shape-anchors.ts).
anchorShapes(new TableBuilder(GroupKey.EMPTY, new MemoryBudget()));

/** Same labels and types in the same order. */
function sameSchema(a: readonly ColMeta[], b: readonly ColMeta[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j++) if (a[j]!.label !== b[j]!.label || a[j]!.type !== b[j]!.type) return false;
  return true;
}

/**
 * A table from columns of plain JS values (tests, `array.from`-style literals). Each column is
 * `[label, type, values]` with `null` for a null slot; key columns are listed by label.
 */
export function tableFromColumns(
  spec: readonly (readonly [string, ColumnType, readonly (number | bigint | string | boolean | null)[]])[],
  keyLabels: readonly string[] = [],
): Table {
  const length = spec.length === 0 ? 0 : spec[0]![2].length;
  const builders = spec.map(([label, type, values]) => {
    if (values.length !== length) throw invalid(`column "${label}" has ${values.length} rows, expected ${length}`);
    const b = new ColumnBuilder(type);
    for (const v of values) {
      if (v === null) b.pushNull();
      else if (type === 'float') b.pushFloat(Number(v));
      else if (type === 'bool') b.pushBool(v === true);
      else if (type === 'string') b.pushString(String(v));
      else b.pushBigInt(BigInt(v));
    }
    return b;
  });
  const cols = spec.map(([label, type]) => ({ label, type }));
  const columns = builders.map((b) => b.finish(length));
  const keyCols = keyLabels.map((l) => {
    const j = cols.findIndex((c) => c.label === l);
    if (j < 0) throw invalid(`group key column "${l}" is not a column`);
    return j;
  });
  const probe = new Table(GroupKey.EMPTY, cols, columns, length);
  const key = new GroupKey(
    keyCols.map((j) => cols[j]!),
    keyCols.map((j) => (length > 0 ? probe.value(0, j) : nullValue(columnMonoType(cols[j]!.type)))),
  );
  return new Table(key, cols, columns, length);
}
