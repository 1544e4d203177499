import { columnSizeBytes, markConstant, type ColMeta, type ColumnData } from '../flux/execute/column.js';
import { GroupKey } from '../flux/execute/group-key.js';
import type { MemoryBudget } from '../flux/execute/memory-budget.js';
import { Table } from '../flux/execute/table.js';
import { stringValue, timeValue, type Value } from '../flux/values/value.js';
import type { ColumnValues, SeriesBatch } from '../storage/storage.js';
import { anchorShapes } from '../core/shape-anchors.js';
import { SHARED_STRING_FILLS, type StringFills } from '../flux/execute/string-fills.js';

/** The key columns and all columns of a storage table; immutable, shared by tables of one shape. */
export interface TableSchema {
  readonly keyCols: ColMeta[];
  readonly cols: ColMeta[];
}

interface LastSchema {
  readonly tags: readonly (readonly [string, string])[];
  readonly valueType: ColumnData['type'];
  readonly schema: TableSchema;
}

/** Whether `tags` has the tag keys of `last` (same keys, same order) and the value type is the same. */
function sameShape(last: LastSchema, tags: readonly (readonly [string, string])[], valueType: ColumnData['type']): boolean {
  if (last.valueType !== valueType || last.tags.length !== tags.length) return false;
  if (last.tags === tags) return true;
  for (let i = 0; i < tags.length; i++) if (tags[i]![0] !== last.tags[i]![0]) return false;
  return true;
}

/**
 * The schema for these tag keys and value type from `schemas`, built on first use: storage
 * tables (`_start, _stop, _time, _value, _field, _measurement, tags…`) or, with `row`, one-row
 * aggregate tables (the key columns, then `_value`). Plain code, no closure: one capturing a
 * parameter makes V8 allocate a context on every call of its enclosing function, hits included.
 */
function memoSchema(schemas: Map<string, TableSchema>, tags: readonly (readonly [string, string])[], valueType: ColumnData['type'], row: boolean): TableSchema {
  let sig: string = valueType;
  for (const [k] of tags) sig += `\u0000${k}`;
  let s = schemas.get(sig);
  if (s === undefined) {
    const keyCols: ColMeta[] = [
      { label: '_start', type: 'time' },
      { label: '_stop', type: 'time' },
      { label: '_field', type: 'string' },
      { label: '_measurement', type: 'string' },
      ...tags.map(([k]): ColMeta => ({ label: k, type: 'string' })),
    ];
    const value: ColMeta = { label: '_value', type: valueType };
    const cols = row ? [...keyCols, value] : [keyCols[0]!, keyCols[1]!, { label: '_time', type: 'time' } as ColMeta, value, ...keyCols.slice(2)];
    s = { keyCols, cols };
    if (schemas.size >= 10_000) schemas.clear();
    schemas.set(sig, s);
  }
  return s;
}

/**
 * Constant columns (`_start`, `_stop`, `_measurement`, `_field`, tag values) shared by the tables
 * of one read: the 1,000 tables of a 100-host read hold one `cpu` column per length, not 1,000.
 * Columns are immutable once made (no kernel writes into its input), so sharing is safe; the
 * memory budget still charges each table for its own (over-counting, never under).
 */
export class ConstantColumns {
  /** value → length → column (two levels: no key string built per look-up). */
  private readonly times = new Map<bigint, Map<number, ColumnData>>();
  private readonly strings = new Map<string, Map<number, ColumnData>>();
  /** Bytes of each memoised column, counted once (a string column's count reads every string). */
  private readonly bytes = new Map<ColumnData, number>();
  private size = 0;

  private readonly schemas = new Map<string, TableSchema>();
  private readonly rowSchemas = new Map<string, TableSchema>();
  /** The last schema of each kind: the series of a read mostly share their tag keys. */
  private lastSchema: LastSchema | undefined;
  private lastRowSchema: LastSchema | undefined;
  private readonly values = new Map<string | bigint, Value>();

  /**
   * The key columns and columns of a storage table with these tags and value type, shared by
   * every table of that shape (schemas are immutable).
   */
  schema(tags: readonly (readonly [string, string])[], valueType: ColumnData['type']): TableSchema {
    const last = this.lastSchema;
    if (last !== undefined && sameShape(last, tags, valueType)) return last.schema;
    const schema = memoSchema(this.schemas, tags, valueType, false);
    this.lastSchema = { tags, valueType, schema };
    return schema;
  }

