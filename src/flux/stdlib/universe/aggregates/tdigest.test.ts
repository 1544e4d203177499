import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TDigest } from './tdigest.js';

const quantileOf = (values: readonly number[], q: number, compression = 1000, weight = 1): number => {
  const d = new TDigest(compression);
  for (const v of values) d.add(v, weight);
  return d.quantile(q);
};

describe('TDigest', () => {
  it('keeps few points as their own centroids: the quantile interpolates the sorted values', () => {
    expect(quantileOf([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantileOf([5, 1, 4, 2, 3, 3, 3], 0.5)).toBe(3);
    expect(quantileOf([10, 0], 0.5)).toBe(5);
    expect(quantileOf([7], 0.99)).toBe(7);
    expect(quantileOf([], 0.5)).toBeNaN();
  });

  it('does not depend on the order points of weight 1 come in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0, 0.1, 0.5, 0.9, 1),
        fc.constantFrom(1000, 50, 5),
        (values, q, compression) => {
          const nonZero = values.map((v) => (v === 0 ? 1 : v));
          const reversed = [...nonZero].reverse();
          expect(quantileOf(reversed, q, compression)).toBe(quantileOf(nonZero, q, compression));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('weighted points and points of weight 1 agree when every point is its own centroid', () => {
    // Weight 2 doubles every centroid's weight and the total: the interpolation is the same.
    const values = [9, 2, 7, 4, 4, 1];
    for (const q of [0.2, 0.5, 0.8]) expect(quantileOf(values, q, 1000, 2)).toBeCloseTo(quantileOf(values, q), 12);
  });
});
