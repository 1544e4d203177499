import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../values/mono-type.js';
import { isValid } from './column.js';
import { partitionRows } from './partition-rows.js';
import { rowComparator, sortTable } from './sort-table.js';
import { tableFromColumns } from './table-builder.js';
import type { Table } from './table.js';

type Cell = number | bigint | string | boolean | null;

const cellArb: Record<ColumnType, fc.Arbitrary<Cell>> = {
  float: fc.oneof(fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1, -1)),
  int: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  uint: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  time: fc.oneof(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: -(1n << 62n), max: 1n << 62n })),
  duration: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  bool: fc.boolean(),
  string: fc.oneof(fc.constantFrom('a', 'b', '', '\uFFFD', '\u{1F600}'), fc.string({ maxLength: 3, unit: 'binary' })),
};

/** A table with two random columns of random types (with nulls), plus the row number. */
const tableArb = fc
  .tuple(fc.constantFrom<ColumnType>('float', 'int', 'uint', 'time', 'bool', 'string'), fc.constantFrom<ColumnType>('float', 'int', 'string', 'bool'))
  .chain(([ta, tb]) =>
    fc
      .array(fc.tuple(fc.option(cellArb[ta], { nil: null, freq: 5 }), fc.option(cellArb[tb], { nil: null, freq: 5 })), {
        minLength: 0,
        maxLength: 60,
      })
      .map((rows) =>
        tableFromColumns([
          ['a', ta, rows.map((r) => r[0])],
          ['b', tb, rows.map((r) => r[1])],
          ['row', 'int', rows.map((_, i) => i)],
        ]),
      ),
  );

/** Reference: a plain stable comparison sort with Flux's comparators. */
function referenceOrder(t: Table, labels: string[], desc: boolean): number[] {
  const cmps = labels.map((l) => rowComparator(t.column(l)!, desc));
  return Array.from({ length: t.length }, (_, i) => i).sort((x, y) => {
    for (const c of cmps) {
      const r = c(x, y);
      if (r !== 0) return r;
    }
    return x - y;
  });
}

const order = (t: Table): number[] => Array.from(t.column('row')!.values as BigInt64Array, Number);

describe('sortTable matches a stable comparison sort', () => {
  it.each([false, true])('desc=%s, one and two columns', (desc) => {
    fc.assert(
      fc.property(tableArb, (t) => {
        expect(order(sortTable(t, ['a'], desc))).toEqual(referenceOrder(t, ['a'], desc));
        expect(order(sortTable(t, ['b', 'a'], desc))).toEqual(referenceOrder(t, ['b', 'a'], desc));
      }),
      { numRuns: 400 },
    );
  });

  it('sorts large columns (several radix passes) like the reference', () => {
    const n = 5000;
    const vals = Array.from({ length: n }, (_, i) => (i % 97 === 0 ? null : Math.sin(i) * 1e6));
    const times = Array.from({ length: n }, (_, i) => BigInt(((i * 7919) % n) - n / 2) * 1_000_000_007n);
    const t = tableFromColumns([
      ['a', 'float', vals],
      ['b', 'time', times],
      ['row', 'int', vals.map((_, i) => i)],
    ]);
    expect(order(sortTable(t, ['a']))).toEqual(referenceOrder(t, ['a'], false));
    expect(order(sortTable(t, ['b'], true))).toEqual(referenceOrder(t, ['b'], true));
  });
});

