import { describe, expect, it } from 'vitest';
import { floorDiv, formatRfc3339Nano, parseRfc3339Ns } from './time.js';

describe('RFC3339', () => {
  it.each([
    ['1970-01-01T00:00:00Z', 0n],
    ['1970-01-01T00:00:01.5Z', 1_500_000_000n],
    ['2018-05-22T19:53:26.000000001Z', 1527018806000000001n],
    ['1969-12-31T23:59:59.999999999Z', -1n],
  ])('%s <-> %s', (text, ns) => {
    expect(parseRfc3339Ns(text)).toBe(ns);
    expect(formatRfc3339Nano(ns)).toBe(text);
  });

  it('applies zone offsets', () => {
    expect(parseRfc3339Ns('2020-01-01T01:00:00+01:00')).toBe(parseRfc3339Ns('2020-01-01T00:00:00Z'));
  });

  it.each(['2020-13-01T00:00:00Z', '2020-02-30T00:00:00Z', 'yesterday', '2020-01-01T00:00:00'])(
    'rejects %s',
    (text) => {
      expect(() => parseRfc3339Ns(text)).toThrow(/cannot parse time/);
    },
  );
});

describe('floorDiv', () => {
  it.each([
    [7n, 2n, 3n],
    [-7n, 2n, -4n],
    [-8n, 2n, -4n],
    [0n, 5n, 0n],
  ])('%s / %s = %s', (a, b, q) => {
    expect(floorDiv(a, b)).toBe(q);
  });
});
