import type { ChunkBuffer } from './chunk-buffer.js';
import { CsvRowWriter } from './csv-row-writer.js';

/** Strings up to this long are remembered for the next row. */
const LAST_MAX_CHARS = 64;

/**
 * Writes string cells as UTF-8 bytes, quoted exactly as `CsvRowWriter.cell` quotes them. The
 * common case (ASCII, nothing to quote) is copied byte by byte in one pass that also looks for
 * anything needing care; anything else (non-ASCII, a delimiter, quote, CR/LF, leading white space,
 * `\.`) goes through `CsvRowWriter.cell` and Buffer's UTF-8 encoder.
 */
export class StringCellWriter {
  readonly #rows: CsvRowWriter;
  readonly #delimiter: number;
  /** The last string written and its bytes: a column often repeats a value row after row. */
  #last = '';
  readonly #lastBytes = new Uint8Array(LAST_MAX_CHARS * 3 + 2);
  #lastLength = 0;

  constructor(delimiter: string) {
    this.#rows = new CsvRowWriter(delimiter);
    this.#delimiter = delimiter.charCodeAt(0);
  }

  /** The escaped text of one cell (for text written once per table). */
  cellText(s: string): string {
    return this.#rows.cell(s);
  }

  write(out: ChunkBuffer, s: string): void {
    const n = s.length;
    if (n === 0) return;
    if (s === this.#last) {
      out.bytes(this.#lastBytes, this.#lastLength);
      return;
    }
    out.ensure(n);
    const buf = out.buf;
    const start = out.pos;
    const d = this.#delimiter;
    let p = start;
    const first = s.charCodeAt(0);
    // Go's unicode.IsSpace in ASCII: \t \n \v \f \r and space.
    let simple = first !== 32 && (first < 9 || first > 13);
    for (let k = 0; simple && k < n; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80 || c === d || c === 34 || c === 10 || c === 13) simple = false;
      else buf[p++] = c;
    }
    if (simple && !(n === 2 && s === '\\.')) {
      out.pos = p;
    } else {
      out.pos = start;
      out.utf8(this.#rows.cell(s));
    }
    if (n <= LAST_MAX_CHARS) {
      // A copy: the chunk itself belongs to the sink once it is taken.
      this.#last = s;
      this.#lastLength = out.pos - start;
      this.#lastBytes.set(out.buf.subarray(start, out.pos));
    }
  }
}
