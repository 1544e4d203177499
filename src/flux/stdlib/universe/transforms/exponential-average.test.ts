import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emaSeries } from './exponential-average.js';

/** A straightforward restatement of the documented rules, row by row. */
function reference(xs: (number | null)[], n: number): (number | null)[] {
  if (xs.length < n) return [];
  const head = xs.slice(0, n).filter((v): v is number => v !== null);
  let prev: number | null = head.length > 0 ? head.reduce((a, b) => a + b, 0) / head.length : null;
  const out: (number | null)[] = [prev];
  const k = 2 / (n + 1);
  for (const v of xs.slice(n)) {
    if (v !== null) prev = prev === null ? v : v * k + prev * (1 - k);
    out.push(prev);
  }
  return out;
}

describe('emaSeries', () => {
  it('follows the documented rules for any series with nulls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        (xs, n) => {
          const values = Float64Array.from(xs, (v) => v ?? 0);
          const valid = Uint8Array.from(xs, (v) => (v === null ? 0 : 1));
          const { out, count } = emaSeries(values, valid, n);
          const got = Array.from(out.values, (v, i) => (out.valid[i] ? v : null));
          expect(got).toEqual(reference(xs, n));
          expect(count).toBe(xs.slice(0, n).filter((v) => v !== null).length);
        },
      ),
    );
  });
});
