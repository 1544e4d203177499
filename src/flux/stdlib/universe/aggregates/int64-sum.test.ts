import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumInt64, validCount } from './int64-sum.js';

describe('sumInt64', () => {
  it('equals the wrapped BigInt sum for any int64 run', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 200 }), fc.nat(), fc.nat(), (xs, a, b) => {
        const values = BigInt64Array.from(xs);
        const from = xs.length === 0 ? 0 : a % (xs.length + 1);
        const to = from + (xs.length === 0 ? 0 : b % (xs.length - from + 1));
        let want = 0n;
        for (let i = from; i < to; i++) want += xs[i]!;
        expect(sumInt64(values, from, to, true)).toBe(BigInt.asIntN(64, want));
      }),
    );
  });

  it('equals the wrapped BigInt sum for any uint64 run, nulls skipped', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.boolean()), { maxLength: 100 }), (xs) => {
        const values = BigUint64Array.from(xs.map(([v]) => v));
        const valid = new Uint8Array((xs.length + 7) >>> 3);
        let want = 0n;
        xs.forEach(([v, ok], i) => {
          if (ok) {
            valid[i >>> 3]! |= 1 << (i & 7);
            want += v;
          }
        });
        expect(sumInt64(values, 0, xs.length, false, valid)).toBe(BigInt.asUintN(64, want));
        expect(validCount(valid, 0, xs.length)).toBe(xs.filter(([, ok]) => ok).length);
      }),
    );
  });

  it('works on a view that does not start at the buffer start', () => {
    const all = BigInt64Array.from([1n, -5n, 7n, 2n ** 40n]);
    expect(sumInt64(all.subarray(1), 0, 3, true)).toBe(2n + 2n ** 40n);
  });
});
