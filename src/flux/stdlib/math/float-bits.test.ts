import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float64bits, float64frombits, frexp, ldexp, modf, nextafter, remainder, roundHalfAway, roundHalfEven } from './float-bits.js';

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

describe('float bits', () => {
  it('frexp and ldexp are inverse, with 0.5 <= |frac| < 1', () => {
    fc.assert(
      fc.property(finite, (x) => {
        const { frac, exp } = frexp(x);
        if (x !== 0) expect(Math.abs(frac) >= 0.5 && Math.abs(frac) < 1).toBe(true);
        expect(Object.is(ldexp(frac, exp), x)).toBe(true);
      }),
    );
  });

  it('float64bits round-trips', () => {
    fc.assert(
      fc.property(finite, (x) => {
        expect(Object.is(float64frombits(float64bits(x)), x)).toBe(true);
      }),
    );
  });

  it('nextafter moves by one ulp towards y', () => {
    fc.assert(
      fc.property(finite, finite, (x, y) => {
        const n = nextafter(x, y);
        if (x === y) {
          expect(n).toBe(x);
          return;
        }
        expect(n > x).toBe(y > x);
        // One step back lands on x again (nothing representable lies between them).
        expect(nextafter(n, x) === x).toBe(true);
      }),
    );
  });

  it('rounds halves as Go', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), (i) => {
        const half = i + 0.5;
        // Compared with ===: Go keeps the sign of a zero result (-0.5 rounds to -0 when even).
        expect(roundHalfAway(half) === (half > 0 ? i + 1 : i)).toBe(true);
        expect(roundHalfEven(half) === ((i + 1) % 2 === 0 ? i + 1 : i)).toBe(true);
      }),
    );
  });

  it('modf parts add up and share the sign', () => {
    fc.assert(
      fc.property(finite, (x) => {
        const { int, frac } = modf(x);
        expect(int + frac).toBe(x);
        expect(Number.isInteger(int)).toBe(true);
        expect(Math.abs(frac) < 1).toBe(true);
      }),
    );
  });

  it.each([
    [5, 3, -1],
    [-5, 3, 1],
    [4.5, 1, 0.5],
    [5.5, 1, -0.5],
    [3, 2, -1],
    [1, 2, 1],
  ])('remainder(%d, %d) = %d', (x, y, want) => {
    expect(remainder(x, y)).toBe(want);
  });
});
