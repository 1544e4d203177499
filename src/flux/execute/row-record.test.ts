import { describe, expect, it } from 'vitest';
import { floatValue, intValue, recordValue, stringValue, type Value } from '../values/value.js';
import { GroupKey } from './group-key.js';
import { mapRecords } from './map-records.js';
import { RowCursor } from './row-cursor.js';
import { RowRecordFields, recordWith, recordWithFields } from './row-record.js';
import { TableBuilder, tableFromColumns } from './table-builder.js';

const t = tableFromColumns(
  [
    ['_time', 'time', [10n, 20n, 30n]],
    ['_value', 'float', [1, null, 3]],
    ['host', 'string', ['a', 'a', 'a']],
  ],
  ['host'],
);

describe('recordWith', () => {
  it('snapshots a live row view: later cursor moves do not change it', () => {
    const cur = new RowCursor(t);
    const r = cur.view();
    cur.row = 0;
    const a = recordWith(r, [['_value', floatValue(9)], ['extra', intValue(1n)]]);
    cur.row = 2;
    expect(a.fields).toBeInstanceOf(RowRecordFields);
    expect([...a.fields.keys()]).toEqual(['_time', '_value', 'host', 'extra']);
    expect(Object.fromEntries(a.fields)).toEqual({
      _time: { kind: 'time', value: 10n },
      _value: floatValue(9),
      host: stringValue('a'),
      extra: intValue(1n),
    });
    expect(a.fields.size).toBe(4);
    expect(a.fields.has('extra')).toBe(true);
    const b = recordWith(a, [['host', stringValue('z')]]);
    expect(b.fields.get('host')).toEqual(stringValue('z'));
    expect(b.fields.get('_value')).toEqual(floatValue(9));
  });

  it('copies a plain record', () => {
    const base = recordValue({ a: intValue(1n), b: intValue(2n) });
    const r = recordWith(base, [['b', intValue(3n)]]);
    expect(r.fields).toBeInstanceOf(Map);
    expect([...r.fields.values()]).toEqual([intValue(1n), intValue(3n)]);
    expect(base.fields.get('b')).toEqual(intValue(2n));
  });

  it('appends a row snapshot cell by cell, nulls included', () => {
    const cur = new RowCursor(t);
    const b = new TableBuilder(GroupKey.EMPTY);
    for (cur.row = 0; cur.row < t.length; cur.row++) b.appendRecord(recordWith(cur.view(), [['n', intValue(BigInt(cur.row))]]));
    b.appendRecord(recordValue({ host: stringValue('x') }));
    const out = b.build();
    expect(out.cols.map((c) => c.label)).toEqual(['_time', '_value', 'host', 'n']);
    const cells: Value[][] = [];
    for (let i = 0; i < out.length; i++) cells.push(out.cols.map((_, j) => out.value(i, j)));
    expect(cells.map((r) => r.map((v) => (v.kind === 'null' ? null : (v as { value: unknown }).value)))).toEqual([
      [10n, 1, 'a', 0n],
      [20n, null, 'a', 1n],
      [30n, 3, 'a', 2n],
      [null, null, 'x', null],
    ]);
  });

  it('reports a type collision between a snapshot and the builder', () => {
    const b = new TableBuilder(GroupKey.EMPTY);
    b.addColumn('_value', 'int');
    expect(() => b.appendRecord(new RowCursor(t).snapshot())).toThrow(/schema collision/);
  });

  it('shares a static labels array across rows', () => {
    const labels = ['_value', 'k'];
    const [out] = mapRecords(t, (c) => recordWithFields(c.view(), labels, [intValue(BigInt(c.row)), stringValue('x')]));
    expect(out!.cols).toEqual([
      { label: '_time', type: 'time' },
      { label: '_value', type: 'int' },
      { label: 'host', type: 'string' },
      { label: 'k', type: 'string' },
    ]);
    expect([0, 1, 2].map((i) => out!.value(i, 1))).toEqual([0n, 1n, 2n].map(intValue));
  });

  it('drives mapRecords on the snapshot path', () => {
    const [out] = mapRecords(t, (c) => {
      const v = c.view().fields.get('_value')!;
      return recordWith(c.view(), [['_value', v.kind === 'float' ? floatValue(v.value * 2) : v]]);
    });
    expect([0, 1, 2].map((i) => out!.value(i, 1))).toEqual([floatValue(2), { kind: 'null', type: { kind: 'float' } }, floatValue(6)]);
    expect(out!.key.toString()).toBe('{host=a}');
  });
});
