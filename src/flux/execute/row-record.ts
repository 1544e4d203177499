import type { RecordValue, Value } from '../values/value.js';
import { columnValue } from './column.js';
import type { Table } from './table.js';

/**
 * The fields of one table row, frozen at that row, plus extra or replaced fields: what
 * `{r with a: x}` evaluates to when `r` is a table row. Values of untouched columns are read
 * from the columns on demand, so building it costs O(overrides), not O(columns), and
 * `TableBuilder.appendRecord` copies untouched cells column to column without making Values.
 * Key order: the table's columns (replaced ones in place), then new labels in given order.
 */
export class RowRecordFields implements ReadonlyMap<string, Value> {
  readonly table: Table;
  readonly row: number;
  /** Replaced or added fields: labels (unique) and their values, in `with` order. */
  readonly overrideLabels: readonly string[];
  readonly overrideValues: readonly Value[];

  constructor(table: Table, row: number, overrideLabels: readonly string[] = [], overrideValues: readonly Value[] = []) {
    this.table = table;
    this.row = row;
    this.overrideLabels = overrideLabels;
    this.overrideValues = overrideValues;
  }

  /** The replaced or added value for `label`, if any. */
  override(label: string): Value | undefined {
    const ls = this.overrideLabels;
    for (let k = 0; k < ls.length; k++) if (ls[k] === label) return this.overrideValues[k];
    return undefined;
  }

  get size(): number {
    let added = 0;
    for (const k of this.overrideLabels) if (this.table.colIndex(k) < 0) added++;
    return this.table.cols.length + added;
  }

  get(label: string): Value | undefined {
    const o = this.override(label);
    if (o !== undefined) return o;
    const j = this.table.colIndex(label);
    return j < 0 ? undefined : columnValue(this.table.columns[j]!, this.row);
  }

  has(label: string): boolean {
    return this.override(label) !== undefined || this.table.colIndex(label) >= 0;
  }

  *keys(): MapIterator<string> {
    for (const c of this.table.cols) yield c.label;
    for (const k of this.overrideLabels) if (this.table.colIndex(k) < 0) yield k;
  }

  *entries(): MapIterator<[string, Value]> {
    for (const k of this.keys()) yield [k, this.get(k)!];
  }

  *values(): MapIterator<Value> {
    for (const k of this.keys()) yield this.get(k)!;
  }

  [Symbol.iterator](): MapIterator<[string, Value]> {
    return this.entries();
  }

  forEach(fn: (value: Value, key: string, map: ReadonlyMap<string, Value>) => void): void {
    for (const k of this.keys()) fn(this.get(k)!, k, this);
  }
}

/**
 * `{base with ...fields}`: a new record with `fields` replacing or extending `base`'s. When
 * `base` is a table row (`RowCursor.view()` or a row record) the result is a `RowRecordFields`
 * snapshot of that row, which is cheap to build and to append to a table; otherwise the fields
 * are copied into a Map. The result never changes when a cursor moves.
 */
export function recordWith(base: RecordValue, fields: Iterable<readonly [string, Value]>): RecordValue {
  const labels: string[] = [];
  const values: Value[] = [];
  for (const [k, v] of fields) {
    labels.push(k);
    values.push(v);
  }
  return recordWithFields(base, labels, values);
}

/**
 * `recordWith` for an interpreter that knows a `with` expression's labels statically: pass the
 * same `labels` array for every row (no copy is made, and table builders cache per labels array)
 * and a fresh `values` array. Labels must be unique.
 */
export function recordWithFields(base: RecordValue, labels: readonly string[], values: readonly Value[]): RecordValue {
  const b = base.fields;
  if (b instanceof LiveRowFields) {
    return { kind: 'record', fields: new RowRecordFields(b.source.table, b.source.row, labels, values) };
  }
  if (b instanceof RowRecordFields) {
    const ls = [...b.overrideLabels];
    const vs = [...b.overrideValues];
    for (let k = 0; k < labels.length; k++) {
      const at = ls.indexOf(labels[k]!);
      if (at >= 0) vs[at] = values[k]!;
      else {
        ls.push(labels[k]!);
        vs.push(values[k]!);
      }
    }
    return { kind: 'record', fields: new RowRecordFields(b.table, b.row, ls, vs) };
  }
  const copy = new Map(b);
  for (let k = 0; k < labels.length; k++) copy.set(labels[k]!, values[k]!);
  return { kind: 'record', fields: copy };
}

/** Where a live view reads: a table and a row index that may move (a RowCursor). */
export interface LiveRow {
  readonly table: Table;
  readonly row: number;
}

/** The field map behind `RowCursor.view()`: always the source's *current* row. */
export class LiveRowFields implements ReadonlyMap<string, Value> {
  readonly source: LiveRow;

  constructor(source: LiveRow) {
    this.source = source;
  }

  get size(): number {
    return this.source.table.cols.length;
  }

  get(label: string): Value | undefined {
    const t = this.source.table;
    const j = t.colIndex(label);
    return j < 0 ? undefined : columnValue(t.columns[j]!, this.source.row);
  }

  has(label: string): boolean {
    return this.source.table.colIndex(label) >= 0;
  }

  *keys(): MapIterator<string> {
    for (const c of this.source.table.cols) yield c.label;
  }

  *entries(): MapIterator<[string, Value]> {
    const t = this.source.table;
    const row = this.source.row;
    for (let j = 0; j < t.cols.length; j++) yield [t.cols[j]!.label, columnValue(t.columns[j]!, row)];
  }

  *values(): MapIterator<Value> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[string, Value]> {
    return this.entries();
  }

  forEach(fn: (value: Value, key: string, map: ReadonlyMap<string, Value>) => void): void {
    const t = this.source.table;
    const row = this.source.row;
    for (let j = 0; j < t.cols.length; j++) fn(columnValue(t.columns[j]!, row), t.cols[j]!.label, this);
  }
}
