import { describe, expect, it } from 'vitest';
import { CsvToLineProtocol, splitCsvRow } from './csv-to-line-protocol.js';

const convert = (lines: string[], precisionNs = 1n): (string | null)[] => {
  const c = new CsvToLineProtocol(precisionNs);
  return lines.map((l) => c.convert(l));
};

describe('CsvToLineProtocol', () => {
  it.each([
    {
      name: 'extended #datatype form (docs example)',
      input: ['#datatype measurement,tag,double,dateTime:RFC3339', 'm,host,used_percent,time', 'mem,host1,64.23,2020-01-01T00:00:00Z'],
      out: [null, null, 'mem,host=host1 used_percent=64.23 1577836800000000000'],
    },
    {
      name: 'types in header cells, tags sorted, every field type',
      input: ['m|measurement,z|tag,a|tag,d|double,l|long,u|unsignedLong,b|boolean,s|string,t|dateTime:number', 'cpu,zz,aa,1.5,-3,4,T,"say ""hi"", ok",7'],
      out: [null, 'cpu,a=aa,z=zz d=1.5,l=-3i,u=4u,b=true,s="say \\"hi\\", ok" 7'],
    },
    {
      name: 'dateTime:number scaled by precision',
      input: ['m|measurement,v|long,t|dateTime:number', 'x,1,5'],
      precision: 1_000_000_000n,
      out: [null, 'x v=1i 5000000000'],
    },
    {
      name: 'query-output annotated CSV (result/table/_start/_stop dropped, other strings are tags)',
      input: [
        '#group,false,false,true,true,false,false,true,true,true',
        '#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,string',
        '#default,_result,,,,,,,,',
        ',result,table,_start,_stop,_time,_value,_field,_measurement,host',
        ',,0,2020-01-01T00:00:00Z,2020-01-02T00:00:00Z,2020-01-01T00:00:01Z,15.43,mem,m,A',
      ],
      out: [null, null, null, null, 'm,host=A mem=15.43 1577836801000000000'],
    },
    {
      name: 'escaping of measurement, tag and field keys',
      input: ['m|measurement,tag key|tag,field key|string', 'my m,a=b,"x,y"'],
      out: [null, 'my\\ m,tag\\ key=a\\=b field\\ key="x,y"'],
    },
    {
      name: 'untyped plain CSV: numbers become doubles, text strings; blank line restarts the header',
      input: ['_measurement,v,name', 'w,2,bob', '', '_measurement,k', 'w,3'],
      out: [null, 'w v=2,name="bob"', null, null, 'w k=3'],
    },
    {
      name: '#constant adds a column to every row',
      input: ['#constant measurement,weather', '#datatype tag,double', 'city,temp', 'oslo,3.5'],
      out: [null, null, null, 'weather,city=oslo temp=3.5'],
    },
    {
      name: 'empty tag and field cells are left out',
      input: ['m|measurement,h|tag,a|double,b|double', 'x,,1,'],
      out: [null, 'x a=1'],
    },
  ])('$name', ({ input, out, precision }) => {
    expect(convert(input, precision)).toEqual(out);
  });

  it.each([
    { row: 'x,abc', type: 'long', message: "'abc' cannot fit into long (column v)" },
    { row: 'x,1.5', type: 'unsignedLong', message: "'1.5' cannot fit into unsignedLong (column v)" },
    { row: 'x,maybe', type: 'boolean', message: "'maybe' cannot fit into boolean (column v)" },
    { row: 'x,', type: 'double', message: 'no field data found' },
    { row: ',1', type: 'double', message: 'no measurement column found' },
  ])('rejects $row as $type: $message', ({ row, type, message }) => {
    const c = new CsvToLineProtocol(1n);
    c.convert(`m|measurement,v|${type}`);
    expect(() => c.convert(row)).toThrow(message);
  });
});

describe('splitCsvRow', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,', ['a', '', '']],
    ['', ['']],
    ['"a,b","c""d"', ['a,b', 'c"d']],
    ['x,y\r', ['x', 'y']],
  ])('%j', (line, cells) => {
    expect(splitCsvRow(line)).toEqual(cells);
  });

  it('refuses an unterminated quote', () => {
    expect(() => splitCsvRow('"abc')).toThrow('unterminated quoted CSV cell');
  });
});
