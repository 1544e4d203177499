import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRfc3339Nano } from '../../core/time.js';
import type { ColMeta } from '../execute/column.js';
import { GroupKey } from '../execute/group-key.js';
import { tableFromColumns } from '../execute/table-builder.js';
import { streamOf, type TableStream } from '../execute/table-stream.js';
import { Table } from '../execute/table.js';
import { formatFloatDecimal } from '../values/format-float.js';
import type { ColumnType } from '../values/mono-type.js';
import { nullValue, type Value } from '../values/value.js';
import { columnMonoType } from '../values/mono-type.js';
import type { CsvAnnotation, CsvDialect } from './csv-dialect.js';
import { encodeResults } from './result-encoder.js';

// The byte encoder against a straightforward reference: strings built cell by cell, every cell
// formatted from scratch, quoted by Go encoding/csv's rules (CRLF mode), annotations and headers
// as reference §3.2 — the encoder as it was before it wrote bytes.

type Raw = number | bigint | string | boolean | null;

const DATATYPE: Record<ColumnType, string> = {
  bool: 'boolean',
  int: 'long',
  uint: 'unsignedLong',
  float: 'double',
  string: 'string',
  time: 'dateTime:RFC3339',
  duration: 'duration',
};

function refQuote(s: string, d: string): string {
  const needs =
    s !== '' &&
    (s === '\\.' || s.includes(d) || /["\r\n]/.test(s) || /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(s));
  if (!needs) return s;
  return `"${s.replace(/\r/g, '').replace(/"/g, '""').replace(/\n/g, '\r\n')}"`;
}

function refRow(cells: string[], d: string): string {
  return `${cells.map((c) => refQuote(c, d)).join(d)}\r\n`;
}

function refValue(type: ColumnType, v: Raw): string {
  if (v === null) return '';
  switch (type) {
    case 'float':
      return formatFloatDecimal(v as number);
    case 'time':
      return formatRfc3339Nano(v as bigint);
    case 'bool':
      return v ? 'true' : 'false';
    case 'string':
      return v as string;
    default:
      return (v as bigint).toString();
  }
}

function keyValueText(v: Value): string {
  switch (v.kind) {
    case 'null':
      return '';
    case 'float':
      return formatFloatDecimal(v.value);
    case 'time':
      return formatRfc3339Nano(v.value);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'string':
      return v.value;
    case 'duration':
      return v.value.nanoseconds.toString();
    case 'int':
    case 'uint':
      return v.value.toString();
    default:
      throw new Error(`unexpected key value ${v.kind}`);
  }
}

/** A generated table: its rows as raw values (the reference reads these, never the columns). */
interface GenTable {
  table: Table;
  rows: Raw[][];
}

interface GenResult {
  name: string;
  tables: GenTable[];
  /** Pulling table number `failAt` throws (an execution error mid-stream). */
  failAt?: number;
}

function sameSchema(a: Table, b: Table): boolean {
  const eq = (x: readonly ColMeta[], y: readonly ColMeta[]): boolean =>
    x.length === y.length && x.every((c, j) => c.label === y[j]!.label && c.type === y[j]!.type);
  return eq(a.cols, b.cols) && eq(a.key.cols, b.key.cols);
}

function refEncode(results: GenResult[], dialect: CsvDialect): { body: string; error?: string } {
  const d = dialect.delimiter;
  let body = '';
  let wroteTable = false;
  try {
    for (const r of results) {
      let last: Table | undefined;
      for (let id = 0; id <= r.tables.length; id++) {
        if (id === r.failAt) throw new Error(`failed at ${id}, "${r.name}"`);
        if (id === r.tables.length) break;
        const { table, rows } = r.tables[id]!;
        wroteTable = true;
        if (last === undefined || last.isEmpty || table.isEmpty || !sameSchema(last, table)) {
          if (last !== undefined) body += '\r\n';
          for (const a of dialect.annotations) {
            if (a === 'datatype') body += refRow(['#datatype', 'string', 'long', ...table.cols.map((c) => DATATYPE[c.type])], d);
            else if (a === 'group') body += refRow(['#group', 'false', 'false', ...table.cols.map((c) => String(table.key.has(c.label)))], d);
            else {
              const defaults = table.cols.map((c) => (table.isEmpty ? keyValueText(table.key.value(c.label) ?? nullValue(columnMonoType(c.type))) : ''));
              body += refRow(['#default', r.name, table.isEmpty ? String(id) : '', ...defaults], d);
            }
          }
          if (dialect.header) body += refRow(['', 'result', 'table', ...table.cols.map((c) => c.label)], d);
        }
        const hasDefault = dialect.annotations.includes('default');
        for (const row of rows) {
          body += refRow(['', hasDefault ? '' : r.name, String(id), ...row.map((v, j) => refValue(table.cols[j]!.type, v))], d);
        }
        last = table;
      }
      body += '\r\n';
    }
    return { body };
  } catch (e) {
    const message = (e as Error).message;
    if (body === '') throw e;
    body += wroteTable ? '\r\n' : '';
    for (const a of dialect.annotations) {
      if (a === 'datatype') body += refRow(['#datatype', 'string', 'string'], d);
      else if (a === 'group') body += refRow(['#group', 'true', 'true'], d);
      else body += refRow(['#default', '', ''], d);
    }
    body += refRow(['', 'error', 'reference'], d) + refRow(['', message, ''], d);
    return { body, error: message };
  }
}

// ---- generators ----

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const DAY_NS = 86_400_000_000_000n;
const TYPES: ColumnType[] = ['float', 'int', 'uint', 'time', 'duration', 'bool', 'string'];
const STRING_PIECES = ['a', 'host_1', ',', ';', '|', '\t', '"', '\n', '\r', '\r\n', ' ', 'ü', '✓', '😀', '\\.', '\\', '\u00a0', '\u2028', 'x'.repeat(70)];

function valueArb(type: ColumnType): fc.Arbitrary<Raw> {
  switch (type) {
    case 'float':
      return fc.oneof(
        fc.double(),
        fc.integer({ min: -1_000_000, max: 1_000_000 }).map((x) => x / 100),
        fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, NaN, Infinity, -Infinity, 1 / 3),
      );
    case 'int':
    case 'duration':
      return fc.oneof(fc.bigInt(INT64), fc.bigInt({ min: -1000n, max: 1000n }));
    case 'uint':
      return fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 1000n }));
    case 'time':
      // Mostly around one day (the cached date part), sometimes anywhere in int64.
      return fc.oneof(
        fc.bigInt({ min: -2n * DAY_NS, max: 2n * DAY_NS }).map((x) => 1_767_225_600_000_000_000n + x),
        fc.bigInt({ min: 0n, max: 1000n }).map((x) => 1_767_225_600_000_000_000n + x * 300_000_000_000n),
        fc.bigInt(INT64),
      );
    case 'bool':
      return fc.boolean();
    case 'string':
      return fc.array(fc.constantFrom(...STRING_PIECES), { maxLength: 5 }).map((p) => p.join(''));
  }
}

