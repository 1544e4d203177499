import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, durationFromNs, parseDuration } from '../../../../core/duration.js';
import { formatRfc3339Nano, parseRfc3339Ns } from '../../../../core/time.js';
import { computeWindows, nextStop, windowSpec } from './window-bounds.js';

const T = (s: string): bigint => parseRfc3339Ns(s);
const S = (ns: bigint): string => formatRfc3339Nano(ns).replace('.000000000Z', 'Z');
const spec = (every: string, period?: string, offset?: string, loc = 0n) =>
  windowSpec(parseDuration(every), period === undefined ? undefined : parseDuration(period), offset === undefined ? undefined : parseDuration(offset), loc);

describe('nextStop', () => {
  it.each([
    ['5m', undefined, '2020-01-01T00:03:00Z', '2020-01-01T00:05:00Z'],
    ['5m', undefined, '2020-01-01T00:05:00Z', '2020-01-01T00:10:00Z'], // a boundary starts the next window
    ['5m', '1m', '2020-01-01T00:03:00Z', '2020-01-01T00:06:00Z'],
    ['5m', '-2m', '2020-01-01T00:03:00Z', '2020-01-01T00:03:00Z'.replace('03', '08')],
    ['1h', undefined, '1969-12-31T23:30:00Z', '1970-01-01T00:00:00Z'], // before the epoch
    ['1w', undefined, '2022-01-03T00:00:00Z', '2022-01-06T00:00:00Z'], // weeks start on Thursday
    ['1w', '-3d', '2022-01-03T00:00:00Z', '2022-01-10T00:00:00Z'], // Monday weeks
    ['1mo', undefined, '2020-02-15T12:00:00Z', '2020-03-01T00:00:00Z'],
    ['1mo', undefined, '2020-02-01T00:00:00Z', '2020-03-01T00:00:00Z'],
    ['3mo', undefined, '2020-05-20T00:00:00Z', '2020-07-01T00:00:00Z'],
    ['1y', undefined, '2020-05-20T00:00:00Z', '2021-01-01T00:00:00Z'],
    ['1mo', '1d', '2020-01-31T12:00:00Z', '2020-02-02T00:00:00Z'],
  ])('every %s offset %s after %s is %s', (every, offset, t, want) => {
    expect(S(nextStop(spec(every, undefined, offset), T(t)))).toBe(want);
  });
});

describe('windowSpec', () => {
  it.each([
    ['0s', /cannot be zero/],
    ['1mo1d', /cannot mix month and nanosecond/],
  ])('rejects every %s', (every, err) => {
    expect(() => spec(every)).toThrow(err);
  });

  it('a location offset moves boundaries to local midnight', () => {
    // UTC+2: local midnight is 22:00 UTC the day before.
    expect(S(nextStop(spec('1d', undefined, undefined, 7_200_000_000_000n), T('2020-01-01T12:00:00Z')))).toBe('2020-01-01T22:00:00Z');
  });
});

function windows(every: string, period: string | undefined, times: string[], bounds: [string, string] | undefined, createEmpty: boolean) {
  const ts = BigInt64Array.from(times.map(T));
  const w = computeWindows(spec(every, period), ts, ts.length, bounds && { start: T(bounds[0]), stop: T(bounds[1]) }, createEmpty);
  const out: string[] = [];
  for (let k = 0; k < w.count; k++) out.push(`${S(w.starts[k]!).slice(11, 19)}-${S(w.stops[k]!).slice(11, 19)}:${w.from[k]}..${w.to[k]}`);
  return out;
}

