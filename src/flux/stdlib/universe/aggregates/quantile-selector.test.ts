import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnData } from '../../../execute/column.js';
import { exactQuantileSelector } from './quantile.js';

/** The definition: a stable ascending sort of the non-null rows by value, the row at ceil(q·n)-1. */
function reference(values: readonly (number | null)[], from: number, to: number, q: number): number {
  const rows: number[] = [];
  for (let i = from; i < to; i++) if (values[i] !== null) rows.push(i);
  if (rows.length === 0) return -1;
  const v = values as number[];
  rows.sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : a - b));
  let index = Math.ceil(q * rows.length);
  if (index > 0) index--;
  return rows[index]!;
}

function floatColumn(values: readonly (number | null)[]): ColumnData {
  const n = values.length;
  const valid = new Uint8Array((n + 7) >>> 3);
  values.forEach((v, i) => {
    if (v !== null) valid[i >>> 3]! |= 1 << (i & 7);
  });
  return { type: 'float', length: n, valid, values: Float64Array.from(values, (v) => v ?? 0) };
}

describe('quantile(method: "exact_selector") over floats', () => {
  it('selects the row the stable sort puts at the rank: ties by row, -0 equal to 0, nulls skipped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.constantFrom(-1.5, -0, 0, 0, 2, 2, 2, 7.25, 1e300), { nil: null, freq: 5 }), { maxLength: 40 }),
        fc.constantFrom(0, 0.01, 0.25, 0.5, 0.75, 0.95, 0.99, 1),
        fc.nat(),
        fc.nat(),
        (values, q, a, b) => {
          const n = values.length;
          const from = n === 0 ? 0 : a % (n + 1);
          const to = n === 0 ? 0 : from + (b % (n - from + 1));
          expect(exactQuantileSelector(q).select(floatColumn(values), from, to)).toBe(reference(values, from, to, q));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('with a NaN, the rows are ordered as before (the general path)', () => {
    const values = [3, Number.NaN, 1, 2];
    for (const q of [0, 0.5, 1]) expect(exactQuantileSelector(q).select(floatColumn(values), 0, 4)).toBe(reference(values, 0, 4, q));
  });
});