  /** As `schema`, for a one-row aggregate table: the key columns, then `_value` (no `_time`). */
  rowSchema(tags: readonly (readonly [string, string])[], valueType: ColumnData['type']): TableSchema {
    const last = this.lastRowSchema;
    if (last !== undefined && sameShape(last, tags, valueType)) return last.schema;
    const schema = memoSchema(this.rowSchemas, tags, valueType, true);
    this.lastRowSchema = { tags, valueType, schema };
    return schema;
  }

  /** A shared time or string value (key values repeat across the tables of a read). */
  value(v: string | bigint): Value {
    let x = this.values.get(v);
    if (x === undefined) {
      x = typeof v === 'bigint' ? timeValue(v) : stringValue(v);
      if (this.values.size >= 100_000) this.values.clear();
      this.values.set(v, x);
    }
    return x;
  }

  /** The budget's estimate of `c`'s bytes (`columnSizeBytes`), computed once per shared column. */
  sizeBytes(c: ColumnData): number {
    const known = this.bytes.get(c);
    if (known !== undefined) return known;
    return columnSizeBytes(c);
  }

  time(v: bigint, n: number): ColumnData {
    return this.memo(this.times, v, n, this.timeConstant);
  }

  string(v: string, n: number): ColumnData {
    return this.memo(this.strings, v, n, this.stringConstant);
  }

  /**
   * Per value, the longest column array made so far: a column of another length is a view of it
   * (times) or a slice (strings: a copy, but a plain copy is several times cheaper than a fill,
   * and raw reads with a value filter give every table its own length). A longer column is
   * filled afresh and takes its place, so nothing is allocated beyond the columns themselves.
   * String fills outlive the read (`StringFills`): tag values repeat from query to query.
   */
  private readonly timeFills = new Map<bigint, BigInt64Array>();

  constructor(private readonly stringFills: StringFills = SHARED_STRING_FILLS) {
    stringFills.nextRead();
  }

  private readonly timeConstant = (v: bigint, n: number): ColumnData => {
    const fill = this.timeFills.get(v);
    if (fill !== undefined && fill.length >= n) return markConstant({ type: 'time', length: n, valid: null, values: fill.subarray(0, n) });
    const values = new BigInt64Array(n).fill(v);
    this.timeFills.set(v, values);
    return markConstant({ type: 'time', length: n, valid: null, values });
  };

  private readonly stringConstant = (v: string, n: number): ColumnData => markConstant({ type: 'string', length: n, valid: null, values: this.stringFills.get(v, n) });

  private memo<K>(byValue: Map<K, Map<number, ColumnData>>, v: K, n: number, make: (v: K, n: number) => ColumnData): ColumnData {
    let byLength = byValue.get(v);
    if (byLength === undefined) {
      // Bounded: a read over many distinct values and lengths starts afresh rather than grow.
      if (this.size >= 10_000) {
        this.times.clear();
        this.strings.clear();
        this.bytes.clear();
        this.timeFills.clear();
        this.size = 0;
      }
      byLength = new Map();
      byValue.set(v, byLength);
    }
    let c = byLength.get(n);
    if (c === undefined) {
      c = make(v, n);
      byLength.set(n, c);
      // = columnSizeBytes(c), without reading every string of a constant column.
      this.bytes.set(c, c.type === 'string' ? n * (8 + 2 * (v as string).length) : columnSizeBytes(c));
      this.size++;
    }
    return c;
  }
}

// One per storage read: one kept alive keeps its map (shape-anchors.ts).
anchorShapes(new ConstantColumns());

/**
 * Turns one storage series batch into a Flux table with InfluxDB's schema for storage reads:
 * columns `_start, _stop, _time, _value, _field, _measurement`, then the tags in key order;
 * group key: every column but `_time` and `_value`. `times` chooses the `_time` column (point
 * times, or window starts for windowed aggregates). Columns are shared with the batch, not
 * copied; constant columns come from `constants` (shared between the tables of a read). The
 * table's bytes are charged to `budget` for as long as the table lives.
 */
