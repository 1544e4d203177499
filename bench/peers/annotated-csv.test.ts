import { describe, expect, it } from 'vitest';
import { parseAnnotatedCsv, parseCsvRecords } from './annotated-csv.js';

describe('parseCsvRecords', () => {
  const cases: Array<{ name: string; text: string; want: string[][] }> = [
    { name: 'LF lines', text: 'a,b\n1,2\n', want: [['a', 'b'], ['1', '2']] },
    { name: 'CRLF lines and a blank line', text: 'a,b\r\n\r\nc,d\r\n', want: [['a', 'b'], [], ['c', 'd']] },
    { name: 'empty cells', text: ',x,\n', want: [['', 'x', '']] },
    { name: 'quoted comma, quote and newline', text: '"a,b","say ""hi""","two\nlines"\n', want: [['a,b', 'say "hi"', 'two\nlines']] },
    { name: 'no final newline', text: '1,2', want: [['1', '2']] },
  ];
  it.each(cases)('$name', ({ text, want }) => {
    expect(parseCsvRecords(text)).toEqual(want);
  });
});

describe('parseAnnotatedCsv', () => {
  it('splits blocks at annotations and blank lines and keeps the datatypes', () => {
    const text = [
      '#datatype,string,long,double,string',
      '#group,false,false,false,true',
      '#default,_result,,,',
      ',result,table,_value,hostname',
      ',,0,1.5,host_0',
      ',,1,2.5,host_1',
      '',
      '#datatype,string,long,long',
      '#group,false,false,false',
      '#default,_result,,',
      ',result,table,_value',
      ',,0,7',
      '',
    ].join('\r\n');
    const blocks = parseAnnotatedCsv(text);
    expect(blocks.map((b) => b.header)).toEqual([
      ['', 'result', 'table', '_value', 'hostname'],
      ['', 'result', 'table', '_value'],
    ]);
    expect(blocks[0]!.rows).toEqual([
      ['', '', '0', '1.5', 'host_0'],
      ['', '', '1', '2.5', 'host_1'],
    ]);
    expect(blocks[1]!.datatypes?.[3]).toBe('long');
  });

  it('reads header-only CSV (no annotations)', () => {
    const blocks = parseAnnotatedCsv(',result,table,_value\n,_result,0,3\n\n,result,table,x\n,_result,0,y\n');
    expect(blocks).toHaveLength(2);
    expect(blocks[1]!.rows).toEqual([['', '_result', '0', 'y']]);
  });

  it('turns an error table into an error', () => {
    const text = '#datatype,string,string\n#group,true,true\n#default,,\n,error,reference\n,panic: boom,\n';
    expect(() => parseAnnotatedCsv(text)).toThrow('Flux error table: panic: boom');
  });
});
