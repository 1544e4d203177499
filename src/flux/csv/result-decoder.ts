import { ErrorCode, SluiceError, invalid } from '../../core/errors.js';
import type { ColMeta } from '../execute/column.js';
import { ColumnBuilder } from '../execute/column-builder.js';
import { GroupKey } from '../execute/group-key.js';
import type { MemoryBudget } from '../execute/memory-budget.js';
import { Table } from '../execute/table.js';
import { columnMonoType } from '../values/mono-type.js';
import { nullValue, type Value } from '../values/value.js';
import { readCsvRecords, type CsvRecord } from './csv-record-reader.js';
import { columnTypeOfDatatype, parseCell, parseTimeCell } from './parse-cell.js';

export interface DecodedResult {
  readonly name: string;
  readonly tables: readonly Table[];
}

export interface DecodeOptions {
  /**
   * `annotations` (default): annotated CSV as Flux writes it. `raw`: no annotations; the first
   * row is the header, every column is a string, all rows form one table of result `_result`
   * (`csv.from(mode: "raw")`).
   */
  readonly mode?: 'annotations' | 'raw';
  /** Whether a header row follows the annotations (default true); without it columns are `col0`, ... */
  readonly header?: boolean;
  /**
   * Flux requires all three of `#datatype`, `#group`, `#default` (and so does this decoder by
   * default). When false only `#datatype` is required: group defaults to false everywhere and
   * default to empty (result `_result`), which reads responses of clients that ask for fewer.
   */
  readonly requireAllAnnotations?: boolean;
  readonly delimiter?: string;
  readonly budget?: MemoryBudget;
}

/**
 * `csv.from(csv:, mode:)`: the tables of the one result the text may hold. More than one result
 * is Flux's FailedPrecondition `csv.from() can only parse 1 result`; no result is no tables.
 * (Flux prefixes every csv.from error with `error in csv.from(): `; that belongs to the builtin.)
 */
export function csvFromTables(text: string, mode: 'annotations' | 'raw' = 'annotations'): readonly Table[] {
  const results = decodeAnnotatedCsv(text, { mode });
  if (results.length > 1) throw invalid('csv.from() can only parse 1 result');
  return results[0]?.tables ?? [];
}

/** A double in plain decimal/exponent form (the rest, `NaN`/`Inf`, goes through parseCell). */
const PLAIN_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Column offset of the first table column in annotated rows: annotation, result, table. */
const RECORD_START = 3;

interface BlockMeta {
  readonly resultName: string;
  readonly defaultTableId: string;
  readonly cols: readonly ColMeta[];
  readonly group: readonly boolean[];
  readonly defaults: readonly Value[];
  readonly width: number;
}

/**
 * Decodes annotated CSV (as written by Flux, InfluxDB, or by hand in Flux tests) into results of
 * tables. Annotation rows (`#datatype`, `#group`, `#default`, in any order; unknown `#...` rows
 * ignored) start a block; the header row follows; data rows follow it until the next annotation
 * row. Within a block a change of the `table` cell starts a new table; an empty cell takes the
 * column's `#default` value, or null. A block with no rows is an empty table keyed by its
 * `#default` values. Consecutive blocks with the same result name (from `#default`) form one
 * result. An error table (`error,reference` header) is thrown as the error it carries.
 *
 * Errors are `invalid` with the line number and column; Flux's wording is kept where Flux
 * reports the same problem (`missing expected annotation datatype...`).
 */
