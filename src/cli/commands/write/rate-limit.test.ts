import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../core/errors.js';
import { parseRateLimit } from './rate-limit.js';

describe('parseRateLimit (influx write --rate-limit)', () => {
  it.each([
    ['5 MB / 5 min', (5 * 1024 * 1024) / 300],
    ['5MB/5min', (5 * 1024 * 1024) / 300],
    ['1MB/s', 1024 * 1024],
    ['17kBs', 17 * 1024],
    ['17kB/sec', 17 * 1024],
    ['1B/m', 1 / 60],
    ['1B/2sec', 0.5],
    ['5.1MB5m', (5.1 * 1048576) / 300],
    ['.5kB/s', 512],
    ['2.B/s', 2],
    ['100B/10s', 10],
    ['0B/s', 0],
    ['', 0],
    ['   ', 0],
  ])('%j is %f bytes per second', (text, bytesPerSecond) => {
    expect(parseRateLimit(text)).toBeCloseTo(bytesPerSecond, 9);
  });

  const PATTERN = String.raw`^(\d*\.?\d*)(B|kB|MB)/?(\d*)?(s|sec|m|min)$`;
  it.each([
    ['1B/munite', `invalid value "1B/munite" for flag -rate-limit: invalid rate limit "1B/munite": it does not match format COUNT(B|kB|MB)/TIME(s|sec|m|min) with / and TIME being optional, rexpexp: ${PATTERN}`],
    ['1 mb / s', `invalid value "1 mb / s" for flag -rate-limit: invalid rate limit "1mb/s": it does not match format COUNT(B|kB|MB)/TIME(s|sec|m|min) with / and TIME being optional, rexpexp: ${PATTERN}`],
    ['5MB/h', `invalid value "5MB/h" for flag -rate-limit: invalid rate limit "5MB/h": it does not match format COUNT(B|kB|MB)/TIME(s|sec|m|min) with / and TIME being optional, rexpexp: ${PATTERN}`],
    ['-1B/s', `invalid value "-1B/s" for flag -rate-limit: invalid rate limit "-1B/s": it does not match format COUNT(B|kB|MB)/TIME(s|sec|m|min) with / and TIME being optional, rexpexp: ${PATTERN}`],
    ['.B/s', `invalid value ".B/s" for flag -rate-limit: invalid rate limit ".B/s": '.' is not count of bytes: strconv.ParseFloat: parsing ".": invalid syntax`],
    ['MB/s', `invalid value "MB/s" for flag -rate-limit: invalid rate limit "MB/s": '' is not count of bytes: strconv.ParseFloat: parsing "": invalid syntax`],
    ['1B0s', `invalid value "1B0s" for flag -rate-limit: invalid rate limit "1B0s": positive time expected but 0 supplied`],
    ['1B/00min', `invalid value "1B/00min" for flag -rate-limit: invalid rate limit "1B/00min": positive time expected but 00 supplied`],
    ['1MB/42949672950s', `invalid value "1MB/42949672950s" for flag -rate-limit: invalid rate limit "1MB/42949672950s": time is out of range: strconv.ParseUint: parsing "42949672950": value out of range`],
  ])('%j is refused with influx message', (text, message) => {
    expect(() => parseRateLimit(text)).toThrow(SluiceError);
    expect(() => parseRateLimit(text)).toThrow(message);
  });

  it('the largest 32-bit time is accepted', () => {
    expect(parseRateLimit('4294967295B/4294967295s')).toBe(1);
  });
});

describe('parseRateLimit property', () => {
  it('COUNT unit [/] [TIME] timeUnit, spaces anywhere: count * unit bytes / (time * timeUnit) seconds', () => {
    const units = { B: 1, kB: 1024, MB: 1048576 } as const;
    const timeUnits = { s: 1, sec: 1, m: 60, min: 60 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 4_294_967_295 }), { nil: undefined }),
        fc.constantFrom(...(Object.keys(timeUnits) as (keyof typeof timeUnits)[])),
        fc.array(fc.nat(20), { maxLength: 4 }),
        (whole, fraction, unit, slash, time, timeUnit, spaceAt) => {
          const count = `${whole}.${String(fraction).padStart(3, '0')}`;
          let text = `${count}${unit}${slash ? '/' : ''}${time ?? ''}${timeUnit}`;
          for (const at of spaceAt) text = `${text.slice(0, at)} ${text.slice(at)}`;
          const expected = (Number(count) * units[unit]) / ((time ?? 1) * timeUnits[timeUnit]);
          expect(parseRateLimit(text)).toBeCloseTo(expected, 9);
        },
      ),
    );
  });
});
