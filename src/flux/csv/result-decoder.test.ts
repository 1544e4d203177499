import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRfc3339Ns } from '../../core/time.js';
import { columnValue, isValid } from '../execute/column.js';
import { diffTables } from '../execute/diff-tables.js';
import { tableFromColumns } from '../execute/table-builder.js';
import { streamOf } from '../execute/table-stream.js';
import type { Table } from '../execute/table.js';
import { displayValue } from '../values/format-value.js';
import { ANNOTATED_DIALECT } from './csv-dialect.js';
import { readCsvRecords } from './csv-record-reader.js';
import { csvFromTables, decodeAnnotatedCsv, type DecodedResult } from './result-decoder.js';
import { encodeResults } from './result-encoder.js';

/** Rows as display strings, `<null>` for null: compact and type-revealing enough for tests. */
function rows(t: Table): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < t.length; i++) out.push(t.columns.map((c) => (isValid(c, i) ? displayValue(columnValue(c, i)) : '<null>')));
  return out;
}
const schema = (t: Table): string[] => t.cols.map((c) => `${c.label}:${c.type}${t.key.has(c.label) ? '*' : ''}`);

async function encode(results: DecodedResult[]): Promise<string> {
  let out = '';
  await encodeResults(
    results.map((r) => ({ name: r.name, tables: streamOf(r.tables) })),
    (c) => {
      out += c;
    },
    ANNOTATED_DIALECT,
  );
  return out;
}

describe('readCsvRecords', () => {
  it.each<[string, string[][]]>([
    ['a,b\r\nc,d\r\n', [['a', 'b'], ['c', 'd']]],
    ['a,b\n\n\r\nc,d', [['a', 'b'], ['c', 'd']]],
    ['"x,y","say ""hi"""\n', [['x,y', 'say "hi"']]],
    ['"multi\r\nline",2\r\n', [['multi\nline', '2']]],
    ['a"b,c\n', [['a"b', 'c']]],
    ['"a"b",c\n', [['a"b', 'c']]],
    ['"open,end', [['open,end']]],
    [',,\n', [['', '', '']]],
    ['a,\r\n', [['a', '']]],
  ])('%j', (text, want) => {
    expect(readCsvRecords(text).map((r) => r.cells)).toEqual(want);
  });
  it('numbers records by their first line', () => {
    expect(readCsvRecords('a\n"b\nc"\n\nd\n').map((r) => r.line)).toEqual([1, 2, 5]);
  });
});

