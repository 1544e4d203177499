import { describe, expect, it } from 'vitest';
import { parseRfc3339Ns } from '../../core/time.js';
import { GroupKey } from '../execute/group-key.js';
import { Table } from '../execute/table.js';
import { tableFromColumns } from '../execute/table-builder.js';
import { streamOf, type TableStream } from '../execute/table-stream.js';
import { stringValue } from '../values/value.js';
import { ANNOTATED_DIALECT, PLAIN_DIALECT, dialectFromJson, type CsvDialect } from './csv-dialect.js';
import { CsvRowWriter } from './csv-row-writer.js';
import { encodeResults, type FluxResult } from './result-encoder.js';

const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
const t = (s: string): bigint => parseRfc3339Ns(s);

async function encode(results: FluxResult[], dialect: CsvDialect = ANNOTATED_DIALECT): Promise<string> {
  let out = '';
  await encodeResults(results, (c) => {
    out += c;
  }, dialect);
  return out;
}

/** The two tables of reference §3.2's example response. */
function referenceTables(): Table[] {
  const mk = (sensor: string, times: string[], values: number[]): Table =>
    tableFromColumns(
      [
        ['_start', 'time', times.map(() => t('2024-01-01T00:00:00Z'))],
        ['_stop', 'time', times.map(() => t('2024-01-01T00:16:40Z'))],
        ['_time', 'time', times.map(t)],
        ['_value', 'float', values],
        ['_field', 'string', times.map(() => 'v')],
        ['_measurement', 'string', times.map(() => 'cc_m')],
        ['sensor', 'string', times.map(() => sensor)],
      ],
      ['_start', '_stop', '_field', '_measurement', 'sensor'],
    );
  return [
    mk('a', ['2024-01-01T00:00:00Z', '2024-01-01T00:00:02Z'], [0, 2]),
    mk('b', ['2024-01-01T00:00:01Z'], [1]),
  ];
}

