import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnValue } from './column.js';
import { concatTables } from './concat-tables.js';
import { GroupKey } from './group-key.js';
import { MemoryBudget } from './memory-budget.js';
import { Table } from './table.js';
import { TableBuilder, tableFromColumns } from './table-builder.js';

/** A table's schema, key and every cell as plain values, for comparing two builds. */
function dump(t: Table): unknown {
  const rows: unknown[][] = [];
  for (let i = 0; i < t.length; i++) rows.push(t.columns.map((c) => columnValue(c, i)));
  return { key: t.key.id, cols: t.cols, length: t.length, lengths: t.columns.map((c) => c.length), rows };
}

/** What appending each table to a TableBuilder gives (the reference). */
function built(key: GroupKey, tables: readonly Table[]): Table {
  const b = new TableBuilder(key);
  for (const t of tables) b.appendTable(t);
  return b.build();
}

type Cell = number | bigint | string | boolean | null;
const cell = (type: 'float' | 'int' | 'string' | 'bool'): fc.Arbitrary<Cell> => {
  const v: fc.Arbitrary<Cell> =
    type === 'float' ? fc.double({ noNaN: true }) : type === 'int' ? fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) : type === 'bool' ? fc.boolean() : fc.string({ maxLength: 4 });
  return fc.option(v, { nil: null, freq: 4 });
};

/** Tables of one schema (a tag column `t` in the key), 0-20 rows each, nulls anywhere. */
const sameSchemaTables = fc.array(
  fc.integer({ min: 0, max: 20 }).chain((n) =>
    fc.record({
      f: fc.array(cell('float'), { minLength: n, maxLength: n }),
      i: fc.array(cell('int'), { minLength: n, maxLength: n }),
      s: fc.array(cell('string'), { minLength: n, maxLength: n }),
      b: fc.array(cell('bool'), { minLength: n, maxLength: n }),
      tag: fc.constantFrom('x', 'y'),
    }),
  ),
  { minLength: 1, maxLength: 8 },
);

describe('concatTables', () => {
  it('gives what a TableBuilder gives, for tables of one schema (nulls at any offset)', () => {
    fc.assert(
      fc.property(sameSchemaTables, (specs) => {
        const tables = specs.map((s) =>
          tableFromColumns(
            [
              ['t', 'string', s.f.map(() => s.tag)],
              ['f', 'float', s.f],
              ['i', 'int', s.i],
              ['s', 'string', s.s],
              ['b', 'bool', s.b],
            ],
            ['t'],
          ),
        );
        const key = GroupKey.EMPTY;
        expect(dump(concatTables(key, tables))).toEqual(dump(built(key, tables)));
      }),
    );
  });

  it('reads only the first `length` slots of longer arrays (views)', () => {
    const f = new Float64Array([1, 2, 3, 4]);
    const s = ['a', 'b', 'c', 'd'];
    const mk = (n: number): Table =>
      new Table(GroupKey.EMPTY, [{ label: 'f', type: 'float' }, { label: 's', type: 'string' }], [{ type: 'float', length: n, valid: null, values: f }, { type: 'string', length: n, valid: null, values: s }], n);
    const out = concatTables(GroupKey.EMPTY, [mk(2), mk(3)]);
    expect(dump(out)).toEqual(dump(built(GroupKey.EMPTY, [mk(2), mk(3)])));
    expect(out.columns[1]!.values).toEqual(['a', 'b', 'a', 'b', 'c']);
  });

  it('falls back to the builder for tables of different schemas (missing columns are null)', () => {
    const a = tableFromColumns([['x', 'int', [1, 2]]]);
    const b = tableFromColumns([['y', 'string', ['p']], ['x', 'int', [3]]]);
    const out = concatTables(GroupKey.EMPTY, [a, b]);
    expect(dump(out)).toEqual(dump(built(GroupKey.EMPTY, [a, b])));
    expect(out.cols.map((c) => c.label)).toEqual(['x', 'y']);
  });

  it('re-keys a single table without copying its columns', () => {
    const a = tableFromColumns([['t', 'string', ['x', 'x']], ['v', 'float', [1, 2]]], ['t']);
    const out = concatTables(GroupKey.EMPTY, [a]);
    expect(out.key.cols).toEqual([]);
    expect(out.columns[1]).toBe(a.columns[1]);
  });

  it('charges the output to the budget, refusing past its limit', () => {
    const tables = [0, 1].map(() => tableFromColumns([['v', 'float', Array.from({ length: 100 }, (_, i) => i)]]));
    const roomy = new MemoryBudget(1_000_000);
    concatTables(GroupKey.EMPTY, tables, roomy);
    expect(roomy.usedBytes).toBe(8 * 200);
    expect(() => concatTables(GroupKey.EMPTY, tables, new MemoryBudget(1_000))).toThrow(/memory allocation limit reached/);
  });
});
