import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../core/errors.js';
import { T } from '../values/mono-type.js';
import { floatValue, intValue, nullValue, recordValue, stringValue, NULL, type Value } from '../values/value.js';
import { columnValue, isValid } from './column.js';
import { diffTables } from './diff-tables.js';
import { filterTable } from './filter-table.js';
import { formatTable } from './format-table.js';
import { groupTables } from './group-tables.js';
import { GroupKey } from './group-key.js';
import { mapColumns } from './map-columns.js';
import { MemoryBudget } from './memory-budget.js';
import { partitionRows } from './partition-rows.js';
import { RowCursor } from './row-cursor.js';
import { sortTable } from './sort-table.js';
import { TableBuilder, tableFromColumns } from './table-builder.js';
import { collectTables, streamOf } from './table-stream.js';
import { sliceRows } from './take-rows.js';
import type { Table } from './table.js';

/** Rows of a table as plain JS (null for null), for readable assertions. */
function rows(t: Table): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < t.length; i++) {
    out.push(
      t.columns.map((c) => {
        if (!isValid(c, i)) return null;
        const v = columnValue(c, i);
        return v.kind === 'null' || v.kind === 'duration' ? null : (v as { value: unknown }).value;
      }),
    );
  }
  return out;
}

const labels = (t: Table): string[] => t.cols.map((c) => `${c.label}:${c.type}`);

describe('TableBuilder', () => {
  it('back-fills nulls for columns that appear later and pads short columns', () => {
    const b = new TableBuilder(GroupKey.EMPTY);
    b.appendRecord(recordValue({ a: intValue(1n) }));
    b.appendRecord(recordValue({ a: intValue(2n), b: stringValue('x') }));
    b.appendRecord(recordValue({ b: stringValue('y') }));
    const t = b.build();
    expect(labels(t)).toEqual(['a:int', 'b:string']);
    expect(rows(t)).toEqual([
      [1n, null],
      [2n, 'x'],
      [null, 'y'],
    ]);
  });

  it('grows past its initial capacity with nulls anywhere', () => {
    const b = new TableBuilder(GroupKey.EMPTY);
    const j = b.addColumn('v', 'float');
    for (let i = 0; i < 1000; i++) {
      if (i % 7 === 0) b.column(j).pushNull();
      else b.column(j).pushFloat(i);
      b.endRow();
    }
    const t = b.build();
    expect(t.length).toBe(1000);
    for (let i = 0; i < 1000; i++) expect(isValid(t.columns[0]!, i)).toBe(i % 7 !== 0);
    expect((t.columns[0]!.values as Float64Array)[999]).toBe(999);
  });

  it('reports schema collisions with Flux wording', () => {
    const b = new TableBuilder(GroupKey.EMPTY);
    b.addColumn('_value', 'int');
    expect(() => b.addColumn('_value', 'float')).toThrow('schema collision detected: column "_value" is both of type int and float');
    expect(() => b.appendRecord(recordValue({ _value: floatValue(1) }))).toThrow(/type conflict/);
  });

  it('adds key columns first and keeps key values for an empty table', () => {
    const key = GroupKey.of([[{ label: 'host', type: 'string' }, stringValue('a')]]);
    const t = new TableBuilder(key).build();
    expect(t.isEmpty).toBe(true);
    expect(labels(t)).toEqual(['host:string']);
    expect(t.key.value('host')).toEqual(stringValue('a'));
  });

  it('charges its growth to the memory budget and fails past the limit', () => {
    const budget = new MemoryBudget(4096);
    const b = new TableBuilder(GroupKey.EMPTY, budget);
    const j = b.addColumn('v', 'float');
    const fill = (): void => {
      for (let i = 0; i < 10_000; i++) {
        b.column(j).pushFloat(i);
        b.endRow();
      }
    };
    expect(fill).toThrow(/^memory allocation limit reached: limit 4096 bytes, allocated: \d+, wanted: \d+$/);
    expect(budget.usedBytes).toBeLessThanOrEqual(4096);
    try {
      fill();
    } catch (e) {
      expect(e).toBeInstanceOf(SluiceError);
      expect((e as SluiceError).code).toBe('invalid');
    }
  });
});

