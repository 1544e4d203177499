import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FastScanner, NO_TIME, NO_VALUE } from './fast-scanner.js';
import { FieldType, type FieldValue } from './point.js';

describe('FastScanner.value', () => {
  it.each<[string, FieldType, FieldValue]>([
    ['58.25', FieldType.Float, 58.25],
    ['-0.5', FieldType.Float, -0.5],
    ['.5', FieldType.Float, 0.5],
    ['7.', FieldType.Float, 7],
    ['1e3', FieldType.Float, 1000],
    ['2.5E-2', FieldType.Float, 0.025],
    ['12345678901234567890', FieldType.Float, 12345678901234567890],
    ['0.1', FieldType.Float, 0.1],
    ['9007199254740993', FieldType.Float, 9007199254740992],
    ['-12i', FieldType.Integer, -12n],
    ['9223372036854775807i', FieldType.Integer, 9223372036854775807n],
    ['18446744073709551615u', FieldType.Unsigned, 18446744073709551615n],
    ['t', FieldType.Boolean, true],
    ['FALSE', FieldType.Boolean, false],
    ['"a \\"b\\" \\\\ c"', FieldType.String, 'a "b" \\ c'],
  ])('%j', (text, type, value) => {
    const scanner = new FastScanner();
    for (const after of ['', ',x=1', ' 5']) {
      const s = `k=${text}${after}`;
      expect(scanner.value(s, 2, s.length)).toBe(type);
      expect(type === FieldType.Float ? scanner.floatValue : scanner.otherValue).toEqual(value);
      expect(scanner.valueEnd).toBe(2 + text.length);
    }
  });

  it.each(['-', '.', '1.2.3', '1e', '1e400', '1x', '9223372036854775808i', '-1u', '1.5i', 'tru', 'True2', '"open', 'N', 'nan', '1\r'])(
    'leaves %j to the exact parser',
    (text) => {
      const s = `k=${text}`;
      expect(new FastScanner().value(s, 2, s.length)).toBe(NO_VALUE);
    },
  );
});

describe('FastScanner.timestamp', () => {
  it.each<[string, bigint, bigint]>([
    ['1767225600000000000', 1n, 1767225600000000000n],
    ['-5', 1n, -5n],
    ['  42  ', 1n, 42n],
    ['', 1n, 99n],
    ['   ', 1n, 99n],
    ['1767225600', 1_000_000_000n, 1767225600000000000n],
    ['9223372036854775806', 1n, 9223372036854775806n],
  ])('%j × %i', (text, precisionNs, ns) => {
    const scanner = new FastScanner();
    scanner.reset(precisionNs);
    expect(scanner.timestamp(text, 0, text.length, 99n)).toBe(ns);
    // The second read of the same digits comes from the cache.
    expect(scanner.timestamp(text, 0, text.length, 99n)).toBe(ns);
  });

  it('reads a run of timestamps, repeated or not, each to its own value', () => {
    const scanner = new FastScanner();
    scanner.reset(1n);
    const texts = ['1767225600000000000', '1767225600000000000', '1767225600000000000 ', '1767225610000000000', '17', '-17', '17', '1767225610000000000'];
    expect(texts.map((t) => scanner.timestamp(t, 0, t.length, 0n))).toEqual([
      1767225600000000000n,
      1767225600000000000n,
      1767225600000000000n,
      1767225610000000000n,
      17n,
      -17n,
      17n,
      1767225610000000000n,
    ]);
    // A cached text followed by junk is not a timestamp.
    expect(scanner.timestamp('1767225610000000000x', 0, 20, 0n)).toBe(NO_TIME);
  });

  it('does not reuse a cached value across precisions', () => {
    const scanner = new FastScanner();
    scanner.reset(1n);
    expect(scanner.timestamp('7', 0, 1, 0n)).toBe(7n);
    scanner.reset(1000n);
    expect(scanner.timestamp('7', 0, 1, 0n)).toBe(7000n);
  });

  it.each<[string, bigint]>([
    ['9223372036854775807', 1n],
    ['9223372037', 1_000_000_000n],
    ['00000000000000000001', 1n],
    ['12a', 1n],
    ['1 2', 1n],
    ['-', 1n],
    ['1\t', 1n],
  ])('leaves %j (× %i) to the exact parser', (text, precisionNs) => {
    const scanner = new FastScanner();
    scanner.reset(precisionNs);
    expect(scanner.timestamp(text, 0, text.length, 0n)).toBe(NO_TIME);
  });
});

describe('FastScanner float digits', () => {
  // The fast path builds a float as an integer mantissa divided by 10^k. That is exact when the
  // mantissa has at most 15 digits (so it is an exact double) and 10^k is an exact double
  // (k <= 22): one correctly rounded division gives the correctly rounded decimal, the same
  // double parseFloat returns. Longer mantissas fall back to Number(). These properties hold the
  // scanner to parseFloat bit for bit (Object.is: -0 included).
  const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  const decimal = fc
    .tuple(fc.constantFrom('', '-'), digits(0, 12), fc.boolean(), digits(0, 12))
    .filter(([, int, dot, frac]) => int.length + frac.length > 0 && (dot || frac.length === 0))
    .map(([sign, int, dot, frac]) => `${sign}${int}${dot ? '.' : ''}${frac}`);
  const scan = (text: string): number => {
    const s = `k=${text}`;
    const scanner = new FastScanner();
    expect(scanner.value(s, 2, s.length)).toBe(FieldType.Float);
    return scanner.floatValue;
  };

  it('random decimal strings (up to 24 digits, fast path and fallback) give parseFloat', () => {
    fc.assert(
      fc.property(decimal, (text) => {
        expect(Object.is(scan(text), parseFloat(text))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('two-decimal values as TSBS writes them give parseFloat', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), (cents) => {
        const text = `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
        expect(Object.is(scan(text), parseFloat(text))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it.each(['0.1', '0.3', '-0.0', '-0', '123456789012345', '1234567890.12345', '0.000000000000001', '999999999999999.9', '9007199254740993.0'])(
    '%s gives parseFloat',
    (text) => {
      expect(Object.is(scan(text), parseFloat(text))).toBe(true);
    },
  );
});