describe('annotated CSV encoder', () => {
  it('writes each row\'s own cells in a key column that does not hold one value (as Flux does for decoded CSV)', async () => {
    const mixed = tableFromColumns(
      [
        ['_value', 'float', [1, 2, 3]],
        ['host', 'string', ['h1', 'h2', 'h1']],
      ],
      ['host'],
    );
    const out = await encode([{ name: '_result', tables: streamOf([mixed]) }]);
    expect(out.split('\r\n').filter((l) => l.startsWith(',,0,'))).toEqual([',,0,1,h1', ',,0,2,h2', ',,0,3,h1']);
  });

  it('writes reference §3.2 byte for byte', async () => {
    const body = await encode([{ name: '_result', tables: streamOf(referenceTables()) }]);
    expect(body).toBe(
      crlf(`#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,string
#group,false,false,true,true,false,false,true,true,true
#default,_result,,,,,,,,
,result,table,_start,_stop,_time,_value,_field,_measurement,sensor
,,0,2024-01-01T00:00:00Z,2024-01-01T00:16:40Z,2024-01-01T00:00:00Z,0,v,cc_m,a
,,0,2024-01-01T00:00:00Z,2024-01-01T00:16:40Z,2024-01-01T00:00:02Z,2,v,cc_m,a
,,1,2024-01-01T00:00:00Z,2024-01-01T00:16:40Z,2024-01-01T00:00:01Z,1,v,cc_m,b

`),
    );
  });

  it('without annotations keeps the empty first column and names the result in every row', async () => {
    const body = await encode([{ name: 'mean', tables: streamOf(referenceTables().slice(1)) }], PLAIN_DIALECT);
    expect(body).toBe(
      crlf(`,result,table,_start,_stop,_time,_value,_field,_measurement,sensor
,mean,0,2024-01-01T00:00:00Z,2024-01-01T00:16:40Z,2024-01-01T00:00:01Z,1,v,cc_m,b

`),
    );
  });

  it('honours annotation order, no header and another delimiter', async () => {
    const table = tableFromColumns([['x', 'int', [1]]]);
    const body = await encode([{ name: 'r', tables: streamOf([table]) }], {
      header: false,
      delimiter: ';',
      annotations: ['group', 'datatype'],
    });
    expect(body).toBe(crlf('#group;false;false;false\n#datatype;string;long;long\n;r;0;1\n\n'));
  });

  it('starts a new block on a schema change and around empty tables', async () => {
    const a = tableFromColumns([['x', 'int', [1]]]);
    const b = tableFromColumns([['x', 'int', [2]]]);
    const c = tableFromColumns([['y', 'string', ['s']]]);
    const key = GroupKey.of([[{ label: 'host', type: 'string' }, stringValue('h1')]]);
    const empty = Table.empty(key, [
      { label: 'host', type: 'string' },
      { label: 'x', type: 'int' },
    ]);
    const d = tableFromColumns([['y', 'string', ['t']]]);
    const body = await encode([{ name: '_result', tables: streamOf([a, b, c, empty, d]) }]);
    expect(body).toBe(
      crlf(`#datatype,string,long,long
#group,false,false,false
#default,_result,,
,result,table,x
,,0,1
,,1,2

#datatype,string,long,string
#group,false,false,false
#default,_result,,
,result,table,y
,,2,s

#datatype,string,long,string,long
#group,false,false,true,false
#default,_result,3,h1,
,result,table,host,x

#datatype,string,long,string
#group,false,false,false
#default,_result,,
,result,table,y
,,4,t

`),
    );
  });

  it('separates results with an empty line and restarts table ids', async () => {
    const x = tableFromColumns([['v', 'bool', [true]]]);
    const y = tableFromColumns([['v', 'bool', [false]]]);
    const body = await encode(
      [
        { name: 'a', tables: streamOf([x]) },
        { name: 'b', tables: streamOf([y]) },
        { name: 'none', tables: streamOf([]) },
      ],
      { ...ANNOTATED_DIALECT, annotations: ['default'] },
    );
    expect(body).toBe(crlf('#default,a,,\n,result,table,v\n,,0,true\n\n#default,b,,\n,result,table,v\n,,0,false\n\n\n'));
  });

  it('answers a query with no tables with a lone CRLF', async () => {
    expect(await encode([{ name: '_result', tables: streamOf([]) }])).toBe('\r\n');
    expect(await encode([])).toBe('');
  });

  it('formats every column type and null', async () => {
    const table = tableFromColumns([
      ['f', 'float', [1e21, NaN, Infinity, -Infinity, 0.5, null]],
      ['i', 'int', [-9223372036854775808n, 0, 1, 2, 3, null]],
      ['u', 'uint', [18446744073709551615n, 0, 1, 2, 3, null]],
      ['b', 'bool', [true, false, true, false, true, null]],
      ['t', 'time', [t('2024-01-01T00:00:00.5Z'), t('2024-01-01T00:00:00.123456789Z'), 0n, -1n, 1n, null]],
      ['d', 'duration', [1_000_000_000n, 0n, 1n, 2n, 3n, null]],
      ['s', 'string', ['x', '', 'a b', 'c', 'd', null]],
    ]);
    const body = await encode([{ name: '_result', tables: streamOf([table]) }]);
    const lines = body.split('\r\n');
    expect(lines[0]).toBe('#datatype,string,long,double,long,unsignedLong,boolean,dateTime:RFC3339,duration,string');
    expect(lines.slice(4, 10)).toEqual([
      ',,0,1000000000000000000000,-9223372036854775808,18446744073709551615,true,2024-01-01T00:00:00.5Z,1000000000,x',
      ',,0,NaN,0,0,false,2024-01-01T00:00:00.123456789Z,0,',
      ',,0,+Inf,1,1,true,1970-01-01T00:00:00Z,1,a b',
      ',,0,-Inf,2,2,false,1969-12-31T23:59:59.999999999Z,2,c',
      ',,0,0.5,3,3,true,1970-01-01T00:00:00.000000001Z,3,d',
      ',,0,,,,,,,',
    ]);
  });

  it('quotes like Go encoding/csv in CRLF mode', () => {
    const w = new CsvRowWriter(',');
    expect(
      [
        'va,l=ue',
        'str "q" \\ x',
        ' lead',
        '\tlead',
        '\u00a0nbsp',
        'trail ',
        'a\nb',
        'a\r\nb',
        'a\rb',
        '\\.',
        '',
        'plain',
      ].map((c) => w.cell(c)),
    ).toEqual([
      '"va,l=ue"',
      '"str ""q"" \\ x"',
      '" lead"',
      '"\tlead"',
      '"\u00a0nbsp"',
      'trail ',
      '"a\r\nb"',
      '"a\r\nb"',
      '"ab"',
      '"\\."',
      '',
      'plain',
    ]);
    expect(new CsvRowWriter(';').cell('a,b')).toBe('a,b');
    expect(new CsvRowWriter(';').cell('a;b')).toBe('"a;b"');
  });
});