describe('MemoryBudget', () => {
  it('tracks use and peak across charge and release', () => {
    const m = new MemoryBudget(100);
    m.charge(60);
    m.release(50);
    m.charge(80);
    expect(m.usedBytes).toBe(90);
    expect(m.peakBytes).toBe(90);
    expect(() => m.charge(11)).toThrow('memory allocation limit reached: limit 100 bytes, allocated: 90, wanted: 11');
    expect(m.usedBytes).toBe(90);
  });
});

describe('GroupKey', () => {
  const a = { label: 'a', type: 'string' } as const;
  const b = { label: 'b', type: 'int' } as const;
  it('ignores column order for identity, as Flux does', () => {
    const k1 = new GroupKey([a, b], [stringValue('x'), intValue(1n)]);
    const k2 = new GroupKey([b, a], [intValue(1n), stringValue('x')]);
    expect(k1.equals(k2)).toBe(true);
    expect(k1.id).toBe(k2.id);
    expect(k1.compare(k2)).toBe(0);
    expect(k1.toString()).toBe('{a=x,b=1}');
  });

  it('treats -0 and 0 as one key value', () => {
    const f = { label: 'f', type: 'float' } as const;
    expect(new GroupKey([f], [floatValue(-0)]).equals(new GroupKey([f], [floatValue(0)]))).toBe(true);
  });

  it.each<[string, GroupKey, GroupKey, number]>([
    ['values', new GroupKey([a], [stringValue('x')]), new GroupKey([a], [stringValue('y')]), -1],
    ['null first', new GroupKey([a], [nullValue(T.string)]), new GroupKey([a], [stringValue('')]), -1],
    ['prefix first', new GroupKey([a], [stringValue('x')]), new GroupKey([a, b], [stringValue('x'), intValue(0n)]), -1],
    ['missing smaller label sorts first', new GroupKey([b], [intValue(0n)]), new GroupKey([a], [stringValue('x')]), -1],
    ['empty string is not null', new GroupKey([a], [stringValue('')]), new GroupKey([a], [nullValue(T.string)]), 1],
  ])('orders keys: %s', (_n, x, y, want) => {
    expect(Math.sign(x.compare(y))).toBe(want);
    expect(x.equals(y)).toBe(false);
    expect(x.id === y.id).toBe(false);
  });
});

describe('sortTable', () => {
  const t = tableFromColumns(
    [
      ['k', 'string', ['a', 'a', 'a', 'a', 'a']],
      ['x', 'float', [3, null, 1, 3, 2]],
      ['y', 'int', [1, 2, 3, 0, 5]],
    ],
    ['k'],
  );
  it.each<[string, string[], boolean, unknown[]]>([
    ['ascending, nulls first', ['x'], false, [2n, 3n, 5n, 1n, 0n]],
    ['descending, nulls still first, stable', ['x'], true, [2n, 1n, 0n, 5n, 3n]],
    ['two columns', ['x', 'y'], false, [2n, 3n, 5n, 0n, 1n]],
    ['key and missing columns are skipped', ['k', 'nope'], false, [1n, 2n, 3n, 0n, 5n]],
  ])('%s', (_n, by, desc, ys) => {
    expect(rows(sortTable(t, by, desc)).map((r) => r[2])).toEqual(ys);
  });
  it('returns the same table when already sorted', () => {
    const s = sortTable(t, ['x']);
    expect(sortTable(s, ['x'])).toBe(s);
  });
});

describe('filterTable and RowCursor', () => {
  const t = tableFromColumns([
    ['_time', 'time', [1n, 2n, 3n, 4n]],
    ['_value', 'float', [1.5, null, 3.5, 0.5]],
  ]);
  it('keeps rows by a compiled predicate over columns', () => {
    const v = t.columns[1]!;
    const vals = v.values as Float64Array;
    const out = filterTable(t, (i) => isValid(v, i) && vals[i]! > 1);
    expect(rows(out)).toEqual([
      [1n, 1.5],
      [3n, 3.5],
    ]);
  });
  it('keeps rows by a predicate over a reused cursor', () => {
    const cur = new RowCursor(t);
    const j = cur.indexOf('_value');
    const out = filterTable(t, (i) => {
      cur.row = i;
      return cur.isNull(j);
    });
    expect(rows(out)).toEqual([[2n, null]]);
    cur.row = 0;
    expect(cur.get('_value')).toEqual(floatValue(1.5));
    expect(cur.get('missing')).toBeUndefined();
    expect(cur.bigint(cur.indexOf('_time'))).toBe(1n);
    expect([...cur.record().fields.keys()]).toEqual(['_time', '_value']);
  });
  it('returns the input when every row passes', () => {
    expect(filterTable(t, () => true)).toBe(t);
  });
  it('slices rows', () => {
    expect(rows(sliceRows(t, 1, 3))).toEqual([
      [2n, null],
      [3n, 3.5],
    ]);
  });
});