describe('sortTable of rows in ascending runs (series concatenated by group())', () => {
  // Series concatenated by group(), each in time order: a few runs, with equal keys across runs
  // (the same times in several series) whose order the sort must keep.
  const runsArb = fc
    .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 120 }), fc.constantFrom<ColumnType>('time', 'int', 'float', 'string'))
    .chain(([runs, maxLen, type]) =>
      fc.tuple(
        fc.array(fc.array(fc.option(fc.integer({ min: -40, max: 40 }), { nil: null, freq: 30 }), { minLength: 0, maxLength: maxLen }), { minLength: runs, maxLength: runs }),
        fc.constant(type),
      ),
    )
    .map(([runs, type]) => {
      const cells: Cell[] = [];
      for (const run of runs) {
        const sorted = [...run].sort((x, y) => (x === null ? -1 : y === null ? 1 : x - y));
        for (const x of sorted) {
          if (x === null) cells.push(null);
          else if (type === 'float') cells.push(x / 4);
          else if (type === 'string') cells.push(String.fromCharCode(80 + x));
          else cells.push(BigInt(x) * 1_000_000_007n);
        }
      }
      return tableFromColumns([
        ['a', type, cells],
        ['row', 'int', cells.map((_, i) => i)],
      ]);
    });

  it.each([false, true])('desc=%s gives the stable comparison sort', (desc) => {
    fc.assert(
      fc.property(runsArb, (t) => {
        expect(order(sortTable(t, ['a'], desc))).toEqual(referenceOrder(t, ['a'], desc));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['irregular times over two months (offsets above 2^32, two key words)', 1n],
    ['millisecond times over two months (a common divisor, two key words)', 1_000_000n],
    ['times every 10 s (a common divisor, one key word)', 10_000_000_000n],
  ])('sorts %s like the reference', (_name, unit) => {
    const n = 3000;
    const times: (bigint | null)[] = Array.from({ length: n }, (_, i) =>
      i % 101 === 0 ? null : 1_767_225_600_000_000_000n + ((BigInt((i * 7919) % 2400) * 2_000_000_003_211n + BigInt((i * 31) % 977)) / unit) * unit,
    );
    const t = tableFromColumns([
      ['a', 'time', times],
      ['row', 'int', times.map((_, i) => i)],
    ]);
    expect(order(sortTable(t, ['a']))).toEqual(referenceOrder(t, ['a'], false));
    expect(order(sortTable(t, ['a'], true))).toEqual(referenceOrder(t, ['a'], true));
  });

  it('sorts many long runs of times like the reference', () => {
    const runs = 31;
    const per = 400;
    const times: bigint[] = [];
    for (let r = 0; r < runs; r++) for (let i = 0; i < per; i++) times.push(BigInt((i * 3 + r) % 1000) * 10n ** 9n + (i % 5 === 0 ? 0n : BigInt(r)));
    for (let r = 0; r < runs; r++) times.slice(r * per, (r + 1) * per).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).forEach((v, i) => (times[r * per + i] = v));
    const t = tableFromColumns([
      ['a', 'time', times],
      ['row', 'int', times.map((_, i) => i)],
    ]);
    expect(order(sortTable(t, ['a']))).toEqual(referenceOrder(t, ['a'], false));
    expect(order(sortTable(t, ['a'], true))).toEqual(referenceOrder(t, ['a'], true));
  });
});

describe('partitionRows', () => {
  it('groups by several columns with nulls, NaN and -0 as key equality wants', () => {
    const t = tableFromColumns([
      ['x', 'float', [NaN, 0, NaN, -0, null, null]],
      ['y', 'string', ['a', 'a', 'a', 'a', null, 'b']],
      ['v', 'int', [1, 2, 3, 4, 5, 6]],
    ]);
    const parts = partitionRows(t, ['x', 'y']);
    expect(parts.map((p) => [p.key.toString(), Array.from(p.column('v')!.values as BigInt64Array, Number)])).toEqual([
      ['{x=NaN,y=a}', [1, 3]],
      ['{x=0,y=a}', [2, 4]],
      ['{x=<null>,y=<null>}', [5]],
      ['{x=<null>,y=b}', [6]],
    ]);
    expect(parts.every((p) => p.key.values.every((v, i) => v.kind === 'null' || v.kind === p.key.cols[i]!.type))).toBe(true);
    expect(isValid(parts[2]!.column('y')!, 0)).toBe(false);
  });

  it('keeps a table whose rows all share the new key whole: re-keyed, nothing gathered', () => {
    const t = tableFromColumns([
      ['x', 'string', ['a', 'a', 'a']],
      ['y', 'float', [-0, 0, 0]],
      ['v', 'int', [1, 2, 3]],
    ]);
    const parts = partitionRows(t, ['x', 'y']);
    expect(parts.map((p) => p.key.toString())).toEqual(['{x=a,y=-0}']);
    expect(parts[0]!.columns).toEqual(t.columns);
    expect(parts[0]!.columns[2]).toBe(t.columns[2]);
    // A column holding one value is skipped when rows are coded; the other still splits them.
    const split = partitionRows(t, ['x', 'v']);
    expect(split.map((p) => p.key.toString())).toEqual(['{v=1,x=a}', '{v=2,x=a}', '{v=3,x=a}']);
  });
});