const LABELS = ['_time', '_value', 'host', 'a,b', 'q"x', 'ü', ' lead', 'n'];

/** A schema: 1–5 distinct labels with types, and which of them form the key. */
const schemaArb = fc
  .uniqueArray(fc.constantFrom(...LABELS), { minLength: 1, maxLength: 5 })
  .chain((labels) =>
    fc.tuple(
      fc.constant(labels),
      fc.array(fc.constantFrom(...TYPES), { minLength: labels.length, maxLength: labels.length }),
      fc.array(fc.boolean(), { minLength: labels.length, maxLength: labels.length }),
    ),
  );

function tableArb(schema: [string[], ColumnType[], boolean[]]): fc.Arbitrary<GenTable> {
  const [labels, types, isKey] = schema;
  return fc.integer({ min: 0, max: 8 }).chain((n) =>
    fc
      .tuple(
        ...labels.map((_, j) => {
          const v = fc.option(valueArb(types[j]!), { freq: 4 });
          // Key columns are constant (a table's invariant); others constant or varying.
          return fc
            .tuple(v, fc.array(v, { minLength: n, maxLength: n }), fc.boolean())
            .map(([x, xs, constant]) => (isKey[j] || constant || n === 0 ? Array<Raw>(Math.max(n, 1)).fill(x) : xs));
        }),
      )
      .map((cols): GenTable => {
        const keyLabels = labels.filter((_, j) => isKey[j]);
        if (n === 0) {
          // An empty table carries key values of its own (written in #default).
          const colMetas: ColMeta[] = labels.map((label, j) => ({ label, type: types[j]! }));
          const probe = tableFromColumns(labels.map((l, j) => [l, types[j]!, [cols[j]![0]!]] as const));
          const key = new GroupKey(
            colMetas.filter((c) => keyLabels.includes(c.label)),
            labels.flatMap((l, j) => (keyLabels.includes(l) ? [probe.value(0, j)] : [])),
          );
          return { table: Table.empty(key, colMetas), rows: [] };
        }
        const table = tableFromColumns(labels.map((l, j) => [l, types[j]!, cols[j]!] as const), keyLabels);
        const rows = Array.from({ length: n }, (_, i) => cols.map((c) => c[i]!));
        return { table, rows };
      }),
  );
}