export function seriesTable(
  b: SeriesBatch,
  bounds: { startNs: bigint; stopNs: bigint },
  times: BigInt64Array,
  budget: MemoryBudget | undefined,
  constants: ConstantColumns = new ConstantColumns(),
): Table {
  const n = times.length;
  const value = valueColumn(b.values, n);
  const { keyCols, cols } = constants.schema(b.tags, value.type);
  // Arrays of their final size, filled by index (pushes past a literal's size grew them: a copy
  // and a discarded backing store per table); no closure, no intermediate array.
  const tags = b.tags;
  const keyValues = keyValuesOf(b, bounds, constants);
  const columns = new Array<ColumnData>(6 + tags.length);
  columns[0] = constants.time(bounds.startNs, n);
  columns[1] = constants.time(bounds.stopNs, n);
  columns[2] = { type: 'time', length: n, valid: null, values: times };
  columns[3] = value;
  columns[4] = constants.string(b.field, n);
  columns[5] = constants.string(b.measurement, n);
  for (let j = 0; j < tags.length; j++) columns[6 + j] = constants.string(tags[j]![1], n);
  const t = new Table(new GroupKey(keyCols, keyValues), cols, columns, n);
  if (budget !== undefined) budget.account(t, tableBytes(columns, constants));
  return t;
}

/** A series table's group key values: `_start, _stop, _field, _measurement`, then the tag values. */
function keyValuesOf(b: SeriesBatch, bounds: { startNs: bigint; stopNs: bigint }, constants: ConstantColumns): Value[] {
  const tags = b.tags;
  const keyValues = new Array<Value>(4 + tags.length);
  keyValues[0] = constants.value(bounds.startNs);
  keyValues[1] = constants.value(bounds.stopNs);
  keyValues[2] = constants.value(b.field);
  keyValues[3] = constants.value(b.measurement);
  for (let j = 0; j < tags.length; j++) keyValues[4 + j] = constants.value(tags[j]![1]);
  return keyValues;
}

/** Table.sizeBytes, with the shared constant columns' sizes taken from the memo. */
function tableBytes(columns: readonly ColumnData[], constants: ConstantColumns): number {
  let bytes = 0;
  for (const c of columns) bytes += constants.sizeBytes(c);
  return bytes;
}

/**
 * One storage aggregate row (count/sum/mean of a whole series) as the plain aggregate gives it:
 * the key columns (`_start, _stop, _field, _measurement`, tags) then `_value`, one row.
 */
export function seriesAggregateRow(
  b: SeriesBatch,
  bounds: { startNs: bigint; stopNs: bigint },
  budget: MemoryBudget | undefined,
  constants: ConstantColumns = new ConstantColumns(),
): Table {
  // Storage gives a one-element array for a whole-series aggregate: used as is, not copied.
  const values = b.values.length === 1 ? b.values : (b.values.slice(0, 1) as typeof b.values);
  const value = valueColumn(values, 1);
  const { keyCols, cols } = constants.rowSchema(b.tags, value.type);
  // As in seriesTable: arrays of their final size, filled by index.
  const tags = b.tags;
  const keyValues = keyValuesOf(b, bounds, constants);
  const columns = new Array<ColumnData>(5 + tags.length);
  columns[0] = constants.time(bounds.startNs, 1);
  columns[1] = constants.time(bounds.stopNs, 1);
  columns[2] = constants.string(b.field, 1);
  columns[3] = constants.string(b.measurement, 1);
  for (let j = 0; j < tags.length; j++) columns[4 + j] = constants.string(tags[j]![1], 1);
  columns[4 + tags.length] = value;
  const t = new Table(new GroupKey(keyCols, keyValues), cols, columns, 1);
  if (budget !== undefined) budget.account(t, tableBytes(columns, constants));
  return t;
}

/** The value column; its type follows the array (aggregates change it: count → int, mean → float). */
function valueColumn(values: ColumnValues, n: number): ColumnData {
  if (values instanceof Float64Array) return { type: 'float', length: n, valid: null, values };
  if (values instanceof BigInt64Array) return { type: 'int', length: n, valid: null, values };
  if (values instanceof BigUint64Array) return { type: 'uint', length: n, valid: null, values };
  if (values instanceof Uint8Array) return { type: 'bool', length: n, valid: null, values };
  return { type: 'string', length: n, valid: null, values };
}
