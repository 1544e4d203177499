import { toSluiceError } from '../../core/errors.js';
import type { ColMeta } from '../execute/column.js';
import type { Table } from '../execute/table.js';
import type { TableStream } from '../execute/table-stream.js';
import { ANNOTATED_DIALECT, type CsvDialect } from './csv-dialect.js';
import { ChunkBuffer } from './chunk-buffer.js';
import { CsvRowWriter } from './csv-row-writer.js';
import { DATATYPE_OF, formatValueCell } from './format-cell.js';
import { TableRowsWriter } from './table-rows-writer.js';
import { anchorShapes } from '../../core/shape-anchors.js';

/** One named result of a query: what `yield(name:)` (or the implicit `_result`) produces. */
export interface FluxResult {
  readonly name: string;
  readonly tables: TableStream;
}

/**
 * Where encoded text goes: a function receiving text, or an object receiving UTF-8 bytes (what
 * a socket wants; no decoding and re-encoding). The encoder awaits each call when it returns a
 * promise, so a sink that waits for a socket's 'drain' applies backpressure all the way up the
 * table stream. A chunk always ends at a row boundary. A byte chunk belongs to the sink: the
 * encoder never touches it again (a socket may hold it until it is flushed).
 */
export type CsvSink = CsvTextSink | CsvByteSink;
export type CsvTextSink = (chunk: string) => void | Promise<void>;
export interface CsvByteSink {
  /**
   * Takes a chunk. A sink may call `done` once it will never read the chunk again (e.g. from a
   * socket's write callback); the encoder then writes later chunks into the same memory. Not
   * calling it is always safe.
   */
  bytes(chunk: Buffer, done: () => void): void | Promise<void>;
}

/**
 * Encoded output is handed to the sink at the end of each table, and within a table whenever this
 * many bytes are buffered (checked after each row). A sink that wants fewer, larger writes for
 * many small tables batches them itself (the HTTP route corks the socket for a tick).
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * Flux's annotated-CSV result encoder (reference §3.2), one instance per response. Writes, per
 * table: the annotation rows the dialect asks for and the header when the schema changes, then
 * one row per record; the leading annotation column is always present (empty on header and data
 * rows). The table id counts from 0 per result. Output is buffered as `CHUNK_BYTES` says.
 */
export class AnnotatedCsvEncoder {
  readonly dialect: CsvDialect;
  readonly #w: CsvRowWriter;
  readonly #rows: TableRowsWriter;
  readonly #out = new ChunkBuffer(CHUNK_BYTES + 16 * 1024);
  readonly #sink: CsvSink;
  /** Bytes encoded so far, buffered or handed out (what "has output started" means). */
  #flushedBytes = 0;
  /** A table has been encoded (then an error gets a blank line before it). */
  #wroteTable = false;
  #sinkFailed = false;

  constructor(sink: CsvSink, dialect: CsvDialect = ANNOTATED_DIALECT) {
    this.dialect = dialect;
    this.#sink = sink;
    this.#w = new CsvRowWriter(dialect.delimiter);
    this.#rows = new TableRowsWriter(dialect.delimiter);
  }

  get bytesWritten(): number {
    return this.#flushedBytes + this.#out.pos;
  }

  /** The sink threw or rejected (then nothing more may be written to it). */
  get sinkFailed(): boolean {
    return this.#sinkFailed;
  }

  /** Hands whatever is buffered to the sink. */
  flush(): Promise<void> | void {
    const chunk = this.#out.take();
    if (chunk === undefined) return;
    this.#flushedBytes += chunk.length;
    const sink = this.#sink;
    const failed = (e: unknown): never => {
      this.#sinkFailed = true;
      throw e;
    };
    let pending: Promise<void> | void = undefined;
    try {
      if (typeof sink === 'function') {
        // The text is a copy: the chunk's memory can be written again at once.
        const text = chunk.toString('utf8');
        this.#out.recycle(chunk);
        pending = sink(text);
      } else {
        let released = false;
        pending = sink.bytes(chunk, () => {
          if (released) return;
          released = true;
          this.#out.recycle(chunk);
        });
      }
    } catch (e) {
      failed(e);
    }
    return pending === undefined ? undefined : pending.then(undefined, failed);
  }

  /**
   * Encodes one result's tables (without the result separator). An error from the stream
   * propagates after whatever was already written.
   */
  async encodeResult(result: FluxResult): Promise<void> {
    const hasDefault = this.dialect.annotations.includes('default');
    const out = this.#out;
    const flush = (): Promise<void> | void => this.flush();
    // A data row starts with the annotation cell (empty), the result (named only without a
    // #default annotation) and the table id.
    const d = this.dialect.delimiter;
    const rowStart = this.#w.cell('') + d + this.#w.cell(hasDefault ? '' : result.name) + d;
    let tableId = 0;
    let lastCols: readonly ColMeta[] | undefined;
    let lastKeyCols: readonly ColMeta[] = [];
    let lastEmpty = false;
    for await (const table of result.tables) {
      this.#wroteTable = true;
      const same = lastCols !== undefined && !schemaChanged(lastCols, table.cols, lastKeyCols, table.key.cols);
      if (!same || lastEmpty || table.isEmpty) {
        out.utf8((lastCols !== undefined ? '\r\n' : '') + this.#schema(table, result.name, tableId));
      }
      const writing = this.#rows.write(table, rowStart + String(tableId), out, CHUNK_BYTES, flush, same);
      if (writing !== undefined) await writing;
      const flushing = this.flush();
      if (flushing !== undefined) await flushing;
      lastCols = table.cols;
      lastKeyCols = table.key.cols;
      lastEmpty = table.isEmpty;
      tableId++;
    }
  }

  /** Ends a result: an empty line (so a query with no tables yields `\r\n`). */
  async endResult(): Promise<void> {
    this.#out.utf8('\r\n');
    await this.flush();
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
   * Appends an error table (`error,reference`), after a blank line if a table was written, and
   * flushes. Only the dialect's annotations are written.
   */
  async encodeError(message: string): Promise<void> {
    const w = this.#w;
    let out = this.#wroteTable ? '\r\n' : '';
    for (const a of this.dialect.annotations) {
      if (a === 'datatype') out += w.row(['#datatype', 'string', 'string']);
      else if (a === 'group') out += w.row(['#group', 'true', 'true']);
      else out += w.row(['#default', '', '']);
    }
    out += w.row(['', 'error', 'reference']);
    out += w.row(['', message, '']);
    this.#out.utf8(out);
    await this.flush();
  }
}

// One encoder kept alive keeps its row writers', time caches' and chunk buffer's maps (shape-anchors.ts).
anchorShapes(new AnnotatedCsvEncoder({ bytes: () => undefined }));

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
  const encoder = new AnnotatedCsvEncoder(sink, dialect);
  try {
    for await (const result of results) {
      await encoder.encodeResult(result);
      await encoder.endResult();
    }
    await encoder.flush();
    return {};
  } catch (e) {
    if (encoder.sinkFailed || encoder.bytesWritten === 0) throw e;
    const err = toSluiceError(e);
    await encoder.encodeError(err.message);
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