/** A one-column table big enough (≈ 250 kB of CSV) to take several chunks. */
function bigTable(k: number): Table {
  return tableFromColumns([['s', 'string', Array.from({ length: 10_000 }, (_, i) => `value-${k}-${i}`)]]);
}

describe('backpressure and chunking', () => {
  it.each(['text', 'bytes'])('awaits the %s sink within a big table and before pulling the next', async (mode) => {
    const log: string[] = [];
    async function* producer(): TableStream {
      for (let k = 0; k < 3; k++) {
        log.push(`pull ${k}`);
        yield bigTable(k);
      }
    }
    let pending = 0;
    let body = '';
    const write = async (chunk: string): Promise<void> => {
      pending++;
      log.push('write');
      expect(pending).toBe(1);
      body += chunk;
      await new Promise((r) => setTimeout(r, 1));
      pending--;
    };
    await encodeResults([{ name: 'r', tables: producer() }], mode === 'text' ? write : { bytes: (b) => write(b.toString('utf8')) });
    // Each pull happens only after the previous table's writes resolved, and each big table
    // takes several writes.
    const pulls = log.flatMap((x, i) => (x.startsWith('pull') ? [i] : []));
    expect(pulls).toEqual([0, expect.any(Number), expect.any(Number)]);
    expect(pulls[1]! - pulls[0]!).toBeGreaterThanOrEqual(3);
    expect(pulls[2]! - pulls[1]!).toBeGreaterThanOrEqual(3);
    expect(log.length - pulls[2]!).toBeGreaterThanOrEqual(3);
    expect(body).toBe(await encode([{ name: 'r', tables: streamOf([bigTable(0), bigTable(1), bigTable(2)]) }]));
  });

  it('awaits the sink before pulling the next table, one write per small table', async () => {
    const log: string[] = [];
    async function* producer(): TableStream {
      for (let k = 0; k < 3; k++) {
        log.push(`pull ${k}`);
        yield tableFromColumns([['x', 'int', [k]]]);
      }
    }
    let pending = 0;
    await encodeResults([{ name: 'r', tables: producer() }], async () => {
      pending++;
      log.push('write');
      expect(pending).toBe(1);
      await new Promise((r) => setTimeout(r, 2));
      pending--;
    });
    // Each pull happens only after the previous table's write resolved.
    expect(log).toEqual(['pull 0', 'write', 'pull 1', 'write', 'pull 2', 'write', 'write']);
  });

  it.each([0, 1, 3])('reuses a chunk only after the sink says it is done with it (released %i chunks late)', async (lag) => {
    const held: { chunk: Buffer; copy: Buffer; done: () => void }[] = [];
    const tables = [bigTable(0), bigTable(1), bigTable(2)];
    await encodeResults([{ name: '_result', tables: streamOf(tables) }], {
      bytes: (chunk, done) => {
        held.push({ chunk, copy: Buffer.from(chunk), done });
        // Release the chunk `lag` chunks later; until then it must stay intact.
        if (held.length > lag) held[held.length - 1 - lag]!.done();
        for (const h of held.slice(Math.max(0, held.length - 1 - lag))) expect(h.chunk.equals(h.copy)).toBe(true);
      },
    });
    expect(held.length).toBeGreaterThan(5);
    expect(Buffer.concat(held.map((h) => h.copy)).toString('utf8')).toBe(await encode([{ name: '_result', tables: streamOf(tables) }]));
  });

  it('hands out chunks the encoder never touches again, each ending at a row boundary', async () => {
    const chunks: Buffer[] = [];
    const small = Array.from({ length: 50 }, (_, k) => tableFromColumns([['x', 'int', [k]], ['s', 'string', [`ü${k}`]]], ['x']));
    const tables = [...small, bigTable(0), ...small, bigTable(1)];
    await encodeResults([{ name: '_result', tables: streamOf(tables) }], { bytes: (b) => void chunks.push(b) });
    expect(chunks.length).toBeGreaterThan(100);
    for (const c of chunks) expect(c.subarray(-2).toString()).toBe('\r\n');
    expect(Buffer.concat(chunks).toString('utf8')).toBe(await encode([{ name: '_result', tables: streamOf(tables) }]));
  });
});