export function decodeAnnotatedCsv(text: string, options: DecodeOptions = {}): DecodedResult[] {
  // A leading byte-order mark is not part of the first cell (Flux's csv.from skips it too).
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records = readCsvRecords(body, options.delimiter ?? ',');
  if (options.mode === 'raw') return decodeRaw(records, options);
  const results: { name: string; tables: Table[] }[] = [];
  let pos = 0;
  while (pos < records.length) {
    const { meta, next } = readBlockMeta(records, pos, options);
    pos = next;
    let current = results[results.length - 1];
    if (current === undefined || current.name !== meta.resultName) {
      current = { name: meta.resultName, tables: [] };
      results.push(current);
    }
    // Data rows until the next annotation row.
    let table: TableAccumulator | undefined;
    while (pos < records.length) {
      const rec = records[pos]!;
      const first = rec.cells[0]!;
      if (first !== '') {
        if (first.startsWith('#')) break;
        throw atLine(rec, `expected an empty annotation cell in a data row, found "${first}"`);
      }
      if (rec.cells.length !== meta.width) {
        throw atLine(rec, `wrong number of fields: ${rec.cells.length}, expected ${meta.width}`);
      }
      const id = rec.cells[2]!;
      if (table === undefined || (id !== '' && id !== table.id)) {
        if (table !== undefined) current.tables.push(table.finish());
        table = new TableAccumulator(meta, id === '' ? meta.defaultTableId : id, rec, options.budget);
      }
      table.append(rec);
      pos++;
    }
    // A block without rows is one empty table. Flux wants a `#default` table id for it and
    // fails without one; Flux's own tests contain such blocks (never read), so accept them.
    if (table === undefined) {
      current.tables.push(new TableAccumulator(meta, meta.defaultTableId, undefined, options.budget).finish());
    } else current.tables.push(table.finish());
  }
  return results;
}

function readBlockMeta(
  records: readonly CsvRecord[],
  start: number,
  options: DecodeOptions,
): { meta: BlockMeta; next: number } {
  let pos = start;
  let width = -1;
  let datatypes: readonly string[] | undefined;
  let groups: readonly string[] | undefined;
  let defaults: readonly string[] | undefined;
  let resultName = '_result';
  let defaultTableId = '';
  while (pos < records.length && records[pos]!.cells[0]!.startsWith('#')) {
    const rec = records[pos]!;
    if (width < 0) width = rec.cells.length;
    if (rec.cells.length !== width) throw atLine(rec, 'failed to read annotations: wrong number of fields');
    const name = rec.cells[0]!.slice(1);
    if (name === 'datatype' || name === 'group' || name === 'default') {
      if (rec.cells.length < RECORD_START) throw atLine(rec, `failed to read "${name}" annotation: wrong number of fields`);
      const values = rec.cells.slice(RECORD_START);
      if (name === 'datatype') datatypes = values;
      else if (name === 'group') groups = values;
      else {
        defaults = values;
        resultName = rec.cells[1]!;
        defaultTableId = rec.cells[2]!;
        if (defaultTableId !== '' && !/^[+-]?\d+$/.test(defaultTableId)) {
          throw atLine(rec, 'default Table ID is not an integer');
        }
      }
    }
    pos++;
  }
  // An error table may come with any (or no) annotations: report the error it carries.
  const headerRec = records[pos];
  if (headerRec !== undefined && headerRec.cells.length > 1 && headerRec.cells[1] === 'error' && options.header !== false) {
    throw serializedError(records, pos);
  }
  const strict = options.requireAllAnnotations !== false;
  const where = pos < records.length ? `line ${records[pos]!.line}: ` : '';
  if (datatypes === undefined) {
    throw invalid(
      `${where}missing expected annotation datatype. consider using the mode: "raw" for csv that is not expected to have annotations.`,
    );
  }
  if (strict && groups === undefined) throw invalid(`${where}missing expected annotation group`);
  if (strict && defaults === undefined) throw invalid(`${where}missing expected annotation default`);
  const n = datatypes.length;

  let labels: string[];
  if (options.header === false) labels = datatypes.map((_, j) => `col${j}`);
  else {
    const rec = records[pos];
    if (rec === undefined) throw invalid('missing expected header row');
    if (rec.cells.length !== width) throw atLine(rec, 'failed to read header row: wrong number of fields');
    labels = rec.cells.slice(RECORD_START);
    pos++;
  }
  const cols: ColMeta[] = [];
  const defaultValues: Value[] = [];
  for (let j = 0; j < n; j++) {
    const label = labels[j]!;
    let type;
    try {
      type = columnTypeOfDatatype(datatypes[j]!);
    } catch (e) {
      throw invalid(`column "${label}" has invalid datatype: ${(e as Error).message}`);
    }
    cols.push({ label, type });
    const d = defaults?.[j] ?? '';
    try {
      defaultValues.push(d === '' ? nullValue(columnMonoType(type)) : parseCell(d, type));
    } catch (e) {
      throw invalid(`column "${label}" has invalid default value: ${(e as Error).message}`);
    }
  }
  const group = cols.map((_, j) => groups?.[j] === 'true');
  return { meta: { resultName, defaultTableId, cols, group, defaults: defaultValues, width }, next: pos };
}

