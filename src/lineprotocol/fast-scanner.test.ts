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
