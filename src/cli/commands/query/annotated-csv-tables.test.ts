import { describe, expect, it } from 'vitest';
import { csvRecords, decodeAnnotatedCsv, typedCell } from './annotated-csv-tables.js';

const RESPONSE = [
  '#group,false,false,true,false,false',
  '#datatype,string,long,string,dateTime:RFC3339,double',
  '#default,_result,,,,',
  ',result,table,host,_time,_value',
  ',,0,a,1970-01-01T00:00:01Z,1.5',
  ',,0,a,1970-01-01T00:00:02Z,2.5',
  ',,1,b,1970-01-01T00:00:01Z,3',
  '',
  '#group,false,false,false',
  '#datatype,string,long,string',
  '#default,other,,',
  ',result,table,note',
  ',,0,"multi',
  'line, ""quoted"""',
  '',
].join('\r\n');

describe('decodeAnnotatedCsv', () => {
  it('splits tables by the table column and by annotation blocks, applying #default', () => {
    const tables = decodeAnnotatedCsv(RESPONSE);
    expect(tables.map((t) => [t.result, t.table, t.rows.length])).toEqual([
      ['_result', '0', 2],
      ['_result', '1', 1],
      ['other', '0', 1],
    ]);
    expect(tables[0]!.columns.filter((c) => c.group).map((c) => c.name)).toEqual(['host']);
    // Column 0 is the annotation column: its "datatype" is the annotation's own name.
    expect(tables[0]!.columns.map((c) => c.datatype)).toEqual(['#datatype', 'string', 'long', 'string', 'dateTime:RFC3339', 'double']);
    expect(tables[2]!.rows[0]![3]).toBe('multi\r\nline, "quoted"');
  });

  it('an empty response has no tables', () => {
    expect(decodeAnnotatedCsv('')).toEqual([]);
    expect(decodeAnnotatedCsv('\r\n')).toEqual([]);
  });
});

describe('csvRecords', () => {
  it.each([
    ['a,b\nc,d\n', [['a', 'b'], ['c', 'd']]],
    ['a,b', [['a', 'b']]],
    ['"x\ny",z\r\n', [['x\ny', 'z']]],
    [',\n', [['', '']]],
  ])('%j', (text, records) => {
    expect([...csvRecords(text)]).toEqual(records);
  });
});

describe('typedCell', () => {
  it.each([
    ['double', '1.5', 1.5],
    ['double', '+Inf', 'Infinity'],
    ['long', '-42', -42],
    ['long', '9223372036854775807', '9223372036854775807'],
    ['unsignedLong', '18446744073709551615', '18446744073709551615'],
    ['boolean', 'true', true],
    ['boolean', 'false', false],
    ['string', '', null],
    ['dateTime:RFC3339', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'],
  ])('%s %j', (datatype, text, value) => {
    expect(typedCell(datatype, text)).toEqual(value);
  });
});
