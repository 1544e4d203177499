import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableFromColumns } from '../execute/table-builder.js';
import { cellFormatter, formatCell } from './format-cell.js';

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
