import { describe, expect, it } from 'vitest';
import { displayExpression } from '../runtime/display-expression.js';

describe('bitwise', () => {
  it.each([
    ['bitwise.sand(a: 12, b: 10)', '8'],
    ['bitwise.sor(a: 12, b: 10)', '14'],
    ['bitwise.sxor(a: 12, b: 10)', '6'],
    ['bitwise.sclear(a: 12, b: 10)', '4'],
    ['bitwise.snot(a: 0)', '-1'],
    ['bitwise.slshift(a: 1, b: 63)', '-9223372036854775808'],
    ['bitwise.slshift(a: 1, b: 64)', '0'],
    ['bitwise.srshift(a: -8, b: 1)', '-4'],
    ['bitwise.srshift(a: -8, b: 100)', '-1'],
    ['bitwise.uand(a: uint(v: 12), b: uint(v: 10))', '8'],
    ['bitwise.unot(a: uint(v: 0))', '18446744073709551615'],
    ['bitwise.ulshift(a: uint(v: 3), b: uint(v: 63))', '9223372036854775808'],
    ['bitwise.urshift(a: uint(v: 8), b: uint(v: 3))', '1'],
  ])('%s = %s', async (expr, want) => {
    expect(await displayExpression(expr, 'import "bitwise"')).toBe(want);
  });

  it('is also at experimental/bitwise', async () => {
    expect(await displayExpression('bitwise.sor(a: 1, b: 2)', 'import "experimental/bitwise"')).toBe('3');
  });

  it('rejects a negative shift', async () => {
    await expect(displayExpression('bitwise.slshift(a: 1, b: -1)', 'import "bitwise"')).rejects.toThrow(/negative shift amount/);
  });
});