/** Rows of one table being decoded; the key comes from the first row (or the defaults). */
class TableAccumulator {
  readonly id: string;
  readonly #meta: BlockMeta;
  readonly #key: GroupKey;
  readonly #builders: ColumnBuilder[];
  #length = 0;

  constructor(meta: BlockMeta, id: string, first: CsvRecord | undefined, budget?: MemoryBudget) {
    this.id = id;
    this.#meta = meta;
    const keyCols: ColMeta[] = [];
    const keyValues: Value[] = [];
    meta.cols.forEach((c, j) => {
      if (!meta.group[j]) return;
      keyCols.push(c);
      keyValues.push(first === undefined ? meta.defaults[j]! : this.#cell(first, j));
    });
    this.#key = new GroupKey(keyCols, keyValues);
    this.#builders = meta.cols.map((c) => new ColumnBuilder(c.type, budget));
  }

  #cell(rec: CsvRecord, j: number): Value {
    const text = rec.cells[RECORD_START + j]!;
    if (text === '') return this.#meta.defaults[j]!;
    try {
      return parseCell(text, this.#meta.cols[j]!.type);
    } catch (e) {
      throw atLine(rec, `column "${this.#meta.cols[j]!.label}": ${(e as Error).message}`);
    }
  }

  append(rec: CsvRecord): void {
    const cols = this.#meta.cols;
    for (let j = 0; j < this.#builders.length; j++) {
      const text = rec.cells[RECORD_START + j]!;
      const b = this.#builders[j]!;
      // Common types straight into the column; the rest (and defaults) through Values.
      if (text === '') b.pushValue(this.#meta.defaults[j]!);
      else if (cols[j]!.type === 'string') b.pushString(text);
      else if (cols[j]!.type === 'time') {
        try {
          b.pushBigInt(parseTimeCell(text));
        } catch (e) {
          throw atLine(rec, `column "${cols[j]!.label}": ${(e as Error).message}`);
        }
      } else if (cols[j]!.type === 'float' && PLAIN_FLOAT.test(text)) b.pushFloat(Number(text));
      else b.pushValue(this.#cell(rec, j));
    }
    this.#length++;
  }

  finish(): Table {
    return new Table(
      this.#key,
      this.#meta.cols,
      this.#builders.map((b) => b.finish(this.#length)),
      this.#length,
    );
  }
}

function decodeRaw(records: readonly CsvRecord[], options: DecodeOptions): DecodedResult[] {
  if (records.length === 0) return [];
  const width = records[0]!.cells.length;
  let pos = 0;
  const labels =
    options.header === false ? records[0]!.cells.map((_, j) => `col${j}`) : [...records[pos++]!.cells];
  const builders = labels.map(() => new ColumnBuilder('string', options.budget));
  for (; pos < records.length; pos++) {
    const rec = records[pos]!;
    if (rec.cells.length !== width) throw atLine(rec, `wrong number of fields: ${rec.cells.length}, expected ${width}`);
    rec.cells.forEach((c, j) => (c === '' ? builders[j]!.pushNull() : builders[j]!.pushString(c)));
  }
  const length = records.length - (options.header === false ? 0 : 1);
  const cols: ColMeta[] = labels.map((label) => ({ label, type: 'string' }));
  const table = new Table(GroupKey.EMPTY, cols, builders.map((b) => b.finish(length)), length);
  return [{ name: '_result', tables: [table] }];
}

/** An error table in the input (`,error,reference` header): the error it carries. */
function serializedError(records: readonly CsvRecord[], headerPos: number): SluiceError {
  const row = records[headerPos + 1];
  if (row === undefined) return invalid('unexpected end of input after an error header');
  const message = row.cells[1] ?? '';
  const reference = row.cells[2] ?? '';
  return new SluiceError(ErrorCode.Internal, reference === '' ? message : `${message},${reference}`, {
    details: { serialized: true },
  });
}

function atLine(rec: CsvRecord, message: string): SluiceError {
  return invalid(`line ${rec.line}: ${message}`);
}
