import { columnValue } from '../../../execute/column.js';
import { RowCursor } from '../../../execute/row-cursor.js';
import type { Table } from '../../../execute/table.js';
import { streamOf, type TableStream } from '../../../execute/table-stream.js';
import { CallError, type Args, type BuiltinSpec } from '../../../interpreter/index.js';
import { columnMonoType, T } from '../../../values/mono-type.js';
import { arrayValue, recordValue, streamValue, type FunctionValue, type Value } from '../../../values/value.js';

/** The first table whose group key (as a record) satisfies `fn`, or undefined. */
async function findTable(input: TableStream, fn: FunctionValue): Promise<Table | undefined> {
  const param = fn.type.parameters[0]?.name ?? 'key';
  for await (const t of input) {
    const key = recordValue(t.key.cols.map((c, i) => [c.label, t.key.values[i]!] as const));
    const r = await fn.call(new Map([[param, key]]));
    if (r.kind === 'bool' && r.value) return t;
  }
  return undefined;
}

/** The first table of a one-table stream (`tableFind`'s result). */
async function firstTable(args: Args, name: string): Promise<Table> {
  for await (const t of args.stream(name)) return t;
  throw new CallError('no table found');
}

function columnArray(t: Table, column: string): Value {
  const j = t.colIndex(column);
  if (j < 0) throw new CallError(`cannot find column ${column}`);
  const col = t.columns[j]!;
  const out: Value[] = new Array<Value>(t.length);
  for (let i = 0; i < t.length; i++) out[i] = columnValue(col, i);
  return arrayValue(out, columnMonoType(col.type));
}

function rowRecord(t: Table, idx: bigint): Value {
  if (idx < 0n || idx >= BigInt(t.length)) throw new CallError(`index out of bounds: ${idx}`);
  const c = new RowCursor(t);
  c.row = Number(idx);
  return c.record();
}

/** `tableFind(fn:)`: a stream holding the first table whose key matches; error if none. */
export const tableFind: BuiltinSpec = {
  signature: '(<-tables: stream[A], fn: (key: B) => bool) => stream[A]',
  async call(args) {
    const t = await findTable(args.stream(), args.fn('fn'));
    if (t === undefined) throw new CallError('no table found');
    return streamValue(streamOf([t]));
  },
};

/** `getColumn(column:)`: a column of a table (from `tableFind`) as an array. */
export const getColumn: BuiltinSpec = {
  signature: '(<-table: stream[A], column: string) => [B]',
  async call(args) {
    return columnArray(await firstTable(args, 'table'), args.string('column'));
  },
};

/** `getRecord(idx:)`: row `idx` of a table (from `tableFind`) as a record. */
export const getRecord: BuiltinSpec = {
  signature: '(<-table: stream[A], idx: int) => A',
  async call(args) {
    return rowRecord(await firstTable(args, 'table'), args.int('idx'));
  },
};

/** `findColumn(fn:, column:)`: `getColumn` of the first matching table; `[]` when none matches. */
export const findColumn: BuiltinSpec = {
  signature: '(<-tables: stream[A], fn: (key: B) => bool, column: string) => [C]',
  async call(args) {
    const t = await findTable(args.stream(), args.fn('fn'));
    const column = args.string('column');
    if (t === undefined || t.colIndex(column) < 0) return arrayValue([], T.null);
    return columnArray(t, column);
  },
};

/** `findRecord(fn:, idx:)`: `getRecord` of the first matching table; `{}` when none matches. */
export const findRecord: BuiltinSpec = {
  signature: '(<-tables: stream[A], fn: (key: B) => bool, idx: int) => A',
  async call(args) {
    const t = await findTable(args.stream(), args.fn('fn'));
    const idx = args.int('idx');
    if (t === undefined || idx < 0n || idx >= BigInt(t.length)) return recordValue([]);
    return rowRecord(t, idx);
  },
};
