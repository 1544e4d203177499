import { describe, expect, it } from 'vitest';
import { columnValue, knownConstant, markConstant, type ColumnData } from './column.js';
import { tableFromColumns } from './table-builder.js';
import { sliceColumn, takeRows } from './take-rows.js';

describe('takeRows', () => {
  const t = tableFromColumns(
    [
      ['host', 'string', ['a', 'a', 'a', 'a']],
      ['_start', 'time', [5n, 5n, 5n, 5n]],
      ['_value', 'float', [1, 2, 3, 4]],
      ['note', 'string', ['w', 'x', 'y', 'z']],
    ],
    ['host', '_start'],
  );
  const cells = (j: number, tt = takeRows(t, [3, 1, 1])): unknown[] => Array.from({ length: tt.length }, (_, i) => columnValue(tt.columns[j]!, i));

  it('gathers the listed rows (repeats allowed) and keeps key and schema', () => {
    const out = takeRows(t, [3, 1, 1]);
    expect(out.length).toBe(3);
    expect(out.key).toBe(t.key);
    expect(out.cols).toBe(t.cols);
    expect(cells(2)).toEqual([4, 2, 2].map((value) => ({ kind: 'float', value })));
    expect(cells(3)).toEqual(['z', 'x', 'x'].map((value) => ({ kind: 'string', value })));
  });

  it('slices key columns instead of gathering them (same buffer for typed arrays)', () => {
    const out = takeRows(t, [3, 2]);
    expect(cells(0, out)).toEqual(['a', 'a'].map((value) => ({ kind: 'string', value })));
    expect(cells(1, out)).toEqual([5n, 5n].map((value) => ({ kind: 'time', value })));
    expect((out.columns[1]!.values as BigInt64Array).buffer).toBe((t.columns[1]!.values as BigInt64Array).buffer);
    // A non-key column is a new array.
    expect((out.columns[2]!.values as Float64Array).buffer).not.toBe((t.columns[2]!.values as Float64Array).buffer);
  });

  it('gathers a key column that does not hold one value (as a table decoded from CSV may)', () => {
    const mixed = tableFromColumns(
      [
        ['host', 'string', ['a', 'b', 'a']],
        ['n', 'int', [1, 2, 1]],
        ['z', 'float', [0, -0, 0]],
        ['_value', 'float', [1, 2, 3]],
      ],
      ['host', 'n', 'z'],
    );
    const out = takeRows(mixed, [1, 2]);
    const col = (j: number): unknown[] => [0, 1].map((i) => columnValue(out.columns[j]!, i));
    expect(col(0)).toEqual(['b', 'a'].map((value) => ({ kind: 'string', value })));
    expect(col(1)).toEqual([2n, 1n].map((value) => ({ kind: 'int', value })));
    expect(Object.is((out.columns[2]!.values as Float64Array)[0], -0)).toBe(true);
  });

  it('gathers key columns too when asked for more rows than the table has', () => {
    const out = takeRows(t, [0, 1, 2, 3, 3, 3]);
    expect(cells(0, out)).toHaveLength(6);
    expect(new Set(cells(0, out).map((v) => (v as { value: string }).value))).toEqual(new Set(['a']));
  });
});

describe('sliceColumn', () => {
  it('slices a string column marked constant to the shared fill of its value, marked too', () => {
    const col = (): ColumnData => markConstant({ type: 'string', length: 5, valid: null, values: new Array<string>(5).fill('host_7') });
    const a = sliceColumn(col(), 1, 5);
    const b = sliceColumn(col(), 2, 6);
    expect(a.length).toBe(4);
    expect(a.values).toEqual(['host_7', 'host_7', 'host_7', 'host_7']);
    expect(b.values).toBe(a.values);
    expect(knownConstant(a)).toBe(true);
  });

  it('copies the rows of any other string column', () => {
    const col: ColumnData = { type: 'string', length: 4, valid: null, values: ['a', 'a', 'b', 'c'] };
    const out = sliceColumn(col, 1, 3);
    expect(out.values).toEqual(['a', 'b']);
    expect(knownConstant(out)).toBe(false);
    const unmarked: ColumnData = { type: 'string', length: 3, valid: null, values: ['x', 'x', 'x'] };
    expect(sliceColumn(unmarked, 1, 3).values).not.toBe(sliceColumn(unmarked, 1, 3).values);
  });
});
