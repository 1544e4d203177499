import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAnnotatedCsv } from '../../flux/csv/index.js';
import { columnValue } from '../../flux/execute/column.js';
import type { Table } from '../../flux/execute/table.js';
import { stringOf } from '../../flux/values/format-value.js';
import type { Value } from '../../flux/values/value.js';
import { CsvTableSplitter } from './csv-table-splitter.js';

function cell(v: Value): string | null {
  return v.kind === 'null' ? null : stringOf(v);
}

/** Tables as comparable text: key, columns with types, and every cell as Flux prints it. */
function dump(tables: readonly Table[]): string[] {
  return tables.map((t) => {
    const key = t.key.cols.map((c, i) => `${c.label}=${cell(t.key.values[i]!)}`).join(',');
    const cols = t.cols.map((c) => `${c.label}:${c.type}`).join(',');
    const rows = Array.from({ length: t.length }, (_, i) => t.columns.map((c) => JSON.stringify(cell(columnValue(c, i)))).join(','));
    return `{${key}} ${cols}\n${rows.join('\n')}`;
  });
}

function wholeTables(text: string): string[] {
  return dump(decodeAnnotatedCsv(text).flatMap((r) => r.tables));
}

/** Splits `text` at `cuts`, pushes the parts, decodes each piece on its own. */
function splitTables(text: string, cuts: readonly number[]): { pieces: string[]; tables: string[] } {
  const s = new CsvTableSplitter();
  const pieces: string[] = [];
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    pieces.push(...s.push(text.slice(prev, c)));
    prev = c;
  }
  pieces.push(...s.push(text.slice(prev)), ...s.end());
  return { pieces, tables: dump(pieces.flatMap((p) => decodeAnnotatedCsv(p).flatMap((r) => r.tables))) };
}

const CRLF = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

const DOCUMENTS: Record<string, { text: string; tables: number }> = {
  'two tables in one block, then a block of another schema (InfluxDB/Sluice output)': {
    text: CRLF([
      '#group,false,false,true,true,false,false,true,true,true',
      '#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,string',
      '#default,_result,,,,,,,,',
      ',result,table,_start,_stop,_time,_value,_field,_measurement,host',
      ',,0,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,2026-01-01T00:00:00Z,1.5,usage,cpu,a',
      ',,0,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,2026-01-01T00:01:00.000000001Z,2.5,usage,cpu,a',
      ',,1,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,2026-01-01T00:00:00Z,-3,usage,cpu,b',
      '',
      '#group,false,false,true,true,false,false,true,true,true',
      '#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,string,string,string,string',
      '#default,_result,,,,,,,,',
      ',result,table,_start,_stop,_time,_value,_field,_measurement,host',
      ',,2,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,2026-01-01T00:00:00Z,"a, ""quoted""',
      'and a newline",note,status,a',
      ',,3,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,2026-01-01T00:00:00Z,,note,status,"b,c"',
      '',
    ]),
    tables: 4,
  },
  'every datatype, LF line ends, quoted result name': {
    text: [
      '#datatype,string,long,long,unsignedLong,double,boolean,string,dateTime:RFC3339Nano,duration',
      '#group,false,false,true,false,false,false,false,false,false',
      '#default,"my,result",,,,,,,,',
      ',result,table,i,u,f,b,s,t,d',
      ',"my,result",7,-9223372036854775808,18446744073709551615,+Inf,true,"",2026-01-01T00:00:00.123456789Z,1h2m',
      ',"my,result",7,-9223372036854775808,0,NaN,false,x,1970-01-01T00:00:00Z,-5ns',
      ',"my,result",8,1,,1e-300,,"",,',
      '',
    ].join('\n'),
    tables: 2,
  },
  'a block without rows is one empty table': {
    text: CRLF([
      '#datatype,string,long,string,long',
      '#group,false,false,true,false',
      '#default,_result,0,k,',
      ',result,table,tag,_value',
      '',
      '#datatype,string,long,string,long',
      '#group,false,false,true,false',
      '#default,_result,,,',
      ',result,table,tag,_value',
      ',,1,x,5',
    ]),
    tables: 2,
  },
  'no line end at the end, inside a quoted cell holding CRLF; blank lines between rows': {
    text:
      '#datatype,string,long,string,string\r\n#group,false,false,true,false\r\n#default,_result,,,\r\n,result,table,k,s\r\n' +
      ',,0,a,x\r\n\r\n,,0,a,y\r\n\n,,1,b,"two\r\nlines, ""here"""',
    tables: 2,
  },
  'rows with an empty table cell continue the table before them': {
    text: CRLF([
      '#datatype,string,long,string,long',
      '#group,false,false,true,false',
      '#default,_result,4,,',
      ',result,table,tag,_value',
      ',,,x,1',
      ',,,x,2',
      ',,5,y,3',
      ',,,y,4',
    ]),
    tables: 2,
  },
};

describe('CsvTableSplitter', () => {
  it.each(Object.entries(DOCUMENTS))('%s: one piece per table, decoded alike however the text is cut', (_name, doc) => {
    const whole = wholeTables(doc.text);
    expect(whole).toHaveLength(doc.tables);
    const unsplit = splitTables(doc.text, []);
    expect(unsplit.pieces).toHaveLength(doc.tables);
    expect(unsplit.tables).toEqual(whole);
    // Every single cut, then random sets of cuts.
    for (let c = 0; c <= doc.text.length; c++) expect(splitTables(doc.text, [c]).tables).toEqual(whole);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: doc.text.length }), { maxLength: 30 }), (cuts) => {
        expect(splitTables(doc.text, cuts).tables).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('a piece is complete as soon as the next table starts (nothing waits for the end)', () => {
    const s = new CsvTableSplitter();
    const head = '#datatype,string,long,long\r\n#group,false,false,false\r\n#default,_result,,\r\n,result,table,v\r\n';
    expect(s.push(`${head},,0,1\r\n,,0,2\r\n`)).toEqual([]);
    const first = s.push(',,1,3\r\n');
    expect(first).toEqual([`${head},,0,1\r\n,,0,2\r\n`]);
    expect(s.end()).toEqual([`${head},,1,3\r\n`]);
  });

  it('an error table at the end is its own piece and decodes to the error it carries', () => {
    const text = CRLF([
      '#datatype,string,long,long',
      '#group,false,false,false',
      '#default,_result,,',
      ',result,table,v',
      ',,0,1',
      '',
      '#datatype,string,string',
      '#group,true,true',
      '#default,,',
      ',error,reference',
      ',"failed: a, b",',
    ]);
    const { pieces } = (() => {
      const s = new CsvTableSplitter();
      return { pieces: [...s.push(text), ...s.end()] };
    })();
    expect(pieces).toHaveLength(2);
    expect(decodeAnnotatedCsv(pieces[0]!)[0]!.tables).toHaveLength(1);
    expect(() => decodeAnnotatedCsv(pieces[1]!)).toThrow('failed: a, b');
  });

  it('no text, or only blank lines, is no piece', () => {
    const s = new CsvTableSplitter();
    expect([...s.push('\r\n\r\n'), ...s.end()]).toEqual([]);
  });
});