describe('mapColumns', () => {
  const t = tableFromColumns(
    [
      ['host', 'string', ['a', 'a', 'a']],
      ['_value', 'float', [1, null, 3]],
    ],
    ['host'],
  );
  it('shares copied columns and computes kernels with nulls', () => {
    const src = t.columns[1]!;
    const vals = src.values as Float64Array;
    const [out, ...rest] = mapColumns(t, [
      { label: 'host', from: 'host' },
      { label: '_value', kernel: { type: 'float', compute: (i) => (isValid(src, i) ? vals[i]! * 2 : null) } },
    ]);
    expect(rest).toEqual([]);
    expect(out!.columns[0]).toBe(t.columns[0]);
    expect(rows(out!)).toEqual([
      ['a', 2],
      ['a', null],
      ['a', 6],
    ]);
    expect(out!.key.equals(t.key)).toBe(true);
  });
  it('drops key columns that are not output', () => {
    const [out] = mapColumns(t, [{ label: 'v', from: '_value' }]);
    expect(out!.key.size).toBe(0);
  });
  it('re-partitions rows when a key column is recomputed', () => {
    const parts = mapColumns(t, [
      { label: 'host', kernel: { type: 'string', compute: (i) => (i === 1 ? 'b' : 'a') } },
      { label: '_value', from: '_value' },
    ]);
    expect(parts.map((p) => p.key.toString())).toEqual(['{host=a}', '{host=b}']);
    expect(parts.map((p) => p.length)).toEqual([2, 1]);
  });
});

describe('grouping', () => {
  const t1 = tableFromColumns(
    [
      ['_measurement', 'string', ['m', 'm', 'm']],
      ['host', 'string', ['b', 'a', 'b']],
      ['_value', 'float', [1, 2, 3]],
    ],
    ['_measurement'],
  );
  const t2 = tableFromColumns(
    [
      ['_measurement', 'string', ['n']],
      ['host', 'string', ['a']],
      ['_value', 'float', [4]],
      ['extra', 'bool', [true]],
    ],
    ['_measurement'],
  );

  it('partitions one table by row values, first appearance order', () => {
    const parts = partitionRows(t1, ['host']);
    expect(parts.map((p) => [p.key.toString(), p.length])).toEqual([
      ['{host=b}', 2],
      ['{host=a}', 1],
    ]);
  });

  it('groups by columns across tables, merging equal keys and unioning schemas', async () => {
    const out = await collectTables(groupTables(streamOf([t1, t2]), { mode: 'by', columns: ['host'] }));
    expect(out.map((t) => t.key.toString())).toEqual(['{host=a}', '{host=b}']);
    expect(labels(out[0]!)).toEqual(['_measurement:string', 'host:string', '_value:float', 'extra:bool']);
    expect(rows(out[0]!)).toEqual([
      ['m', 'a', 2, null],
      ['n', 'a', 4, true],
    ]);
    expect(rows(out[1]!).map((r) => r[2])).toEqual([1, 3]);
  });

  it('groups except columns, and re-keys without copying when the key only shrinks', async () => {
    const out = await collectTables(
      groupTables(streamOf([t1]), { mode: 'except', columns: ['_value', 'host'] }),
    );
    expect(out.map((t) => t.key.toString())).toEqual(['{_measurement=m}']);
    const none = await collectTables(groupTables(streamOf([t1, t2]), { mode: 'by', columns: [] }));
    expect(none).toHaveLength(1);
    expect(none[0]!.length).toBe(4);
  });
});

