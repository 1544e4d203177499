import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import type { Aggregate } from '../storage.js';
import { aggregateColumn, aggregateGeneral, aggregateWindowsRelative } from './window-aggregate.js';
import { lowerBound } from './time-search.js';

const AGGS: Aggregate[] = ['count', 'sum', 'mean', 'min', 'max', 'first', 'last'];

describe('aggregateWindowsRelative', () => {
  it('agrees with the bigint path for any times, windows, offsets and range clipping', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
        fc.uniqueArray(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 60 }),
        fc.bigInt({ min: 1n, max: 10n ** 11n }),
        fc.bigInt({ min: -(10n ** 11n), max: 10n ** 11n }),
        fc.bigInt({ min: -(10n ** 11n), max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 2n * 10n ** 12n }),
        fc.constantFrom(...AGGS),
        fc.boolean(),
        (base, offsets, everyNs, offsetNs, startRel, lenNs, aggregate, integer) => {
          const ts = BigInt64Array.from(offsets.sort((a, b) => (a < b ? -1 : 1)).map((o) => base + o));
          const values = integer ? BigInt64Array.from(offsets.map((o) => (o % 1000n) - 500n)) : Float64Array.from(offsets.map((o) => Number(o % 977n) / 8));
          const col = { type: integer ? FieldType.Integer : FieldType.Float, timestampsNs: ts, values };
          const startNs = base + startRel;
          const stopNs = startNs + lenNs + 1n;
          const from = lowerBound(ts, startNs);
          const end = lowerBound(ts, stopNs, from);
          if (from >= end) return;
          const window = { everyNs, offsetNs };
          const fast = aggregateWindowsRelative(col, aggregate, startNs, stopNs, window, from, end);
          expect(fast).toBeDefined();
          expect(fast).toEqual(aggregateGeneral(col, aggregate, startNs, stopNs, window, from, end));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with the bigint path on dense series: regular steps, gaps, irregular stretches, clipping', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1_999 }), fc.integer({ min: 1, max: 500 })), { maxLength: 5 }),
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom<Aggregate>('sum', 'mean', 'count', 'last'),
        (n, step, pointsPerWindow, jumps, offset, clipFront, clipBack, aggregate) => {
          // n points every `step` ns from a base near 2026, with some points pushed later by a jump
          // (a gap, or an irregular stretch), values with full float digits.
          const base = 1_767_225_600_000_000_000n;
          const rel: number[] = [];
          let t = 0;
          for (let i = 0; i < n; i++) {
            for (const [at, by] of jumps) if (at === i) t += by * step;
            rel.push(t);
            t += step;
          }
          const ts = BigInt64Array.from(rel.map((r) => base + BigInt(r)));
          const values = Float64Array.from(rel.map((r, i) => Math.sin(r + i) * 100 + 1 / 3));
          const col = { type: FieldType.Float, timestampsNs: ts, values };
          const everyNs = BigInt(step * pointsPerWindow);
          const startNs = base + BigInt(clipFront * step);
          const stopNs = base + BigInt(t - clipBack * step);
          const from = lowerBound(ts, startNs);
          const end = lowerBound(ts, stopNs, from);
          if (from >= end) return;
          const window = { everyNs, offsetNs: BigInt(offset) };
          const fast = aggregateWindowsRelative(col, aggregate, startNs, stopNs, window, from, end);
          // Same doubles bit for bit: the sums add in the same order as the plain path.
          expect(fast).toEqual(aggregateGeneral(col, aggregate, startNs, stopNs, window, from, end));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('shares window arrays between series with the same windows, and never changes a result it returned', () => {
    const base = 1_767_225_600_000_000_000n;
    const series = (step: bigint, n: number, skip: number) => {
      const ts = BigInt64Array.from({ length: n }, (_, i) => base + BigInt(i < skip ? i : i + 30) * step);
      return { type: FieldType.Float, timestampsNs: ts, values: Float64Array.from({ length: n }, (_, i) => i / 7) };
    };
    const window = { everyNs: 300n * 10n ** 9n, offsetNs: 0n };
    const stop = base + 86_400n * 10n ** 9n;
    const run = (col: ReturnType<typeof series>, aggregate: Aggregate) => {
      const end = lowerBound(col.timestampsNs, stop);
      return { got: aggregateWindowsRelative(col, aggregate, base, stop, window, 0, end)!, want: aggregateGeneral(col, aggregate, base, stop, window, 0, end) };
    };
    const a = run(series(10n ** 10n, 8640, 8640), 'mean');
    const b = run(series(10n ** 10n, 8640, 8640), 'sum');
    expect(b.got.windowStopsNs).toBe(a.got.windowStopsNs);
    expect(b.got.timestampsNs).toBe(b.got.windowStopsNs);
    // Other windows (a gap of 30 points) and a selector: new arrays; the earlier results stay as they were.
    const c = run(series(10n ** 10n, 8000, 4000), 'mean');
    const d = run(series(10n ** 10n, 8640, 8640), 'last');
    expect(c.got.windowStopsNs).not.toBe(a.got.windowStopsNs);
    for (const r of [a, b, c, d]) expect(r.got).toEqual(r.want);
  });

  it('declines spans too large for exact doubles', () => {
    const ts = BigInt64Array.of(0n, 2n ** 60n);
    const col = { type: FieldType.Float, timestampsNs: ts, values: Float64Array.of(1, 2) };
    expect(aggregateWindowsRelative(col, 'count', 0n, 2n ** 61n, { everyNs: 10n, offsetNs: 0n }, 0, 2)).toBeUndefined();
  });
});

describe('aggregateColumn with a period other than every', () => {
  /** Every window [k·every + offset, + period) holding a point, clipped to the range, by brute force. */
  function bruteForce(ts: readonly bigint[], values: readonly number[], every: bigint, period: bigint, offset: bigint, start: bigint, stop: bigint): [bigint, bigint, number, number][] {
    const floor = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
    const inRange = ts.map((t, i) => [t, values[i]!] as const).filter(([t]) => t >= start && t < stop);
    if (inRange.length === 0) return [];
    const out: [bigint, bigint, number, number][] = [];
    const first = floor(inRange[0]![0] - offset - period, every);
    const last = floor(inRange[inRange.length - 1]![0] - offset, every);
    for (let k = first; k <= last; k++) {
      const ws = k * every + offset;
      const we = ws + period;
      const inside = inRange.filter(([t]) => t >= ws && t < we);
      if (inside.length === 0) continue;
      out.push([ws > start ? ws : start, we < stop ? we : stop, inside.length, inside.reduce((a, [, v]) => a + v, 0)]);
    }
    return out;
  }

  it('gives every non-empty window, overlapping or with gaps, clipped to the range', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.bigInt({ min: -200n, max: 1000n }), { minLength: 1, maxLength: 40 }),
        fc.bigInt({ min: 1n, max: 120n }),
        fc.bigInt({ min: 1n, max: 300n }),
        fc.bigInt({ min: -50n, max: 50n }),
        fc.bigInt({ min: -250n, max: 900n }),
        fc.bigInt({ min: 1n, max: 1200n }),
        (times, every, period, offset, start, length) => {
          const ts = [...times].sort((a, b) => (a < b ? -1 : 1));
          const values = ts.map((t) => Number(((t % 17n) + 17n) % 17n));
          const col = { type: FieldType.Float, timestampsNs: BigInt64Array.from(ts), values: Float64Array.from(values) };
          const stop = start + length;
          const want = bruteForce(ts, values, every, period, offset, start, stop);
          const count = aggregateColumn(col, 'count', start, stop, { everyNs: every, offsetNs: offset, periodNs: period });
          const sum = aggregateColumn(col, 'sum', start, stop, { everyNs: every, offsetNs: offset, periodNs: period });
          const got = count === undefined ? [] : [...count.windowStartsNs].map((ws, k) => [ws, count.windowStopsNs[k]!, Number(count.values[k]), sum!.values[k]]);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });
});