const resultsArb: fc.Arbitrary<GenResult[]> = fc
  .array(schemaArb, { minLength: 1, maxLength: 3 })
  .chain((schemas) =>
    fc.array(
      fc.record({
        name: fc.constantFrom('_result', 'a', 'mean, x', 'ü'),
        tables: fc.array(fc.constantFrom(...schemas).chain(tableArb), { maxLength: 4 }),
        fail: fc.option(fc.nat({ max: 4 }), { freq: 6 }),
      }),
      { maxLength: 3 },
    ),
  )
  .map((rs) => rs.map(({ name, tables, fail }) => (fail === null || fail > tables.length ? { name, tables } : { name, tables, failAt: fail })));

const ANNOTATED: CsvDialect = { header: true, delimiter: ',', annotations: ['datatype', 'group', 'default'] };

const dialectArb: fc.Arbitrary<CsvDialect> = fc.record({
  header: fc.boolean(),
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  annotations: fc.shuffledSubarray<CsvAnnotation>(['datatype', 'group', 'default']),
});

function streams(results: GenResult[]): { name: string; tables: TableStream }[] {
  return results.map((r) => ({
    name: r.name,
    tables:
      r.failAt === undefined
        ? streamOf(r.tables.map((t) => t.table))
        : (async function* (): TableStream {
            for (let id = 0; id < r.failAt!; id++) yield r.tables[id]!.table;
            throw new Error(`failed at ${r.failAt}, "${r.name}"`);
          })(),
  }));
}

async function outcomeOf(run: () => Promise<{ error?: Error }>): Promise<{ error?: string; thrown?: string }> {
  try {
    const o = await run();
    return o.error === undefined ? {} : { error: o.error.message };
  } catch (e) {
    return { thrown: (e as Error).message };
  }
}