describe('label look-ups on narrow (scanned) and wide (indexed) tables and keys', () => {
  // Both ways must agree: first look-up of each label, the last column of a repeated label, -1 when absent.
  const cases = [3, 12, 13, 20].map((width) => {
    const labels = Array.from({ length: width }, (_, j) => (j === width - 1 ? 'c0' : `c${j}`));
    return { width, labels };
  });
  it.each(cases)('width $width', ({ width, labels }) => {
    const t = tableFromColumns(labels.map((l) => [l, 'int', [1]] as const));
    const key = new GroupKey(t.cols, t.cols.map(() => intValue(1n)));
    for (const [label, want] of [['c0', width - 1], ['c1', width > 2 ? 1 : -1], ['nope', -1]] as const) {
      expect(t.colIndex(label)).toBe(want);
      expect(key.indexOf(label)).toBe(want);
      expect(key.has(label)).toBe(want >= 0);
    }
  });
});

describe('TableBuilder.appendTable across schemas', () => {
  const a = (v: number, host = 'h'): Table => tableFromColumns([['host', 'string', [host]], ['_value', 'float', [v]]]);
  const b = (v: number): Table => tableFromColumns([['_value', 'float', [v]], ['host', 'string', ['x']]]);
  const c = (v: number): Table => tableFromColumns([['host', 'string', ['y']], ['_value', 'float', [v]], ['n', 'int', [7]]]);
  const d = (v: number): Table => tableFromColumns([['_value', 'float', [v]]]);
  // Each case appends tables in order; schemas repeat, change order, grow and shrink, so the
  // remembered destination builders must be reused only for an identical schema.
  const cases: { name: string; tables: Table[]; cols: string[]; rows: unknown[][] }[] = [
    { name: 'same schema, distinct arrays', tables: [a(1), a(2), a(3)], cols: ['host:string', '_value:float'], rows: [['h', 1], ['h', 2], ['h', 3]] },
    { name: 'same labels in another order', tables: [a(1), b(2), a(3)], cols: ['host:string', '_value:float'], rows: [['h', 1], ['x', 2], ['h', 3]] },
    {
      name: 'a new column, then the old schema again',
      tables: [a(1), c(2), a(3)],
      cols: ['host:string', '_value:float', 'n:int'],
      rows: [['h', 1, null], ['y', 2, 7n], ['h', 3, null]],
    },
    { name: 'a table lacking a column', tables: [a(1), d(2), a(3)], cols: ['host:string', '_value:float'], rows: [['h', 1], [null, 2], ['h', 3]] },
  ];
  it.each(cases)('$name', ({ tables, cols, rows: want }) => {
    const builder = new TableBuilder(GroupKey.EMPTY);
    for (const t of tables) builder.appendTable(t);
    const out = builder.build();
    expect(labels(out)).toEqual(cols);
    expect(rows(out)).toEqual(want);
  });

  it('refuses a column whose type changes between tables', () => {
    const builder = new TableBuilder(GroupKey.EMPTY);
    builder.appendTable(a(1));
    expect(() => builder.appendTable(tableFromColumns([['host', 'string', ['h']], ['_value', 'int', [1]]]))).toThrow(/schema collision/);
  });
});

describe('groupTables re-keying whole tables', () => {
  const t = (m: string, host: string, vals: number[]): Table =>
    tableFromColumns(
      [
        ['_measurement', 'string', vals.map(() => m)],
        ['host', 'string', vals.map(() => host)],
        ['_value', 'float', vals],
      ],
      ['_measurement', 'host'],
    );
  const empty = tableFromColumns([['_measurement', 'string', []], ['host', 'string', []], ['_value', 'float', []]], ['_measurement']);
  const cases: { name: string; columns: string[]; input: Table[]; want: [string, number[]][] }[] = [
    { name: 'by nothing: one table, input order', columns: [], input: [t('m', 'b', [1]), t('m', 'a', [2, 3])], want: [['{}', [1, 2, 3]]] },
    { name: 'by a key column', columns: ['host'], input: [t('m', 'b', [1]), t('n', 'a', [2]), t('m', 'b', [3])], want: [['{host=a}', [2]], ['{host=b}', [1, 3]]] },
    { name: 'by a missing column', columns: ['nope'], input: [t('m', 'b', [1]), t('n', 'a', [2])], want: [['{}', [1, 2]]] },
    { name: 'an empty table keyed by a non-key column', columns: ['host'], input: [empty, t('m', 'a', [5])], want: [['{host=<null>}', []], ['{host=a}', [5]]] },
    { name: 'by a non-key column: rows split', columns: ['_value'], input: [t('m', 'a', [1, 2, 1])], want: [['{_value=1}', [1, 1]], ['{_value=2}', [2]]] },
  ];
  it.each(cases)('$name', async ({ columns, input, want }) => {
    const out = await collectTables(groupTables(streamOf(input), { mode: 'by', columns }));
    expect(out.map((o) => [o.key.toString(), rows(o).map((r) => r[o.colIndex('_value')])])).toEqual(want);
  });
});

