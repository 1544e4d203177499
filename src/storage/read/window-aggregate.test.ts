import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import type { Aggregate } from '../storage.js';
import { aggregateGeneral, aggregateWindowsRelative } from './window-aggregate.js';
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

  it('declines spans too large for exact doubles', () => {
    const ts = BigInt64Array.of(0n, 2n ** 60n);
    const col = { type: FieldType.Float, timestampsNs: ts, values: Float64Array.of(1, 2) };
    expect(aggregateWindowsRelative(col, 'count', 0n, 2n ** 61n, { everyNs: 10n, offsetNs: 0n }, 0, 2)).toBeUndefined();
  });
});
