import { describe, expect, it } from 'vitest';
import { addDuration, addDurationClamped, formatDuration, parseDuration } from './duration.js';
import { parseRfc3339Ns } from './time.js';

describe('parseDuration', () => {
  it.each([
    ['1s', 0, 1_000_000_000n],
    ['1h30m', 0, 5_400_000_000_000n],
    ['1mo', 1, 0n],
    ['1y2mo3d', 14, 3n * 86_400_000_000_000n],
    ['-5m', 0, -300_000_000_000n],
    ['2w', 0, 14n * 86_400_000_000_000n],
    ['10µs', 0, 10_000n],
  ])('%s', (text, months, ns) => {
    const d = parseDuration(text);
    expect(d.months).toBe(months);
    expect(d.nanoseconds).toBe(ns);
  });

  it.each(['', '10', '1x', 'h', '1h 2m'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/invalid duration/);
  });

  it('says a bare number is missing a unit', () => {
    expect(() => parseDuration('10')).toThrow('duration is missing a unit');
  });
});

describe('formatDuration', () => {
  it.each(['1h30m', '1y2mo3d', '-5m', '0s', '1w1d', '1ms500us'])('round-trips %s', (text) => {
    expect(formatDuration(parseDuration(text))).toBe(text);
  });
});

describe('addDuration', () => {
  it('adds months with Go normalisation (Jan 31 + 1mo = Mar 3)', () => {
    const t = parseRfc3339Ns('2021-01-31T00:00:00Z');
    expect(addDuration(t, parseDuration('1mo'))).toBe(parseRfc3339Ns('2021-03-03T00:00:00Z'));
  });
  it('keeps sub-millisecond precision', () => {
    const t = parseRfc3339Ns('2021-01-01T00:00:00.000000123Z');
    expect(addDuration(t, parseDuration('1mo1ns'))).toBe(parseRfc3339Ns('2021-02-01T00:00:00.000000124Z'));
  });
});

describe('addDurationClamped', () => {
  it.each([
    ['2021-03-31T12:00:00Z', '-1mo', '2021-02-28T12:00:00Z'],
    ['2020-03-31T00:00:00Z', '-1mo', '2020-02-29T00:00:00Z'],
    ['2021-01-31T00:00:00Z', '1mo', '2021-02-28T00:00:00Z'],
    ['2021-01-15T00:00:00Z', '1y1mo1d', '2022-02-16T00:00:00Z'],
  ])('%s %s = %s (clamped to the month end, as Flux)', (from, d, want) => {
    expect(addDurationClamped(parseRfc3339Ns(from), parseDuration(d))).toBe(parseRfc3339Ns(want));
  });
});
