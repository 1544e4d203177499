import { FieldType } from '../../lineprotocol/point.js';
import type { ColumnValues } from '../storage.js';

/**
 * One field series' points: strictly increasing timestamps (no duplicates) and the values at the
 * same positions. Every data source (head, block chunk, merge result) hands out this shape.
 */
export interface Column {
  readonly type: FieldType;
  readonly timestampsNs: BigInt64Array;
  readonly values: ColumnValues;
}

/** An empty values array of `type` with room for `n` values. */
export function allocValues(type: FieldType, n: number): ColumnValues {
  switch (type) {
    case FieldType.Float:
      return new Float64Array(n);
    case FieldType.Integer:
      return new BigInt64Array(n);
    case FieldType.Unsigned:
      return new BigUint64Array(n);
    case FieldType.String:
      return new Array<string>(n).fill('');
    case FieldType.Boolean:
      return new Uint8Array(n);
  }
}

/** values[from, to) as a new array (typed arrays are copied, never shared with the source). */
export function sliceValues(values: ColumnValues, from: number, to: number): ColumnValues {
  return values.slice(from, to);
}

export function sliceColumn(c: Column, from: number, to: number): Column {
  if (from === 0 && to === c.timestampsNs.length) return c;
  return { type: c.type, timestampsNs: c.timestampsNs.subarray(from, to), values: subValues(c.values, from, to) };
}

/** A view when the array type allows it (typed arrays), else a copy (string[]). */
export function subValues(values: ColumnValues, from: number, to: number): ColumnValues {
  return Array.isArray(values) ? values.slice(from, to) : values.subarray(from, to);
}

export function columnLength(c: Column): number {
  return c.timestampsNs.length;
}
