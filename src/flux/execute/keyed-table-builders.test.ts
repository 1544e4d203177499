import { describe, expect, it } from 'vitest';
import { columnValue } from './column.js';
import { GroupKey } from './group-key.js';
import { KeyedTableBuilders } from './keyed-table-builders.js';
import { Table } from './table.js';
import { tableFromColumns } from './table-builder.js';
import { stringValue } from '../values/value.js';

function rows(t: Table): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < t.length; i++) out.push(t.columns.map((c) => columnValue(c, i)));
  return out;
}

const tagged = (tag: string, values: number[], extra?: string): Table =>
  tableFromColumns(
    [['t', 'string', values.map(() => tag)], ['v', 'int', values], ...(extra === undefined ? [] : [['x', 'string', values.map(() => extra)] as const])],
    ['t'],
  );

describe('KeyedTableBuilders', () => {
  it('one table per key, rows in append order, tables in key order', () => {
    const k = new KeyedTableBuilders();
    k.append(tagged('b', [1, 2]));
    k.append(tagged('a', [3]));
    k.append(tagged('b', [4]));
    const out = k.finish();
    expect(out.map((t) => t.key.values)).toEqual([[stringValue('a')], [stringValue('b')]]);
    expect(rows(out[1]!).map((r) => (r[1] as { value: bigint }).value)).toEqual([1n, 2n, 4n]);
    expect(k.size).toBe(0);
  });

  it('a key with one table keeps its columns (no copy)', () => {
    const k = new KeyedTableBuilders();
    const t = tagged('a', [1, 2, 3]);
    k.append(t);
    expect(k.finish()[0]!.columns[1]).toBe(t.columns[1]);
  });

  it('tables of different schemas: union of columns in order of first appearance, nulls where missing', () => {
    const k = new KeyedTableBuilders();
    k.append(tagged('a', [1]));
    k.append(tagged('a', [2], 'p'));
    const [t] = k.finish();
    expect(t!.cols.map((c) => c.label)).toEqual(['t', 'v', 'x']);
    expect(rows(t!).map((r) => (r[2] as { kind: string }).kind)).toEqual(['null', 'string']);
    expect(rows(t!)[1]![2]).toEqual(stringValue('p'));
  });

  it('rows built by hand and appended tables of one key stay in call order', () => {
    const k = new KeyedTableBuilders();
    const key = GroupKey.of([[{ label: 't', type: 'string' }, stringValue('a')]]);
    k.append(tagged('a', [1]));
    const b = k.builder(key);
    b.addColumn('t', 'string');
    b.addColumn('v', 'int');
    b.column(0).pushString('a');
    b.column(1).pushBigInt(2n);
    b.endRow();
    k.append(tagged('a', [3]));
    const [t] = k.finish();
    expect(rows(t!).map((r) => (r[1] as { value: bigint }).value)).toEqual([1n, 2n, 3n]);
  });
});
