import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../execute/format-table.js';
import { MemoryBudget } from '../../../execute/memory-budget.js';
import { tableFromColumns } from '../../../execute/table-builder.js';
import type { Table } from '../../../execute/table.js';
import { Pivot } from './pivot.js';

/**
 * pivot keeps whole columns while every table of a group is one field over the same increasing
 * times (the usual one-table-per-field input), and goes cell by cell otherwise. The two must give
 * the same tables, and the same errors, for any input: here the cell-by-cell form is the reference.
 */

const timesArb = fc.constantFrom(
  [0, 10, 20],
  [0, 10, 20],
  [0, 10, 20],
  [5, 10, 20],
  [0, 10],
  [0, 10, 10],
  [20, 10, 0],
  [0, null, 20],
  [],
  [7],
);

const tableArb = fc.record({
  host: fc.constantFrom('a', 'b'),
  field: fc.constantFrom('f', 'g', 'f', 'g', 'h', 'host'),
  times: timesArb,
  type: fc.constantFrom('float', 'float', 'float', 'int'),
  nulls: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  extra: fc.constantFrom('x', 'y'),
});

type TableSpec = typeof tableArb extends fc.Arbitrary<infer T> ? T : never;

function tableOf(s: TableSpec, k: number): Table {
  const n = s.times.length;
  const values = s.times.map((_, i) => (s.nulls[i] === true ? null : s.type === 'float' ? k + i / 4 : BigInt(k * 10 + i)));
  return tableFromColumns(
    [
      ['_time', 'time', s.times.map((t) => (t === null ? null : BigInt(t) * 1_000_000_000n))],
      ['host', 'string', Array<string>(n).fill(s.host)],
      ['_field', 'string', Array<string>(n).fill(s.field)],
      ['_value', s.type === 'float' ? 'float' : 'int', values],
      ['extra', 'string', Array<string>(n).fill(s.extra)],
    ],
    ['host', '_field'],
  );
}

function pivoted(tables: readonly Table[], columnar: boolean): string[] | string {
  const p = new Pivot(['_time'], ['_field'], '_value', new MemoryBudget(), columnar);
  try {
    for (const t of tables) p.add(t);
    return p.finish().map(formatTable);
  } catch (e) {
    return (e as Error).message;
  }
}

describe('pivot: whole columns and cell by cell agree', () => {
  it('same tables or the same error', () => {
    let answers = 0;
    fc.assert(
      fc.property(fc.array(tableArb, { minLength: 1, maxLength: 6 }), (specs) => {
        const tables = specs.map(tableOf);
        const whole = pivoted(tables, true);
        expect(whole).toEqual(pivoted(tables, false));
        if (typeof whole !== 'string') answers++;
      }),
      { numRuns: 400 },
    );
    expect(answers).toBeGreaterThan(150);
  });

  it('the usual input keeps the input columns instead of copying cells', () => {
    const spec = (field: TableSpec['field']): TableSpec => ({ host: 'a', field, times: [0, 10, 20], type: 'float', nulls: [false, true, false], extra: 'x' });
    const f = tableOf(spec('f'), 1);
    const g = tableOf(spec('g'), 2);
    const p = new Pivot(['_time'], ['_field'], '_value', new MemoryBudget());
    p.add(f);
    p.add(g);
    const [out] = p.finish();
    expect(out!.cols.map((c) => c.label)).toEqual(['_time', 'host', 'f', 'g']);
    expect(out!.columns[0]).toBe(f.columns[0]);
    expect(out!.columns[2]).toBe(f.columns[3]);
    expect(out!.columns[3]).toBe(g.columns[3]);
    expect(formatTable(out!)).toEqual(pivoted([f, g], false)[0]);
  });
});
