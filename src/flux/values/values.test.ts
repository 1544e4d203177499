import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../core/duration.js';
import { compareStrings, compareValues, equalValues } from './compare-values.js';
import { dictGet, dictValue } from './dict-value.js';
import { formatFloatDecimal, formatFloatGeneral } from './format-float.js';
import { displayValue, formatFixedTime, stringOf } from './format-value.js';
import { T, arrayType, dictType, formatType, functionType, recordType, streamType, typeVariable, typesEqual } from './mono-type.js';
import {
  FALSE,
  NULL,
  TRUE,
  arrayValue,
  bytesValue,
  durationValue,
  floatValue,
  intValue,
  nullValue,
  recordValue,
  regexpValue,
  stringValue,
  timeValue,
  typeOf,
  uintValue,
  wrapInt,
  wrapUint,
  type Value,
} from './value.js';

describe('formatType', () => {
  it.each([
    [T.int, 'int'],
    [arrayType(T.string), '[string]'],
    [recordType([{ name: 'a', type: T.int }, { name: 'b', type: T.string }]), '{a: int, b: string}'],
    [recordType([{ name: '_value', type: T.float }], 'A'), '{A with _value: float}'],
    [dictType(T.string, T.int), '[string:int]'],
    [
      functionType(
        [
          { name: 'tables', type: streamType(typeVariable('A')), pipe: true },
          { name: 'n', type: T.int, optional: true },
        ],
        streamType(typeVariable('A')),
      ),
      '(<-tables: stream[A], ?n: int) => stream[A]',
    ],
  ])('%j prints as %s', (t, text) => {
    expect(formatType(t)).toBe(text);
  });

  it('compares types structurally', () => {
    expect(typesEqual(arrayType(T.int), arrayType(T.int))).toBe(true);
    expect(typesEqual(arrayType(T.int), arrayType(T.uint))).toBe(false);
    expect(typesEqual(recordType([{ name: 'a', type: T.int }]), recordType([{ name: 'b', type: T.int }]))).toBe(false);
  });
});

describe('typeOf', () => {
  it('types composites from their contents', () => {
    const r = recordValue({ a: intValue(1n), b: arrayValue([stringValue('x')]) });
    expect(formatType(typeOf(r))).toBe('{a: int, b: [string]}');
    expect(formatType(typeOf(nullValue(T.float)))).toBe('float');
    expect(formatType(typeOf(arrayValue([], T.bool)))).toBe('[bool]');
  });
});

describe('compareValues', () => {
  const cases: [string, Value, Value, number][] = [
    ['null first', NULL, intValue(-5n), -1],
    ['typed nulls equal', nullValue(T.int), NULL, 0],
    ['ints', intValue(2n), intValue(10n), -1],
    ['int vs float exact', intValue(9007199254740993n), floatValue(9007199254740992), 1],
    ['int equals float', intValue(3n), floatValue(3), 0],
    ['float vs int fractional', floatValue(2.5), intValue(2n), 1],
    ['NaN after numbers', floatValue(NaN), floatValue(Infinity), 1],
    ['uint large', uintValue(18446744073709551615n), uintValue(1n), 1],
    ['strings by code point', stringValue('\u{1F600}'), stringValue('\uFFFD'), 1],
    ['bools', FALSE, TRUE, -1],
    ['times', timeValue(5n), timeValue(-5n), 1],
    ['durations months first', durationValue(parseDuration('1mo')), durationValue(parseDuration('40d')), 1],
    ['arrays lexicographic', arrayValue([intValue(1n), intValue(2n)]), arrayValue([intValue(1n), intValue(3n)]), -1],
  ];
  it.each(cases)('%s', (_name, a, b, want) => {
    expect(Math.sign(compareValues(a, b))).toBe(want);
    expect(Math.sign(compareValues(b, a))).toBe(-want || 0);
  });

  it('refuses incomparable kinds', () => {
    expect(() => compareValues(stringValue('a'), intValue(1n))).toThrow(/cannot compare string with int/);
  });

  it('orders strings like UTF-8 bytes', () => {
    const words = ['b', 'a', '\uFF5E', '\u{10000}', 'ab', ''];
    const sorted = [...words].sort(compareStrings);
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(sorted).toEqual(byBytes);
  });
});

