import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableFromColumns } from '../execute/table-builder.js';
import { parseRfc3339Ns } from '../../core/time.js';
import { isValid, type ColumnData } from '../execute/column.js';
import { ChunkBuffer } from './chunk-buffer.js';
import { formatCell } from './format-cell.js';
import { TimeCellWriter, int32Halves } from './time-cell-writer.js';
import { parseTimeCell } from './parse-cell.js';

describe('TimeCellWriter', () => {
  /** What the writer puts in a buffer for each row, one per line ('' for null). */
  function written(col: ColumnData, halves: boolean): string[] {
    const out = new ChunkBuffer(8);
    const w = new TimeCellWriter();
    const values = col.values as BigInt64Array;
    const lines: string[] = [];
    for (let i = 0; i < col.length; i++) {
      const start = out.pos;
      if (isValid(col, i)) w.write(out, values, halves ? int32Halves(values) : null, i);
      lines.push(out.buf.toString('latin1', start, out.pos));
    }
    return lines;
  }

  it('formats times exactly like formatCell when rows alternate between days (the two cached days), int64 ends included', () => {
    const DAY = 86_400_000_000_000n;
    const MIN = -(2n ** 63n);
    const MAX = 2n ** 63n - 1n;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.bigInt({ min: 0n, max: DAY - 1n })), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(1_767_225_600_000_000_000n, -DAY, MIN, MAX - 4n * DAY),
        (picks, dayStart) => {
          // Four days in a row from dayStart (clamped to int64), picked in any order.
          const times = picks.map(([d, at]) => {
            const t = dayStart + BigInt(d) * DAY + at;
            return t < MIN ? MIN : t > MAX ? MAX : t;
          });
          const col = tableFromColumns([['t', 'time', times]]).columns[0]!;
          const want = Array.from({ length: col.length }, (_, i) => formatCell(col, i));
          expect(written(col, true)).toEqual(want);
          expect(written(col, false)).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('formats times exactly like formatCell, cached day or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), { nil: null }), { minLength: 1, maxLength: 50 }),
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.constantFrom(3_000_000_000n, 200_000_000_000_000n, 10n ** 19n),
        (deltas, base, spread) => {
          // Many values share a day (the cached date part), some do not.
          const times = deltas.map((d) => (d === null ? null : BigInt.asIntN(64, base + (d % spread))));
          const col = tableFromColumns([['t', 'time', times]]).columns[0]!;
          const want = Array.from({ length: col.length }, (_, i) => formatCell(col, i));
          expect(written(col, true)).toEqual(want);
          expect(written(col, false)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    0n, -1n, 1n, 86_399_999_999_999n, 86_400_000_000_000n, -86_400_000_000_000n, -86_400_000_000_001n,
    1_767_225_599_999_999_999n, 1_767_225_600_000_000_000n, -(2n ** 63n), 2n ** 63n - 1n, -62_135_596_800_000_000_000n - 1n,
  ])('writes %s as formatCell does', (ns) => {
    const col = tableFromColumns([['t', 'time', [ns, ns + 1n, ns]]]).columns[0]!;
    expect(written(col, true)).toEqual([0, 1, 2].map((i) => formatCell(col, i)));
  });
});

describe('parseTimeCell', () => {
  it('agrees with core\'s RFC3339 parser on the times the encoder writes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (ns) => {
        const col = tableFromColumns([['t', 'time', [ns]]]).columns[0]!;
        const text = formatCell(col, 0);
        expect(parseTimeCell(text)).toBe(ns);
        expect(parseTimeCell(text)).toBe(parseRfc3339Ns(text));
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['2024-02-29T00:00:00Z', 1709164800000000000n],
    ['2024-01-01T01:00:00+01:00', 1704067200000000000n],
    ['2024-01-01t00:00:00.5z', 1704067200500000000n],
    ['1969-12-31T23:59:59.999999999Z', -1n],
  ])('parses %s', (text, ns) => {
    expect(parseTimeCell(text)).toBe(ns);
  });

  it.each(['2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T00:00:00.Z', '2024-01-01T00:00:00.1234567890Z', '2024-01-01 00:00:00', 'x'])(
    'rejects %s',
    (text) => {
      expect(() => parseTimeCell(text)).toThrow(/invalid dateTime/);
    },
  );
});
