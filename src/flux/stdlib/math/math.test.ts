import { describe, expect, it } from 'vitest';
import { displayExpression } from '../runtime/display-expression.js';

const P = 'import "math"';

describe('math', () => {
  it.each([
    ['math.round(x: -2.5)', '-3'],
    ['math.round(x: 0.49999999999999994)', '0'],
    ['math.roundtoeven(x: 2.5)', '2'],
    ['math.roundtoeven(x: 3.5)', '4'],
    ['math.signbit(x: math.round(x: -0.4))', 'true'],
    ['math.pow(x: 1.0, y: math.NaN())', '1'],
    ['math.pow(x: -1.0, y: math.mInf(sign: 1))', '1'],
    ['math.pow(x: 2.0, y: 10.0)', '1024'],
    ['math.mMax(x: math.mInf(sign: 1), y: math.NaN())', '+Inf'],
    ['math.mMax(x: 1.0, y: math.NaN())', 'NaN'],
    ['math.mMin(x: math.mInf(sign: -1), y: math.NaN())', '-Inf'],
    ['math.dim(x: 10.0, y: 15.0)', '0'],
    ['math.dim(x: math.mInf(sign: 1), y: math.mInf(sign: 1))', 'NaN'],
    ['math.mod(x: -7.0, y: 3.0)', '-1'],
    ['math.remainder(x: 7.0, y: 2.0)', '-1'],
    ['math.remainder(x: 5.0, y: 2.0)', '1'],
    ['math.frexp(f: 8.0)', '{exp: 4, frac: 0.5}'],
    ['math.ldexp(frac: 0.5, exp: 4)', '8'],
    ['math.ldexp(frac: 1.0, exp: -1074)', '5e-324'],
    ['math.ilogb(x: 0.0)', '-2147483648'],
    ['math.ilogb(x: 8.0)', '3'],
    ['math.logb(x: 0.0)', '-Inf'],
    ['math.modf(f: -3.25)', '{frac: -0.25, int: -3}'],
    ['math.float64bits(f: 1.0)', '4607182418800017408'],
    ['math.float64frombits(b: uint(v: 4607182418800017408))', '1'],
    ['math.nextafter(x: 1.0, y: 2.0)', '1.0000000000000002'],
    ['math.nextafter(x: 0.0, y: -1.0)', '-5e-324'],
    ['math.copysign(x: 3.0, y: -0.0)', '-3'],
    ['math.isInf(f: math.mInf(sign: -1), sign: 0)', 'true'],
    ['math.isInf(f: math.mInf(sign: -1), sign: 1)', 'false'],
    ['math.isNaN(f: math.NaN())', 'true'],
    ['math.pow10(n: 3)', '1000'],
    ['math.pow10(n: 400)', '+Inf'],
    ['math.sincos(x: 0.0)', '{cos: 1, sin: 0}'],
    ['math.hypot(p: 3.0, q: 4.0)', '5'],
    ['math.atan2(y: 4.0, x: 3.0)', '0.9272952180016122'],
    ['math.lgamma(x: -0.5).sign', '-1'],
    ['math.maxint', '9223372036854775807'],
    ['math.minint', '-9223372036854775808'],
    ['math.maxuint', '18446744073709551615'],
    ['math.pi', '3.141592653589793'],
    ['math.smallestNonzeroFloat', '5e-324'],
  ])('%s = %s', async (expr, want) => {
    expect(await displayExpression(expr, P)).toBe(want);
  });
});
