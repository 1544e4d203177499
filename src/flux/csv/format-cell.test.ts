import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableFromColumns } from '../execute/table-builder.js';
import { parseRfc3339Ns } from '../../core/time.js';
import { cellFormatter, formatCell } from './format-cell.js';
import { parseTimeCell } from './parse-cell.js';

describe('cellFormatter', () => {
  it('formats times exactly like formatCell, cache or not', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.option(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), { nil: null }),
          { minLength: 1, maxLength: 50 },
        ),
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        (deltas, base) => {
          // Many values share a second, so the cache is exercised.
          const times = deltas.map((d) => (d === null ? null : base + (d % 3_000_000_000n)));
          const col = tableFromColumns([['t', 'time', times]]).columns[0]!;
          const f = cellFormatter(col);
          for (let i = 0; i < col.length; i++) expect(f.format(i)).toBe(formatCell(col, i));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('marks only string columns as possibly needing quotes', () => {
    const t = tableFromColumns([
      ['s', 'string', ['a']],
      ['f', 'float', [1]],
      ['t', 'time', [1n]],
    ]);
    expect(t.columns.map((c) => cellFormatter(c).mayNeedQuotes)).toEqual([true, false, false]);
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
