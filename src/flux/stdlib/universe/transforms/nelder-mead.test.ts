import { describe, expect, it } from 'vitest';
import { goPowInt } from './holt-winters-model.js';
import { nelderMead, NonFiniteStartError } from './nelder-mead.js';

describe('nelderMead', () => {
  it.each([
    { name: 'a shifted bowl', fn: (x: Float64Array) => (x[0]! - 1) ** 2 + (x[1]! + 2) ** 2, x0: [0, 0], want: [1, -2] },
    { name: 'a one-dimensional parabola', fn: (x: Float64Array) => (x[0]! - 3) ** 2 + 1, x0: [0], want: [3] },
    {
      name: 'a three-dimensional bowl with unequal axes',
      fn: (x: Float64Array) => 4 * (x[0]! - 0.5) ** 2 + (x[1]! - 0.25) ** 2 + 9 * x[2]! ** 2,
      x0: [1, 1, 1],
      want: [0.5, 0.25, 0],
    },
  ])('finds the minimum of $name', ({ fn, x0, want }) => {
    const r = nelderMead(fn, Float64Array.from(x0), { absolute: 1e-12, iterations: 100 });
    want.forEach((w, i) => expect(r.x[i]).toBeCloseTo(w, 3));
    expect(r.f).toBeCloseTo(fn(r.x), 12);
  });
  it('stops after `iterations` major iterations without enough improvement', () => {
    let calls = 0;
    const r = nelderMead(
      () => {
        calls++;
        return 1;
      },
      Float64Array.of(0, 0),
      { absolute: 1e-4, iterations: 3 },
    );
    expect(r.f).toBe(1);
    // A flat function never improves. The start and 2 simplex vertices (3 calls) give major
    // iterations 1 (sets the best) and 2 (stale 1); each later one costs a reflection, an inside
    // contraction and a 2-point shrink (4 calls); stale reaches 3 at major iteration 4.
    expect(calls).toBe(3 + 4 + 4);
  });
  it.each([
    [Infinity, /initial function value is infinite/],
    [NaN, /initial function value is NaN/],
  ])('refuses a start where the function is %s', (value, message) => {
    expect(() => nelderMead(() => value, Float64Array.of(0), { absolute: 1e-4, iterations: 10 })).toThrow(NonFiniteStartError);
    expect(() => nelderMead(() => value, Float64Array.of(0), { absolute: 1e-4, iterations: 10 })).toThrow(message);
  });
});

describe('goPowInt', () => {
  it.each([
    [0.5, 3, 0.125],
    [0.3, 2, 0.3 * 0.3],
    [0.7, 1, 0.7],
    [1, 50, 1],
    [0, 5, 0],
    [0.25, 4, 0.00390625],
  ])('%d^%d', (x, k, want) => {
    expect(goPowInt(x, k)).toBe(want);
  });
  it('stays within an ulp or two of Math.pow and underflows to 0', () => {
    for (const x of [0.3, 0.7, 0.999, 0.123456]) {
      for (const k of [3, 7, 20, 101]) expect(Math.abs(goPowInt(x, k) / x ** k - 1)).toBeLessThan(1e-14);
    }
    expect(goPowInt(0.3, 5000)).toBe(0);
  });
});
