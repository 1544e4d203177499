import type { ColumnType } from '../values/mono-type.js';
import {
  boolValue,
  durationValue,
  floatValue,
  intValue,
  nullValue,
  stringValue,
  timeValue,
  uintValue,
  type Value,
} from '../values/value.js';
import { columnMonoType } from '../values/mono-type.js';
import { durationFromNs } from '../../core/duration.js';

/** A column's label and type: one entry of a table's schema. */
export interface ColMeta {
  readonly label: string;
  readonly type: ColumnType;
}

/**
 * Column storage. `values` holds exactly `length` meaningful slots (typed arrays may be views
 * into a larger buffer). `valid` is a validity bitmap (bit i of byte i>>3 set = row i is not
 * null), or `null` when the column has no nulls. A null slot holds 0 / 0n / false / '' in
 * `values`, so kernels may read it without branching and fix the result up by the bitmap.
 * Columns are immutable once a table owns them: share them between tables, never write.
 */
export type ColumnData =
  | FloatColumn
  | IntColumn
  | UIntColumn
  | TimeColumn
  | DurationColumn
  | BoolColumn
  | StringColumn;

interface ColumnBase {
  readonly length: number;
  readonly valid: Uint8Array | null;
}
export interface FloatColumn extends ColumnBase {
  readonly type: 'float';
  readonly values: Float64Array;
}
export interface IntColumn extends ColumnBase {
  readonly type: 'int';
  readonly values: BigInt64Array;
}
export interface UIntColumn extends ColumnBase {
  readonly type: 'uint';
  readonly values: BigUint64Array;
}
/** Nanoseconds since the Unix epoch. */
export interface TimeColumn extends ColumnBase {
  readonly type: 'time';
  readonly values: BigInt64Array;
}
/** Nanoseconds; a column cannot hold calendar months. */
export interface DurationColumn extends ColumnBase {
  readonly type: 'duration';
  readonly values: BigInt64Array;
}
/** 0 or 1 per row. */
export interface BoolColumn extends ColumnBase {
  readonly type: 'bool';
  readonly values: Uint8Array;
}
export interface StringColumn extends ColumnBase {
  readonly type: 'string';
  readonly values: readonly string[];
}

/** Whether row `i` of the column holds a value (is not null). */
export function isValid(col: ColumnData, i: number): boolean {
  const v = col.valid;
  return v === null || (v[i >>> 3]! & (1 << (i & 7))) !== 0;
}

/** Number of null rows. */
export function nullCount(col: ColumnData): number {
  if (col.valid === null) return 0;
  let n = 0;
  for (let i = 0; i < col.length; i++) if (!isValid(col, i)) n++;
  return n;
}

/** Row `i` as a Value (a typed null when the slot is null). Allocates: not for inner loops. */
export function columnValue(col: ColumnData, i: number): Value {
  if (!isValid(col, i)) return nullValue(columnMonoType(col.type));
  switch (col.type) {
    case 'float':
      return floatValue(col.values[i]!);
    case 'int':
      return intValue(col.values[i]!);
    case 'uint':
      return uintValue(col.values[i]!);
    case 'time':
      return timeValue(col.values[i]!);
    case 'duration':
      return durationValue(durationFromNs(col.values[i]!));
    case 'bool':
      return boolValue(col.values[i] === 1);
    case 'string':
      return stringValue(col.values[i]!);
  }
}

/** Approximate heap size of a column, for the memory budget. */
export function columnSizeBytes(col: ColumnData): number {
  const bitmap = col.valid === null ? 0 : col.valid.byteLength;
  if (col.type === 'string') {
    let n = 8 * col.length;
    for (let i = 0; i < col.length; i++) n += 2 * col.values[i]!.length;
    return n + bitmap;
  }
  return col.values.BYTES_PER_ELEMENT * col.length + bitmap;
}

/** Columns made with one value in every row, so that a reader need not check (see `markConstant`). */
const constantColumns = new WeakSet<ColumnData>();

/**
 * Marks `col` as holding one value in every row: its maker knows (a storage read's `_start`,
 * `_stop`, measurement, field and tag columns). A key column usually does too, but one decoded
 * from annotated CSV may not, so readers that rely on it check the others.
 */
export function markConstant<C extends ColumnData>(col: C): C {
  constantColumns.add(col);
  return col;
}

/** Whether `col` was marked by `markConstant`. */
export function knownConstant(col: ColumnData): boolean {
  return constantColumns.has(col);
}

/** A column of `length` nulls. */
export function nullColumn(type: ColumnType, length: number): ColumnData {
  const valid = new Uint8Array((length + 7) >>> 3);
  switch (type) {
    case 'float':
      return { type, length, valid, values: new Float64Array(length) };
    case 'int':
      return { type, length, valid, values: new BigInt64Array(length) };
    case 'uint':
      return { type, length, valid, values: new BigUint64Array(length) };
    case 'time':
      return { type, length, valid, values: new BigInt64Array(length) };
    case 'duration':
      return { type, length, valid, values: new BigInt64Array(length) };
    case 'bool':
      return { type, length, valid, values: new Uint8Array(length) };
    case 'string':
      return { type, length, valid, values: new Array<string>(length).fill('') };
  }
}

/**
 * Whether every one of the first `n` rows of `col` holds row 0's cell: same validity and the
 * same value (floats compared so that 0 and -0 differ, as their text and sign do; NaN never
 * equals, which only costs a shortcut). Stops at the first difference, so a varying column costs
 * a few reads.
 */
export function isConstant(col: ColumnData, n = col.length): boolean {
  const valid = col.valid;
  if (valid !== null) {
    const v0 = valid[0]! & 1;
    for (let i = 1; i < n; i++) if (((valid[i >>> 3]! >>> (i & 7)) & 1) !== v0) return false;
    if (v0 === 0) return true;
  }
  // One helper per array type, so each loop's element loads stay monomorphic.
  switch (col.type) {
    case 'float':
      return constantFloats(col.values, n);
    case 'time':
    case 'int':
    case 'duration':
    case 'uint':
      // 64-bit cells compared as 32-bit halves (reading a BigInt64Array allocates a BigInt).
      return constantHalves(new Int32Array(col.values.buffer, col.values.byteOffset, 2 * n), n);
    case 'bool':
      return constantBytes(col.values, n);
    case 'string':
      return constantStrings(col.values, n);
  }
}

function constantFloats(vals: Float64Array, n: number): boolean {
  const x = vals[0]!;
  const inv = 1 / x;
  for (let i = 1; i < n; i++) {
    const y = vals[i]!;
    if (y !== x || (y === 0 && 1 / y !== inv)) return false;
  }
  return true;
}

function constantHalves(h: Int32Array, n: number): boolean {
  const lo = h[0]!;
  const hi = h[1]!;
  for (let i = 1; i < n; i++) if (h[2 * i] !== lo || h[2 * i + 1] !== hi) return false;
  return true;
}

function constantBytes(vals: Uint8Array, n: number): boolean {
  const x = vals[0]!;
  for (let i = 1; i < n; i++) if (vals[i] !== x) return false;
  return true;
}

function constantStrings(vals: readonly string[], n: number): boolean {
  const x = vals[0]!;
  for (let i = 1; i < n; i++) if (vals[i] !== x) return false;
  return true;
}
