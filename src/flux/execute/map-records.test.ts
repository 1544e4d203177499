import { describe, expect, it } from 'vitest';
import { floatValue, recordValue, stringValue, NULL, type Value } from '../values/value.js';
import { mapRecords } from './map-records.js';
import { renameColumns, selectColumns } from './project-columns.js';
import { RowCursor } from './row-cursor.js';
import { tableFromColumns } from './table-builder.js';

const t = tableFromColumns(
  [
    ['host', 'string', ['a', 'a', 'a']],
    ['_field', 'string', ['f', 'f', 'f']],
    ['_value', 'float', [1, 2, null]],
  ],
  ['host', '_field'],
);

describe('RowCursor.view', () => {
  it('reads the current row without a record per row', () => {
    const cur = new RowCursor(t);
    const r = cur.view();
    expect(cur.view()).toBe(r);
    const seen: (Value | undefined)[] = [];
    for (cur.row = 0; cur.row < t.length; cur.row++) seen.push(r.fields.get('_value'));
    expect(seen.map((v) => v?.kind)).toEqual(['float', 'float', 'null']);
    expect(r.fields.size).toBe(3);
    expect(r.fields.has('host')).toBe(true);
    expect(r.fields.get('nope')).toBeUndefined();
    cur.row = 1;
    expect([...r.fields.keys()]).toEqual(['host', '_field', '_value']);
    expect(new Map(r.fields)).toEqual(cur.record().fields);
  });
});

describe('mapRecords', () => {
  it('builds the output from records, keeping unchanged key columns', () => {
    const [out, ...rest] = mapRecords(t, (c) => {
      const r = c.view();
      const v = r.fields.get('_value')!;
      return recordValue([
        ['host', r.fields.get('host')!],
        ['_value', v.kind === 'float' ? floatValue(v.value * 2) : v],
        ['note', stringValue(`row${c.row}`)],
      ]);
    });
    expect(rest).toEqual([]);
    expect(out!.key.toString()).toBe('{host=a}');
    expect(out!.cols.map((c) => c.label)).toEqual(['host', '_value', 'note']);
    expect([0, 1, 2].map((i) => out!.value(i, 1))).toEqual([floatValue(2), floatValue(4), { kind: 'null', type: { kind: 'float' } }]);
  });

  it('moves rows whose key values change to other tables', () => {
    const parts = mapRecords(t, (c) =>
      recordValue({ host: stringValue(c.row === 0 ? 'b' : 'a'), _field: stringValue('f'), _value: c.value(2) }),
    );
    expect(parts.map((p) => [p.key.toString(), p.length])).toEqual([
      ['{_field=f,host=b}', 1],
      ['{_field=f,host=a}', 2],
    ]);
  });

  it('fills columns missing from some records with null and keeps an untyped null key typed', () => {
    const [out] = mapRecords(t, (c) =>
      c.row === 1 ? recordValue({ host: NULL, extra: floatValue(1) }) : recordValue({ host: NULL }),
    );
    expect(out!.key.cols).toEqual([{ label: 'host', type: 'string' }]);
    expect(out!.length).toBe(3);
    expect([0, 1, 2].map((i) => out!.value(i, out!.colIndex('extra')).kind)).toEqual(['null', 'float', 'null']);
  });
});

describe('column projection', () => {
  it('selects columns and drops them from the key', () => {
    const s = selectColumns(t, (l) => l !== '_field');
    expect(s.cols.map((c) => c.label)).toEqual(['host', '_value']);
    expect(s.key.toString()).toBe('{host=a}');
    expect(s.columns[1]).toBe(t.columns[2]);
    expect(selectColumns(t, () => true)).toBe(t);
  });
  it('renames columns and key columns', () => {
    const r = renameColumns(t, (l) => (l === 'host' ? 'server' : l));
    expect(r.key.toString()).toBe('{_field=f,server=a}');
    expect(() => renameColumns(t, () => 'x')).toThrow('rename: duplicate column label "x"');
  });
});
