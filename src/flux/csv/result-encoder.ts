import { toSluiceError } from '../../core/errors.js';
import type { ColMeta } from '../execute/column.js';
import type { Table } from '../execute/table.js';
import type { TableStream } from '../execute/table-stream.js';
import { ANNOTATED_DIALECT, type CsvDialect } from './csv-dialect.js';
import { CsvRowWriter } from './csv-row-writer.js';
import { DATATYPE_OF, cellFormatter, formatValueCell } from './format-cell.js';

/** One named result of a query: what `yield(name:)` (or the implicit `_result`) produces. */
export interface FluxResult {
  readonly name: string;
  readonly tables: TableStream;
}

/**
 * Where encoded text goes. The encoder awaits each call, so a sink that returns a promise
 * (e.g. waiting for a socket's 'drain') applies backpressure all the way up the table stream.
 */
export type CsvSink = (chunk: string) => void | Promise<void>;

/** Rows are handed to the sink in chunks of about this many characters. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Flux's annotated-CSV result encoder (reference §3.2), one instance per response. Writes, per
 * table: the annotation rows the dialect asks for and the header when the schema changes, then
 * one row per record; the leading annotation column is always present (empty on header and data
 * rows). The table id counts from 0 per result.
 */
export class AnnotatedCsvEncoder {
  readonly dialect: CsvDialect;
  readonly #w: CsvRowWriter;
  /** Characters handed to the sink so far (what "has output started" means). */
  #written = 0;
  /** A table has been encoded (then an error gets a blank line before it). */
  #wroteTable = false;

  constructor(dialect: CsvDialect = ANNOTATED_DIALECT) {
    this.dialect = dialect;
    this.#w = new CsvRowWriter(dialect.delimiter);
  }

  get charsWritten(): number {
    return this.#written;
  }

  async #emit(sink: CsvSink, chunk: string): Promise<void> {
    if (chunk.length === 0) return;
    this.#written += chunk.length;
    await sink(chunk);
  }

  /**
   * Encodes one result's tables (without the result separator). An error from the stream
   * propagates after whatever was already written.
   */
  async encodeResult(result: FluxResult, sink: CsvSink): Promise<void> {
    const hasDefault = this.dialect.annotations.includes('default');
    let tableId = 0;
    let last: { cols: readonly ColMeta[]; keyCols: readonly ColMeta[]; empty: boolean } | undefined;
    for await (const table of result.tables) {
      this.#wroteTable = true;
      let out = '';
      if (last === undefined || last.empty || table.isEmpty || schemaChanged(last.cols, table.cols, last.keyCols, table.key.cols)) {
        if (last !== undefined) out += '\r\n';
        out += this.#schema(table, result.name, tableId);
      }
      const prefix = [this.#w.cell(''), this.#w.cell(hasDefault ? '' : result.name), String(tableId)].join(
        this.dialect.delimiter,
      );
      const cells = table.columns.map(cellFormatter);
      const delimiter = this.dialect.delimiter;
      for (let i = 0; i < table.length; i++) {
        let row = prefix;
        for (let j = 0; j < cells.length; j++) {
          const f = cells[j]!;
          const text = f.format(i);
          row += delimiter + (f.mayNeedQuotes ? this.#w.cell(text) : text);
        }
        out += `${row}\r\n`;
        if (out.length >= CHUNK_CHARS) {
          await this.#emit(sink, out);
          out = '';
        }
      }
      await this.#emit(sink, out);
      last = { cols: table.cols, keyCols: table.key.cols, empty: table.isEmpty };
      tableId++;
    }
  }

  #schema(table: Table, resultName: string, tableId: number): string {
    const w = this.#w;
    let out = '';
    for (const a of this.dialect.annotations) {
      if (a === 'datatype') out += w.row(['#datatype', 'string', 'long', ...table.cols.map((c) => DATATYPE_OF[c.type])]);
      else if (a === 'group') {
        out += w.row(['#group', 'false', 'false', ...table.cols.map((c) => String(table.key.has(c.label)))]);
      } else {
        // An empty table carries its id and key values here, having no row to carry them.
        const empty = table.isEmpty;
        const defaults = table.cols.map((c) => {
          const v = empty ? table.key.value(c.label) : undefined;
          return v === undefined ? '' : formatValueCell(v);
        });
        out += w.row(['#default', resultName, empty ? String(tableId) : '', ...defaults]);
      }
    }
    if (this.dialect.header) out += w.row(['', 'result', 'table', ...table.cols.map((c) => c.label)]);
    return out;
  }

  /**
   * Appends an error table (`error,reference`), after a blank line if a table was written.
   * Only the dialect's annotations are written.
   */
  async encodeError(message: string, sink: CsvSink): Promise<void> {
    const w = this.#w;
    let out = this.#wroteTable ? '\r\n' : '';
    for (const a of this.dialect.annotations) {
      if (a === 'datatype') out += w.row(['#datatype', 'string', 'string']);
      else if (a === 'group') out += w.row(['#group', 'true', 'true']);
      else out += w.row(['#default', '', '']);
    }
    out += w.row(['', 'error', 'reference']);
    out += w.row(['', message, '']);
    await this.#emit(sink, out);
  }
}

export interface EncodeOutcome {
  /** An execution error that was written into the body as an error table. */
  readonly error?: Error;
}

/**
 * Encodes every result of a query as one response body (Flux's delimited multi-result encoder):
 * each result followed by CRLF, so results are separated by an empty line and a query with no
 * tables yields `\r\n`.
 *
 * Error contract: an error (from a result's tables or from the result iterator itself) thrown
 * before anything was written is rethrown, so the HTTP layer can still answer with a JSON error
 * and a status. Once output has started it is written as an error table instead, and the promise
 * resolves with `{error}` (the status is already 200). Errors from the sink always propagate.
 */
export async function encodeResults(
  results: AsyncIterable<FluxResult> | Iterable<FluxResult>,
  sink: CsvSink,
  dialect: CsvDialect = ANNOTATED_DIALECT,
): Promise<EncodeOutcome> {
  const encoder = new AnnotatedCsvEncoder(dialect);
  let sinkFailed = false;
  let written = 0;
  const guarded: CsvSink = async (chunk) => {
    written += chunk.length;
    try {
      await sink(chunk);
    } catch (e) {
      sinkFailed = true;
      throw e;
    }
  };
  try {
    for await (const result of results) {
      await encoder.encodeResult(result, guarded);
      await guarded('\r\n');
    }
    return {};
  } catch (e) {
    if (sinkFailed || written === 0) throw e;
    const err = toSluiceError(e);
    await encoder.encodeError(err.message, guarded);
    return { error: err };
  }
}

function schemaChanged(
  lastCols: readonly ColMeta[],
  cols: readonly ColMeta[],
  lastKey: readonly ColMeta[],
  key: readonly ColMeta[],
): boolean {
  if (lastCols.length !== cols.length || lastKey.length !== key.length) return true;
  for (let j = 0; j < cols.length; j++) {
    if (cols[j]!.label !== lastCols[j]!.label || cols[j]!.type !== lastCols[j]!.type) return true;
  }
  for (let j = 0; j < key.length; j++) {
    if (key[j]!.label !== lastKey[j]!.label || key[j]!.type !== lastKey[j]!.type) return true;
  }
  return false;
}