describe('errors while encoding', () => {
  async function* failing(first: Table[], message: string): TableStream {
    yield* first;
    throw new Error(message);
  }

  it('writes an error table once output has started', async () => {
    let body = '';
    const outcome = await encodeResults(
      [{ name: '_result', tables: failing([tableFromColumns([['x', 'int', [1]]])], 'boom, mid-stream') }],
      (c) => {
        body += c;
      },
    );
    expect(outcome.error?.message).toBe('boom, mid-stream');
    expect(body).toBe(
      crlf(`#datatype,string,long,long
#group,false,false,false
#default,_result,,
,result,table,x
,,0,1

#datatype,string,string
#group,true,true
#default,,
,error,reference
,"boom, mid-stream",
`),
    );
  });

  it('writes only the requested annotations in the error table', async () => {
    let body = '';
    await encodeResults(
      [
        { name: '_result', tables: streamOf([]) },
        { name: 'second', tables: failing([], 'late') },
      ],
      (c) => {
        body += c;
      },
      PLAIN_DIALECT,
    );
    expect(body).toBe(crlf('\n,error,reference\n,late,\n'));
  });

  it('rethrows an error raised before any output', async () => {
    const sink = (): void => undefined;
    await expect(encodeResults([{ name: '_result', tables: failing([], 'early') }], sink)).rejects.toThrow('early');
    async function* noResults(): AsyncIterable<FluxResult> {
      yield* [];
      throw new Error('planning failed');
    }
    await expect(encodeResults(noResults(), sink)).rejects.toThrow('planning failed');
  });

  it('propagates sink failures instead of writing into a broken sink', async () => {
    let calls = 0;
    const sink = (): void => {
      calls++;
      if (calls === 2) throw new Error('socket closed');
    };
    const many = [tableFromColumns([['x', 'int', [1]]]), tableFromColumns([['y', 'int', [1]]])];
    await expect(encodeResults([{ name: 'r', tables: streamOf(many) }], sink)).rejects.toThrow('socket closed');
    expect(calls).toBe(2);
    let rejected = 0;
    const asyncSink = { bytes: () => (++rejected === 1 ? Promise.reject(new Error('reset')) : Promise.resolve()) };
    await expect(encodeResults([{ name: 'r', tables: streamOf(many) }], asyncSink)).rejects.toThrow('reset');
    expect(rejected).toBe(1);
  });
});

describe('dialectFromJson', () => {
  it.each<[unknown, CsvDialect]>([
    [undefined, PLAIN_DIALECT],
    [{}, PLAIN_DIALECT],
    [
      { header: false, delimiter: '\t', annotations: ['default', 'datatype'], quoteChar: '"', dateTimeFormat: 'RFC3339Nano' },
      { header: false, delimiter: '\t', annotations: ['default', 'datatype'] },
    ],
  ])('accepts %j', (json, want) => {
    expect(dialectFromJson(json)).toEqual(want);
  });
  it.each<[unknown, RegExp]>([
    [{ annotations: ['datatype', 'nope'] }, /^unknown dialect annotation type: nope$/],
    [{ delimiter: ';;' }, /^invalid dialect delimeter: must be length 1$/],
    [{ delimiter: 'é' }, /^invalid dialect delimeter: must be length 1$/],
    [{ delimiter: '"' }, /^invalid dialect delimeter character$/],
    [{ commentPrefix: '##' }, /^invalid dialect comment prefix: must be length 0 or 1$/],
    [{ dateTimeFormat: 'unix' }, /^unknown dialect date time format: unix$/],
    [{ header: 'yes' }, /header must be a boolean/],
  ])('rejects %j', (json, msg) => {
    expect(() => dialectFromJson(json)).toThrow(msg);
  });
});