describe('computeWindows', () => {
  const times = ['2020-01-01T00:00:05Z', '2020-01-01T00:00:07Z', '2020-01-01T00:00:31Z'];
  const range: [string, string] = ['2020-01-01T00:00:02Z', '2020-01-01T00:00:45Z'];

  it.each([
    ['createEmpty lists every window, clipped to the range', '10s', undefined, range, true, [
      '00:00:02-00:00:10:0..2', '00:00:10-00:00:20:2..2', '00:00:20-00:00:30:2..2', '00:00:30-00:00:40:2..3', '00:00:40-00:00:45:3..3',
    ]],
    ['without createEmpty only windows with rows', '10s', undefined, range, false, ['00:00:02-00:00:10:0..2', '00:00:30-00:00:40:2..3']],
    ['without bounds windows are not clipped', '10s', undefined, undefined, false, ['00:00:00-00:00:10:0..2', '00:00:30-00:00:40:2..3']],
    ['overlapping windows (period > every) share rows', '10s', '20s', range, false, [
      '00:00:02-00:00:10:0..2', '00:00:02-00:00:20:0..2', '00:00:20-00:00:40:2..3', '00:00:30-00:00:45:2..3',
    ]],
    ['gaps (period < every) drop rows between windows', '10s', '2s', range, true, [
      '00:00:08-00:00:10:2..2', '00:00:18-00:00:20:2..2', '00:00:28-00:00:30:2..2', '00:00:38-00:00:40:3..3',
    ]],
  ] as const)('%s', (_name, every, period, bounds, createEmpty, want) => {
    expect(windows(every, period, times, bounds as [string, string] | undefined, createEmpty)).toEqual(want);
  });

  it('an empty table with a range still gets its empty windows', () => {
    expect(windows('20s', undefined, [], ['2020-01-01T00:00:00Z', '2020-01-01T00:01:00Z'], true)).toHaveLength(3);
    expect(windows('20s', undefined, [], ['2020-01-01T00:00:00Z', '2020-01-01T00:01:00Z'], false)).toEqual([]);
  });

  it('skips long gaps without enumerating them', () => {
    const ts = ['2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z'];
    expect(windows('1s', undefined, ts, undefined, false)).toEqual(['00:00:00-00:00:01:0..1', '00:00:00-00:00:01:1..2']);
  });
});

describe('computeWindows matches a brute-force enumeration of the grid', () => {
  it('for any every/period/offset, bounds and createEmpty', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 99 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 45 }),
        fc.integer({ min: -40, max: 40 }),
        fc.boolean(),
        (raw, every, period, offset, createEmpty) => {
          const times = BigInt64Array.from([...raw].sort((a, b) => a - b).map(BigInt));
          const lo = 0n;
          const hi = 100n;
          const sp = windowSpec(durationFromNs(BigInt(every)), durationFromNs(BigInt(period)), durationFromNs(BigInt(offset)));
          const p = BigInt(period === 0 ? every : period);
          const want: string[] = [];
          for (let k = -200n; k <= 200n; k++) {
            const stop = k * BigInt(every) + BigInt(offset);
            const start = stop - p;
            if (!(start < hi && stop > lo)) continue;
            const inside = [...times].filter((t) => t >= start && t < stop).length;
            if (!createEmpty && inside === 0) continue;
            want.push(`${start < lo ? lo : start}-${stop > hi ? hi : stop}:${inside}`);
          }
          const w = computeWindows(sp, times, times.length, { start: lo, stop: hi }, createEmpty);
          const got: string[] = [];
          for (let i = 0; i < w.count; i++) got.push(`${w.starts[i]}-${w.stops[i]}:${w.to[i]! - w.from[i]!}`);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('calendar windows', () => {
  it('nextStop is the first month-grid point after t, for any offset', () => {
    const DAY = 86_400_000_000_000n;
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 12),
        fc.integer({ min: -40, max: 40 }),
        fc.bigInt({ min: -20_000n * DAY, max: 40_000n * DAY }),
        (months, offsetDays, t) => {
          const sp = windowSpec(parseDuration(`${months}mo`), undefined, durationFromNs(BigInt(offsetDays) * DAY));
          const grid = (k: number): bigint => addDuration(addDuration(0n, { months: k * months, nanoseconds: 0n, negative: k < 0 }), sp.offset);
          let k = -1200;
          while (grid(k) <= t) k++;
          expect(nextStop(sp, t)).toBe(grid(k));
        },
      ),
      { numRuns: 300 },
    );
  });
});
