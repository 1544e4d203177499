import { describe, expect, test } from 'vitest';
import {
  decodeDateTime,
  decodeDuration,
  decodeInteger,
  decodeRegex,
  decodeString,
  decodeText,
  durationOfParts,
} from './literals.js';

describe('literal decoding', () => {
  test.each([
    [String.raw`"abc"`, 'abc'],
    [String.raw`"a\nb\tc\rd"`, 'a\nb\tc\rd'],
    [String.raw`"q\"q \\ \${"`, 'q"q \\ ${'],
    [String.raw`"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"`, '日本語'],
    ['"日本語"', '日本語'],
  ])('string %s', (lit, want) => {
    expect(decodeString(lit)).toEqual({ ok: true, value: want });
  });

  test.each([
    [String.raw`a\q`, 'invalid escape character q'],
    ['a\\', 'invalid escape sequence'],
    [String.raw`\x4`, String.raw`\x followed by 1 char, must be 2`],
    [String.raw`\x`, String.raw`\x followed by 0 char, must be 2`],
    [String.raw`\xzz`, 'invalid byte value'],
    [String.raw`\xff`, 'invalid utf-8 sequence of 1 bytes from index 0'],
    [String.raw`a\xe6\x97`, 'incomplete utf-8 byte sequence from index 1'],
  ])('bad text %s', (text, error) => {
    expect(decodeText(text)).toEqual({ ok: false, error });
  });

  test.each([
    ['/.*/', '.*'],
    [String.raw`/http:\/\/localhost:8086/`, 'http://localhost:8086'],
    [String.raw`/^\xe6\x97\xa5(ZZ)?$/`, '^日(ZZ)?$'],
    [String.raw`/a\/b\s\w/`, String.raw`a/b\s\w`],
    [String.raw`/\\/`, String.raw`\\`],
  ])('regex %s', (lit, want) => {
    expect(decodeRegex(lit)).toEqual({ ok: true, value: want });
  });

  test.each([
    ['1h30m', [[1n, 'h'], [30n, 'm']]],
    ['1y2mo3w4d', [[1n, 'y'], [2n, 'mo'], [3n, 'w'], [4n, 'd']]],
    ['5µs6us7ns8ms9s', [[5n, 'us'], [6n, 'us'], [7n, 'ns'], [8n, 'ms'], [9n, 's']]],
  ])('duration %s', (lit, want) => {
    const parts = want.map(([magnitude, unit]) => ({ magnitude, unit }));
    expect(decodeDuration(lit)).toEqual({ ok: true, value: parts });
  });

  test('duration magnitude beyond int64 fails', () => {
    expect(decodeDuration('9223372036854775808s').ok).toBe(false);
    expect(decodeDuration('9223372036854775807ns')).toEqual({
      ok: true,
      value: [{ magnitude: 9223372036854775807n, unit: 'ns' }],
    });
  });

  test.each([
    ['1970-01-01', 0n],
    ['2018-01-01', 1514764800000000000n],
    ['1952-01-25T12:35:51Z', -565961049000000000n],
    ['2018-08-15T13:36:23-07:00', 1534365383000000000n],
    ['2016-06-13T17:43:50.1004002Z', 1465839830100400200n],
  ])('date-time %s', (lit, ns) => {
    expect(decodeDateTime(lit)).toEqual({ ok: true, value: ns });
  });

  test.each(['2018-01-01T00:00:00', '2018-13-01T00:00:00Z', '2018-02-30'])('bad date-time %s', (lit) => {
    expect(decodeDateTime(lit).ok).toBe(false);
  });

  test.each([
    ['0', { ok: true, value: 0n }],
    ['9223372036854775807', { ok: true, value: 9223372036854775807n }],
    ['9223372036854775808', { ok: false, error: 'invalid integer literal "9223372036854775808": value out of range' }],
    ['0123', { ok: false, error: 'invalid integer literal "0123": nonzero value cannot start with 0' }],
  ])('integer %s', (lit, want) => {
    expect(decodeInteger(lit)).toEqual(want);
  });

  test.each([
    ['1h30m', { months: 0, nanoseconds: 5_400_000_000_000n, negative: false }],
    ['1y2mo1w', { months: 14, nanoseconds: 604_800_000_000_000n, negative: false }],
    ['1mo5d', { months: 1, nanoseconds: 432_000_000_000_000n, negative: false }],
    ['3ms4us5ns', { months: 0, nanoseconds: 3_004_005n, negative: false }],
  ])('durationOfParts(%s)', (lit, want) => {
    const parts = decodeDuration(lit);
    if (!parts.ok) throw new Error(parts.error);
    expect(durationOfParts(parts.value)).toEqual(want);
  });
});