describe('decodeAnnotatedCsv', () => {
  it('decodes a Flux test input with defaults, groups and several tables', () => {
    const text = `
#datatype,string,long,dateTime:RFC3339,double,string,string
#group,false,false,false,false,true,true
#default,_result,,,,,
,result,table,_time,_value,_field,host
,,0,2018-05-22T19:53:26Z,34.98,used,a
,,0,2018-05-22T19:53:36Z,,used,a
,,1,2018-05-22T19:53:26Z,1.5,used,b
`;
    const [result, ...more] = decodeAnnotatedCsv(text);
    expect(more).toEqual([]);
    expect(result!.name).toBe('_result');
    expect(result!.tables.map((t) => t.key.toString())).toEqual(['{_field=used,host=a}', '{_field=used,host=b}']);
    expect(schema(result!.tables[0]!)).toEqual(['_time:time', '_value:float', '_field:string*', 'host:string*']);
    expect(rows(result!.tables[0]!)).toEqual([
      ['2018-05-22T19:53:26.000000000Z', '34.98', 'used', 'a'],
      ['2018-05-22T19:53:36.000000000Z', '<null>', 'used', 'a'],
    ]);
  });

  it('reads annotations in any order and applies #default values to empty cells', () => {
    const text = [
      '#group,false,false,true,false',
      '#default,res,,x,7',
      '#datatype,string,long,string,long',
      ',result,table,k,v',
      ',,0,,',
      ',,0,,3',
    ].join('\r\n');
    const [r] = decodeAnnotatedCsv(text);
    expect(r!.name).toBe('res');
    expect(r!.tables[0]!.key.toString()).toBe('{k=x}');
    expect(rows(r!.tables[0]!)).toEqual([
      ['x', '7'],
      ['x', '3'],
    ]);
  });

  it('splits results by #default result name and blocks by blank lines', () => {
    const text = `#datatype,string,long,long
#group,false,false,false
#default,a,,
,result,table,x
,,0,1

#datatype,string,long,string
#group,false,false,false
#default,a,,
,result,table,y
,,1,s

#datatype,string,long,boolean
#group,false,false,false
#default,b,,
,result,table,z
,,0,true
`;
    const results = decodeAnnotatedCsv(text);
    expect(results.map((r) => [r.name, r.tables.map(schema)])).toEqual([
      ['a', [['x:int'], ['y:string']]],
      ['b', [['z:bool']]],
    ]);
  });

  it('builds an empty table from a block without rows, keyed by its defaults', () => {
    const text = `#datatype,string,long,string,double
#group,false,false,true,false
#default,_result,3,h1,
,result,table,host,_value
`;
    const [r] = decodeAnnotatedCsv(text);
    const t = r!.tables[0]!;
    expect(t.isEmpty).toBe(true);
    expect(t.key.toString()).toBe('{host=h1}');
    expect(schema(t)).toEqual(['host:string*', '_value:float']);
    // Without a #default table id too (Flux refuses; its own test files contain such blocks).
    const bare = decodeAnnotatedCsv('#datatype,string,long,double\n#group,false,false,false\n#default,_result,,\n,result,table,x\n');
    expect(bare[0]!.tables.map((x) => x.length)).toEqual([0]);
  });

  it('decodes every datatype', () => {
    const text = [
      '#datatype,string,long,string,long,unsignedLong,double,boolean,dateTime:RFC3339,dateTime:RFC3339Nano,duration,dateTime',
      '#group,false,false,false,false,false,false,false,false,false,false,false',
      '#default,_result,,,,,,,,,,',
      ',result,table,s,i,u,f,b,t,tn,d,tt',
      ',,0,"a ""q"", b",-9223372036854775808,18446744073709551615,-1.5e3,true,2024-01-01T00:00:00Z,2024-01-01T00:00:00.123456789Z,1500000000,2024-01-01T01:00:00+01:00',
      ',,0,"line1\r\nline2",42,0,NaN,f,2024-01-01T00:00:00.5Z,1970-01-01T00:00:00Z,1h30m,2024-01-01T00:00:00Z',
      ',,0,,,,+Inf,FALSE,,,,',
    ].join('\r\n');
    const t = decodeAnnotatedCsv(text)[0]!.tables[0]!;
    expect(schema(t)).toEqual(['s:string', 'i:int', 'u:uint', 'f:float', 'b:bool', 't:time', 'tn:time', 'd:duration', 'tt:time']);
    expect(rows(t)).toEqual([
      ['a "q", b', '-9223372036854775808', '18446744073709551615', '-1500', 'true', '2024-01-01T00:00:00.000000000Z', '2024-01-01T00:00:00.123456789Z', '1s500ms', '2024-01-01T00:00:00.000000000Z'],
      ['line1\nline2', '42', '0', 'NaN', 'false', '2024-01-01T00:00:00.500000000Z', '1970-01-01T00:00:00.000000000Z', '1h30m', '2024-01-01T00:00:00.000000000Z'],
      ['<null>', '<null>', '<null>', '+Inf', 'false', '<null>', '<null>', '<null>', '<null>'],
    ]);
    // An empty string cell is null (no #null annotation support, as in Flux).
    expect(isValid(t.columns[0]!, 2)).toBe(false);
  });

  it('decodes raw mode as one table of strings', () => {
    const [r] = decodeAnnotatedCsv('#a,b\r\n1,\r\n"x,y",z\r\n', { mode: 'raw' });
    const t = r!.tables[0]!;
    expect(r!.name).toBe('_result');
    expect(schema(t)).toEqual(['#a:string', 'b:string']);
    expect(rows(t)).toEqual([
      ['1', '<null>'],
      ['x,y', 'z'],
    ]);
    expect(decodeAnnotatedCsv('', { mode: 'raw' })).toEqual([]);
  });

  it('reads a header-less block as col0, col1, ...', () => {
    const text = '#datatype,string,long,long\n#group,false,false,false\n#default,_result,,\n,,0,5\n';
    const t = decodeAnnotatedCsv(text, { header: false })[0]!.tables[0]!;
    expect(schema(t)).toEqual(['col0:int']);
  });

  it('accepts only #datatype when asked to be lenient', () => {
    const t = decodeAnnotatedCsv('#datatype,string,long,long\n,result,table,x\n,r,0,1\n', {
      requireAllAnnotations: false,
    })[0]!;
    expect(t.name).toBe('_result');
    expect(rows(t.tables[0]!)).toEqual([['1']]);
  });

  it.each<[string, string, RegExp]>([
    ['no annotations', ',result,table,x\n,,0,1\n', /^line 1: missing expected annotation datatype\. consider using the mode: "raw"/],
    ['no #group', '#datatype,string,long,long\n#default,_result,,\n,result,table,x\n', /missing expected annotation group/],
    ['no #default', '#datatype,string,long,long\n#group,false,false,false\n,result,table,x\n', /missing expected annotation default/],
    ['bad datatype', '#datatype,string,long,int\n#group,false,false,false\n#default,_result,,\n,result,table,x\n', /column "x" has invalid datatype: unsupported data type "int"/],
    ['ragged annotations', '#datatype,string,long,long\n#group,false,false\n#default,_result,,\n,result,table,x\n', /line 2: failed to read annotations: wrong number of fields/],
    ['ragged header', '#datatype,string,long,long\n#group,false,false,false\n#default,_result,,\n,result,table\n', /line 4: failed to read header row/],
    ['missing header', '#datatype,string,long,long\n#group,false,false,false\n#default,_result,,\n', /missing expected header row/],
    ['ragged row', '#datatype,string,long,long\n#group,false,false,false\n#default,_result,,\n,result,table,x\n,,0,1,2\n', /line 5: wrong number of fields: 5, expected 4/],
    ['bad long', '#datatype,string,long,long\n#group,false,false,false\n#default,_result,,\n,result,table,x\n,,0,1.5\n', /line 5: column "x": invalid long "1.5"/],
    ['long overflow', '#datatype,string,long,long\n#group,false,false,false\n#default,_result,,\n,result,table,x\n,,0,9223372036854775808\n', /out of range/],
    ['negative uint', '#datatype,string,long,unsignedLong\n#group,false,false,false\n#default,_result,,\n,result,table,x\n,,0,-1\n', /invalid unsignedLong "-1"/],
    ['bad time', '#datatype,string,long,dateTime:RFC3339\n#group,false,false,false\n#default,_result,,\n,result,table,x\n,,0,yesterday\n', /line 5: column "x": invalid dateTime "yesterday"/],
    ['bad bool', '#datatype,string,long,boolean\n#group,false,false,false\n#default,_result,,\n,result,table,x\n,,0,yes\n', /invalid boolean "yes"/],
    ['bad default', '#datatype,string,long,double\n#group,false,false,false\n#default,_result,,abc\n,result,table,x\n', /column "x" has invalid default value: invalid double "abc"/],
    ['bad default table id', '#datatype,string,long,double\n#group,false,false,false\n#default,_result,x,\n,result,table,x\n', /default Table ID is not an integer/],
    ['month duration', '#datatype,string,long,duration\n#group,false,false,false\n#default,_result,,\n,result,table,x\n,,0,1mo\n', /cannot hold months/],
    ['serialized error', '#datatype,string,string\n#group,true,true\n#default,,\n,error,reference\n,"query failed: boom",\n', /^query failed: boom$/],
    ['serialized error, no annotations', ',error,reference\n,oops,42\n', /^oops,42$/],
  ])('rejects %s', (_n, text, msg) => {
    expect(() => decodeAnnotatedCsv(text)).toThrow(msg);
  });
});