describe('equalValues', () => {
  it.each<[string, Value, Value, boolean]>([
    ['NaN equals NaN', floatValue(NaN), floatValue(NaN), true],
    ['int is not float', intValue(1n), floatValue(1), false],
    ['records ignore key order', recordValue({ a: intValue(1n), b: NULL }), recordValue({ b: NULL, a: intValue(1n) }), true],
    ['records differ', recordValue({ a: intValue(1n) }), recordValue({ a: intValue(2n) }), false],
    ['bytes', bytesValue(new Uint8Array([1, 2])), bytesValue(new Uint8Array([1, 2])), true],
    ['regexp by source', regexpValue('a+', /a+/), regexpValue('a+', /a+/), true],
    ['durations', durationValue(parseDuration('1h')), durationValue(parseDuration('60m')), true],
  ])('%s', (_n, a, b, want) => {
    expect(equalValues(a, b)).toBe(want);
  });
});

describe('dicts', () => {
  it('sorts keys and keeps the last duplicate', () => {
    const d = dictValue(T.string, T.int, [
      [stringValue('b'), intValue(1n)],
      [stringValue('a'), intValue(2n)],
      [stringValue('b'), intValue(3n)],
    ]);
    expect(d.entries.map(([k]) => (k as { value: string }).value)).toEqual(['a', 'b']);
    expect(dictGet(d, stringValue('b'))).toEqual(intValue(3n));
    expect(dictGet(d, stringValue('c'))).toBeUndefined();
    expect(displayValue(d)).toBe('[a: 2, b: 3]');
  });
});

describe('float formatting', () => {
  it.each<[number, string, string]>([
    [1e21, '1000000000000000000000', '1e+21'],
    [1e-7, '0.0000001', '1e-07'],
    [123456, '123456', '123456'],
    [1234567, '1234567', '1.234567e+06'],
    [0.0001, '0.0001', '0.0001'],
    [0.00001234, '0.00001234', '1.234e-05'],
    [-2.5, '-2.5', '-2.5'],
    [0.1 + 0.2, '0.30000000000000004', '0.30000000000000004'],
    [NaN, 'NaN', 'NaN'],
    [Infinity, '+Inf', '+Inf'],
    [-Infinity, '-Inf', '-Inf'],
    [-0, '-0', '-0'],
    [5e-324, `0.${'0'.repeat(323)}5`, '5e-324'],
  ])('%d → %s (f) and %s (g)', (x, f, g) => {
    expect(formatFloatDecimal(x)).toBe(f);
    expect(formatFloatGeneral(x)).toBe(g);
    if (Number.isFinite(x)) expect(Number(f)).toBe(x);
  });
});

describe('printing values', () => {
  it.each<[Value, string]>([
    [intValue(-3n), '-3'],
    [stringValue('hi'), 'hi'],
    [NULL, '<null>'],
    [timeValue(1_500_000_000n), '1970-01-01T00:00:01.500000000Z'],
    [durationValue(parseDuration('1h30m')), '1h30m'],
    [durationValue(parseDuration('0s')), '0ns'],
    [bytesValue(new Uint8Array([0, 255])), '0x00ff'],
    [regexpValue('^a.*$', /^a.*$/), '^a.*$'],
    [recordValue({ b: intValue(1n), a: stringValue('x') }), '{a: x, b: 1}'],
    [arrayValue([intValue(1n), intValue(2n)]), '[1, 2]'],
    [arrayValue([1n, 2n, 3n, 4n].map(intValue)), '[\n    1,\n    2,\n    3,\n    4\n]'],
    [
      recordValue({ a: arrayValue([1n, 2n, 3n, 4n].map(intValue)) }),
      '{a: [\n        1,\n        2,\n        3,\n        4\n    ]}',
    ],
  ])('display %#', (v, text) => {
    expect(displayValue(v)).toBe(text);
  });

  it('string() converts basic values', () => {
    expect(stringOf(floatValue(1e21))).toBe('1000000000000000000000');
    expect(stringOf(timeValue(0n))).toBe('1970-01-01T00:00:00Z');
    expect(stringOf(TRUE)).toBe('true');
    expect(() => stringOf(arrayValue([]))).toThrow(/cannot convert \[null\] to string/);
  });

  it('fixed-width time pads the fraction', () => {
    expect(formatFixedTime(1n)).toBe('1970-01-01T00:00:00.000000001Z');
    expect(formatFixedTime(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
  });
});

describe('integer wrapping', () => {
  it('wraps like Go', () => {
    expect(wrapInt(9223372036854775807n + 1n)).toBe(-9223372036854775808n);
    expect(wrapUint(-1n)).toBe(18446744073709551615n);
  });
});
