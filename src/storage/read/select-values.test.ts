import { describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import type { ColumnValues, ValueSelector } from '../storage.js';
import type { Column } from './column.js';
import { selectOutside } from './select-values.js';

/** Points at times 10, 20, …, 100 with values 1..10; the selector keeps odd values and records what it saw. */
const col: Column = {
  type: FieldType.Float,
  timestampsNs: BigInt64Array.from({ length: 10 }, (_, i) => BigInt((i + 1) * 10)),
  values: Float64Array.from({ length: 10 }, (_, i) => i + 1),
};

function odd(seen: number[][]): ValueSelector {
  return {
    select(_type: FieldType, values: ColumnValues, keep: Uint32Array): number {
      seen.push([...(values as Float64Array)]);
      let m = 0;
      for (let i = 0; i < values.length; i++) if ((values[i] as number) % 2 === 1) keep[m++] = i;
      return m;
    },
  };
}

describe('selectOutside', () => {
  it.each<[string, [bigint, bigint][], number[], number[][]]>([
    ['no spans: one call over everything', [], [1, 3, 5, 7, 9], [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]],
    ['a span at the start', [[0n, 25n]], [3, 5, 7, 9], [[3, 4, 5, 6, 7, 8, 9, 10]]],
    ['a span in the middle (ends inclusive)', [[30n, 60n]], [1, 7, 9], [[1, 2], [7, 8, 9, 10]]],
    ['two spans and the end', [[20n, 20n], [55n, 1000n]], [1, 3, 5], [[1], [3, 4, 5]]],
    ['everything', [[-5n, 500n]], [], []],
    ['spans between points', [[11n, 19n], [101n, 200n]], [1, 3, 5, 7, 9], [[1], [2, 3, 4, 5, 6, 7, 8, 9, 10]]],
  ])('%s', (_name, spans, want, calls) => {
    const seen: number[][] = [];
    const keep = new Uint32Array(10);
    const m = selectOutside(col, odd(seen), spans.map(([fromNs, toNs]) => ({ fromNs, toNs })), keep);
    // Positions are indexes into the whole column.
    expect([...keep.subarray(0, m)].map((i) => (col.values as Float64Array)[i])).toEqual(want);
    expect(seen).toEqual(calls);
  });

  it('returns -1 when the selector keeps a segment whole (a type it does not decide)', () => {
    const whole: ValueSelector = { select: () => -1 };
    expect(selectOutside(col, whole, [{ fromNs: 30n, toNs: 40n }], new Uint32Array(10))).toBe(-1);
    expect(selectOutside(col, whole, [], new Uint32Array(10))).toBe(-1);
  });
});
