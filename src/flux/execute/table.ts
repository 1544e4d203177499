import { internal } from '../../core/errors.js';
import { columnSizeBytes, columnValue, type ColMeta, type ColumnData } from './column.js';
import { GroupKey } from './group-key.js';
import type { Value } from '../values/value.js';
import { anchorShapes } from '../../core/shape-anchors.js';

/**
 * One Flux table: a group key plus columns of equal length. Immutable: transformations build
 * new tables, and may share column objects between tables (columns never change).
 *
 * Invariants (checked on construction): every key column is a column of the table with the same
 * type; all columns have `length` rows. The key values are the rows' values in those columns
 * (not re-checked here: builders guarantee it).
 */
export class Table {
  readonly key: GroupKey;
  readonly cols: readonly ColMeta[];
  readonly columns: readonly ColumnData[];
  readonly length: number;
  #index: Map<string, number> | undefined;

  constructor(key: GroupKey, cols: readonly ColMeta[], columns: readonly ColumnData[], length: number) {
    if (cols.length !== columns.length) throw internal('table: schema and columns differ in count');
    for (let j = 0; j < cols.length; j++) {
      const c = columns[j]!;
      if (c.length !== length || c.type !== cols[j]!.type) {
        throw internal(`table: column "${cols[j]!.label}" is ${c.type}[${c.length}], expected ${cols[j]!.type}[${length}]`);
      }
    }
    this.key = key;
    this.cols = cols;
    this.columns = columns;
    this.length = length;
    // Scanned, not looked up through colIndex: building the label index here cost more than the
    // rest of the constructor for the many small tables of a storage read (most never need it).
    // Key columns usually come in column order, so each search starts after the previous hit.
    let from = 0;
    for (const kc of key.cols) {
      const j = scanLabel(cols, kc.label, from);
      if (j < 0 || cols[j]!.type !== kc.type) {
        throw internal(`table: group key column "${kc.label}" (${kc.type}) is not a column of the table`);
      }
      from = j + 1;
    }
  }

  /** An empty table (no rows) with the key's columns, or the given schema. */
  static empty(key: GroupKey, cols: readonly ColMeta[] = key.cols): Table {
    return new Table(key, cols, cols.map((c) => emptyColumn(c)), 0);
  }

  get isEmpty(): boolean {
    return this.length === 0;
  }

  /** Index of the column labelled `label`, or -1. */
  colIndex(label: string): number {
    // A narrow table (storage tables have 5 + tag columns) is scanned: cheaper than building a
    // Map for the few look-ups most tables get.
    // Scanned from the end: the last column of a label, as the Map gives.
    const cols = this.cols;
    if (cols.length <= SCAN_COLUMNS) {
      for (let j = cols.length - 1; j >= 0; j--) if (cols[j]!.label === label) return j;
      return -1;
    }
    if (this.#index === undefined) this.#index = new Map(cols.map((c, j) => [c.label, j]));
    return this.#index.get(label) ?? -1;
  }

  /** The column labelled `label`, or undefined. */
  column(label: string): ColumnData | undefined {
    const j = this.colIndex(label);
    return j < 0 ? undefined : this.columns[j];
  }

  /** The value at (row, column j). Allocates; for inner loops read `columns[j].values` directly. */
  value(row: number, j: number): Value {
    return columnValue(this.columns[j]!, row);
  }

  /** Approximate heap size, for the memory budget. */
  get sizeBytes(): number {
    let n = 0;
    for (const c of this.columns) n += columnSizeBytes(c);
    return n;
  }
}

/**
 * A table wide enough for `colIndex` to build its label index, with the index built: the first
 * `#index` a table stores turns the field from a constant into a mutable one holding a Map, and
 * V8 then discards every optimised function that relied on the old field (the constructor, and
 * what inlined it) — during the first query over tags enough for a wide table, when those functions
 * had just been optimised. Done at load, the field is what it will stay before anything is
 * optimised.
 */
function wideTableWithIndex(): Table {
  const cols = Array.from({ length: SCAN_COLUMNS + 1 }, (_, j): ColMeta => ({ label: `c${j}`, type: 'string' }));
  const t = new Table(GroupKey.EMPTY, cols, cols.map((c) => emptyColumn(c)), 0);
  t.colIndex('c0');
  return t;
}

/** Up to this many columns, `colIndex` scans instead of indexing. */
const SCAN_COLUMNS = 12;

/** Index of `label` in `cols`, searching circularly from `from`; -1 when absent. */
function scanLabel(cols: readonly ColMeta[], label: string, from: number): number {
  const n = cols.length;
  for (let k = 0; k < n; k++) {
    const j = from + k < n ? from + k : from + k - n;
    if (cols[j]!.label === label) return j;
  }
  return -1;
}

function emptyColumn(c: ColMeta): ColumnData {
  switch (c.type) {
    case 'float':
      return { type: 'float', length: 0, valid: null, values: new Float64Array(0) };
    case 'int':
      return { type: 'int', length: 0, valid: null, values: new BigInt64Array(0) };
    case 'uint':
      return { type: 'uint', length: 0, valid: null, values: new BigUint64Array(0) };
    case 'time':
      return { type: 'time', length: 0, valid: null, values: new BigInt64Array(0) };
    case 'duration':
      return { type: 'duration', length: 0, valid: null, values: new BigInt64Array(0) };
    case 'bool':
      return { type: 'bool', length: 0, valid: null, values: new Uint8Array(0) };
    case 'string':
      return { type: 'string', length: 0, valid: null, values: [] };
  }
}

// Tables live only while a query runs: one kept alive keeps their map (shape-anchors.ts).
anchorShapes(new Table(GroupKey.EMPTY, [], [], 0), wideTableWithIndex());
