import { isValid, type ColumnData } from '../../../execute/column.js';

/** Whether a column holds numbers these transformations can read as floats. */
export function isNumeric(c: ColumnData): boolean {
  return c.type === 'float' || c.type === 'int' || c.type === 'uint';
}

/**
 * The column's values as float64, as Flux reads them: a null slot reads as 0 (callers that skip
 * nulls check the validity bitmap; several of Flux's indicators read null slots as 0 on purpose).
 * The column must be numeric.
 */
export function floatsOf(c: ColumnData): Float64Array {
  switch (c.type) {
    case 'float':
      return c.values;
    case 'int':
    case 'uint': {
      const out = new Float64Array(c.length);
      for (let i = 0; i < c.length; i++) out[i] = Number(c.values[i]!);
      return out;
    }
    default:
      throw new Error(`floatsOf: ${c.type} column is not numeric`);
  }
}

/** A float series with per-row validity (`valid[i] === 0` is a null). */
export interface FloatSeries {
  readonly values: Float64Array;
  readonly valid: Uint8Array;
}

/** Builds a float ColumnData from a series (the bitmap only when there are nulls). */
export function floatColumn(s: FloatSeries, start = 0, end = s.values.length): ColumnData {
  const n = end - start;
  const values = s.values.slice(start, end);
  let bitmap: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    if (s.valid[start + i] !== 0) continue;
    if (bitmap === null) bitmap = new Uint8Array((n + 7) >>> 3).fill(0xff);
    bitmap[i >>> 3]! &= ~(1 << (i & 7));
    values[i] = 0;
  }
  return { type: 'float', length: n, valid: bitmap, values };
}

/** Per-row validity of a column as bytes (1 = holds a value). */
export function validityOf(c: ColumnData): Uint8Array {
  const out = new Uint8Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = isValid(c, i) ? 1 : 0;
  return out;
}