describe('diffTables', () => {
  const mk = (vals: (number | null)[], key = 'a', extra?: (number | null)[]): Table =>
    tableFromColumns(
      [
        ['k', 'string', vals.map(() => key)],
        ['_value', 'float', vals],
        ...(extra === undefined ? [] : [['e', 'float', extra] as const]),
      ],
      ['k'],
    );
  it.each<[string, Table[], Table[], boolean]>([
    ['identical', [mk([1, 2])], [mk([1, 2])], true],
    ['within epsilon', [mk([1])], [mk([1 + 1e-7])], true],
    ['beyond epsilon', [mk([1])], [mk([1.00001])], false],
    ['NaN equals NaN', [mk([NaN])], [mk([NaN])], true],
    ['null vs value', [mk([null])], [mk([0])], false],
    ['missing column equals null', [mk([1], 'a', [null])], [mk([1])], true],
    ['missing column vs value', [mk([1], 'a', [2])], [mk([1])], false],
    ['empty table equals missing table', [mk([], 'b')], [], true],
    ['row order matters', [mk([1, 2])], [mk([2, 1])], false],
    ['extra row', [mk([1])], [mk([1, 2])], false],
    ['tables matched by key in any order', [mk([1], 'a'), mk([2], 'b')], [mk([2], 'b'), mk([1], 'a')], true],
  ])('%s', (_n, want, got, equal) => {
    expect(diffTables(want, got).equal).toBe(equal);
  });

  it('reports differing rows with a _diff column', () => {
    const d = diffTables([mk([1, 2, 3])], [mk([1, 5, 3])]);
    expect(d.tables).toHaveLength(1);
    const t = d.tables[0]!;
    expect(labels(t)).toEqual(['_diff:string', 'k:string', '_value:float']);
    expect(rows(t)).toEqual([
      ['', 'a', 1],
      ['-', 'a', 2],
      ['+', 'a', 5],
      ['', 'a', 3],
    ]);
    expect(formatTable(t)).toContain('Table: keys: [k]');
  });

  it('fails on a column with different types', () => {
    const w = tableFromColumns([['v', 'int', [1]]]);
    const g = tableFromColumns([['v', 'float', [1]]]);
    expect(() => diffTables([w], [g])).toThrow('column "v" has different types');
  });
});

describe('tableFromColumns', () => {
  it('takes key values from the first row and rejects ragged columns', () => {
    const t = tableFromColumns([['h', 'string', ['x']]], ['h']);
    expect(t.key.value('h')).toEqual(stringValue('x'));
    expect(() => tableFromColumns([['a', 'int', [1]], ['b', 'int', []]])).toThrow(/has 0 rows, expected 1/);
    const e = tableFromColumns([['h', 'string', []]], ['h']);
    expect(e.key.value('h')?.kind).toBe('null');
  });
  it('keeps values exact at 64 bits', () => {
    const t = tableFromColumns([
      ['i', 'int', [-9223372036854775808n]],
      ['u', 'uint', [18446744073709551615n]],
    ]);
    const vs: Value[] = [t.value(0, 0), t.value(0, 1)];
    expect(vs).toEqual([intValue(-9223372036854775808n), { kind: 'uint', value: 18446744073709551615n }]);
    expect(NULL.kind).toBe('null');
  });
});