describe('csvFromTables', () => {
  const block = (name: string): string =>
    `#datatype,string,long,long\n#group,false,false,false\n#default,${name},,\n,result,table,x\n,,0,1\n`;
  it('returns the tables of the single result and skips a byte-order mark', () => {
    expect(csvFromTables(`\uFEFF${block('_result')}`).map(schema)).toEqual([['x:int']]);
    expect(csvFromTables('')).toEqual([]);
    expect(csvFromTables('a\nb\n', 'raw').map(schema)).toEqual([['a:string']]);
  });
  it('refuses several results', () => {
    expect(() => csvFromTables(`${block('a')}\n${block('b')}`)).toThrow('csv.from() can only parse 1 result');
  });
});

describe('encode → decode round trip', () => {
  it('restores tables, keys and results', async () => {
    const t1 = tableFromColumns(
      [
        ['_time', 'time', [parseRfc3339Ns('2024-01-01T00:00:00.000000001Z'), null]],
        ['_value', 'float', [0.1, null]],
        ['host', 'string', [' h,"1"\n', ' h,"1"\n']],
        ['n', 'int', [-1, null]],
        ['u', 'uint', [7, 8]],
        ['ok', 'bool', [null, true]],
        ['d', 'duration', [5n, null]],
      ],
      ['host'],
    );
    const t2 = tableFromColumns([['s', 'string', ['', 'x']]]);
    const results: DecodedResult[] = [
      { name: '_result', tables: [t1] },
      { name: 'other', tables: [t2] },
    ];
    const back = decodeAnnotatedCsv(await encode(results));
    expect(back.map((r) => r.name)).toEqual(['_result', 'other']);
    expect(back.map((r) => r.tables.map(schema))).toEqual(results.map((r) => r.tables.map(schema)));
    expect(diffTables(back[0]!.tables, [t1]).equal).toBe(true);
    expect(rows(back[0]!.tables[0]!)[0]![2]).toBe(' h,"1"\n');
    // An empty string is written as an empty cell and so reads back as null, as in Flux.
    expect(rows(back[1]!.tables[0]!)).toEqual([['<null>'], ['x']]);
  });

  it('round-trips arbitrary float and string columns', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.option(fc.double(), { nil: null }), fc.string({ minLength: 1 })), { minLength: 1, maxLength: 20 }),
        async (cells) => {
          const strings = cells.map(([, s]) => s.replace(/\r/g, ''));
          const table = tableFromColumns([
            ['f', 'float', cells.map(([f]) => f)],
            ['s', 'string', strings],
          ]);
          const [back] = decodeAnnotatedCsv(await encode([{ name: '_result', tables: [table] }]));
          const t = back!.tables[0]!;
          for (let i = 0; i < table.length; i++) {
            const want = table.value(i, 0);
            const got = t.value(i, 0);
            expect(got.kind).toBe(want.kind);
            if (want.kind === 'float') expect(Object.is((got as typeof want).value, want.value) || (got as typeof want).value === want.value).toBe(true);
            expect(t.value(i, 1)).toEqual(table.value(i, 1));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