describe('annotated CSV encoder = reference encoding (property)', () => {
  it('writes the same text and bytes over random tables, dialects, results and errors', async () => {
    await fc.assert(
      fc.asyncProperty(resultsArb, dialectArb, async (results, dialect) => {
        let want: { body: string; error?: string } | undefined;
        let wantThrown: string | undefined;
        try {
          want = refEncode(results, dialect);
        } catch (e) {
          wantThrown = (e as Error).message;
        }
        let text = '';
        const textOutcome = await outcomeOf(() => encodeResults(streams(results), (c) => void (text += c), dialect));
        const chunks: Buffer[] = [];
        const byteOutcome = await outcomeOf(() => encodeResults(streams(results), { bytes: (b) => void chunks.push(b) }, dialect));
        if (wantThrown !== undefined) {
          expect(textOutcome.thrown).toBe(wantThrown);
          expect(byteOutcome.thrown).toBe(wantThrown);
          return;
        }
        expect(text).toBe(want!.body);
        expect(Buffer.concat(chunks).equals(Buffer.from(want!.body, 'utf8'))).toBe(true);
        expect(textOutcome.error).toBe(want!.error);
        expect(byteOutcome.error).toBe(want!.error);
      }),
      { numRuns: 400 },
    );
  });

  it('follows key changes across empty tables (the key columns are not re-checked per row)', async () => {
    const gen = (spec: [string, ColumnType, Raw[]][], key: string[]): GenTable => ({
      table: tableFromColumns(spec, key),
      rows: Array.from({ length: spec[0]![2].length }, (_, i) => spec.map((c) => c[2][i]!)),
    });
    const x = gen([['a', 'int', [1n, 2n]], ['b', 'int', [7n, 7n]]], ['b']);
    // Same labels and types, other key: a schema change, then an empty table of the new schema.
    const y = gen([['a', 'int', [3n, 3n]], ['b', 'int', [8n, 9n]]], ['a']);
    const emptyY: GenTable = { table: Table.empty(y.table.key, y.table.cols), rows: [] };
    const results: GenResult[] = [{ name: '_result', tables: [x, emptyY, y, x, y] }];
    for (const dialect of [ANNOTATED, { header: true, delimiter: ',', annotations: [] } as CsvDialect]) {
      let text = '';
      await encodeResults(streams(results), (c) => void (text += c), dialect);
      expect(text).toBe(refEncode(results, dialect).body);
    }
  });

  it('grows the buffer for a row bigger than a chunk (long quoted and non-ASCII cells)', async () => {
    const long = `${'ü,"✓'.repeat(40_000)}\n😀`;
    const spec: [string, ColumnType, Raw[]][] = [
      ['s', 'string', ['a', long, 'b', long.slice(3)]],
      ['k', 'string', [long, long, long, long]],
    ];
    const table = tableFromColumns(spec, ['k']);
    const rows = Array.from({ length: 4 }, (_, i) => spec.map((c) => c[2][i]!));
    const results: GenResult[] = [{ name: '_result', tables: [{ table, rows }] }];
    const dialect: CsvDialect = { header: true, delimiter: ',', annotations: ['default'] };
    const chunks: Buffer[] = [];
    await encodeResults(streams(results), { bytes: (b) => void chunks.push(b) }, dialect);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(refEncode(results, dialect).body);
  });

  it('writes windowed-aggregate shaped tables (only _time and a float _value vary, no nulls; chunked) as the reference does', async () => {
    const n = 3_000;
    const values = [1 / 3, -2.5, 0, -0, 7, NaN, Infinity, -Infinity, 1e21, 1e-7, 58.23, -1234567.8901234567];
    const results: GenResult[] = [
      {
        name: '_result',
        tables: [0, 1].map((t) => {
          const spec: [string, ColumnType, Raw[]][] = [
            ['_start', 'time', Array<Raw>(n).fill(1_767_225_600_000_000_000n)],
            ['_time', 'time', Array.from({ length: n }, (_, i) => 1_767_225_600_000_000_000n + BigInt(i + 1) * 300_000_000_000n)],
            ['_value', 'float', Array.from({ length: n }, (_, i) => (i % 13 === 0 ? values[(i / 13) % values.length]! : Math.sin(i + t) * 100))],
            ['_field', 'string', Array<Raw>(n).fill(`f,"${t}"`)],
          ];
          const table = tableFromColumns(spec, ['_start', '_field']);
          return { table, rows: Array.from({ length: n }, (_, i) => spec.map((c) => c[2][i]!)) };
        }),
      },
    ];
    const dialect: CsvDialect = { header: true, delimiter: ',', annotations: ['datatype', 'group', 'default'] };
    const chunks: Buffer[] = [];
    await encodeResults(streams(results), { bytes: (b) => void chunks.push(b) }, dialect);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.filter((c) => c.toString('latin1', c.length - 2) !== '\r\n').length).toBe(0);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(refEncode(results, dialect).body);
  });

  it('writes a table of many rows (constant and varying columns, chunked) as the reference does', async () => {
    const n = 5_000;
    const spec: [string, ColumnType, Raw[]][] = [
      ['_start', 'time', Array<Raw>(n).fill(1_767_225_600_000_000_000n)],
      ['_time', 'time', Array.from({ length: n }, (_, i) => 1_767_225_600_000_000_000n + BigInt(i) * 37_123_456_789n)],
      ['_value', 'float', Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : Math.sin(i) * 100))],
      ['n', 'int', Array.from({ length: n }, (_, i) => BigInt(i * i) - 1000n)],
      ['host', 'string', Array.from({ length: n }, (_, i) => (i % 100 < 50 ? 'a' : `h"${i % 3}`))],
      ['_field', 'string', Array<Raw>(n).fill('usage_user')],
    ];
    const table = tableFromColumns(spec, ['_start', '_field']);
    const rows = Array.from({ length: n }, (_, i) => spec.map((c) => c[2][i]!));
    const results: GenResult[] = [{ name: '_result', tables: [{ table, rows }] }];
    const dialect: CsvDialect = { header: true, delimiter: ',', annotations: ['datatype', 'group', 'default'] };
    const chunks: Buffer[] = [];
    await encodeResults(streams(results), { bytes: (b) => void chunks.push(b) }, dialect);
    expect(chunks.length).toBeGreaterThan(2);
    // Every chunk ends at a row boundary.
    expect(chunks.filter((c) => c.toString('latin1', c.length - 2) !== '\r\n').length).toBe(0);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(refEncode(results, dialect).body);
  });
});
