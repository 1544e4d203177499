import { ChunkBuffer } from './chunk-buffer.js';
import { LITTLE_ENDIAN, TimeCellWriter, int32Halves } from './time-cell-writer.js';

/** A time column's text is kept only up to this size (about 50,000 cells). */
const MAX_TEXT_BYTES = 1 << 20;
/** The first buffer of a column's text (grown as needed): 400 cells of a whole-second time. */
const FIRST_BYTES = 8 * 1024;

/**
 * The RFC3339 text of every cell of one time column, formatted once and copied from then on.
 * Windowed aggregates hand every series the same `_time` array (storage shares the window
 * arrays of series with the same windows), so the 100 tables of a 5-minute mean over 100 hosts
 * format 288 times once instead of 28,800 times. Keyed by the array's identity: Flux columns are
 * never written once made, so the same array means the same times.
 *
 * Use: `of(values, n)` at a table's first row returns this cache when it holds `values`' first
 * `n` cells, building it when `values` is the array the previous call named (the second table
 * sharing it); else it remembers `values` and returns undefined, and the caller formats cells
 * itself. `built` is for the table's later rows (after a flush).
 */
export class TimeColumnText {
  #last: BigInt64Array | undefined;
  #cached: BigInt64Array | undefined;
  #rows = 0;
  /**
   * The cells' text, each starting at a multiple of four bytes: cell i is `lengths[i]` bytes from
   * word `at[i]` of `words` (zero-padded to a whole word). Copied a word at a time
   * (`copyCell`): a time cell is 20 bytes, and a byte loop spends a store on each.
   */
  words: Int32Array = new Int32Array(0);
  at: Int32Array = new Int32Array(0);
  lengths: Int32Array = new Int32Array(0);
  readonly #writer = new TimeCellWriter();

  /**
   * This cache if it already holds `values`' first `n` cells, else undefined; never builds (for
   * the rest of a table whose first rows were written without the cache: a second use of the
   * same array by the same table is no reason to format the whole column).
   */
  built(values: BigInt64Array, n: number): TimeColumnText | undefined {
    return values === this.#cached && n <= this.#rows ? this : undefined;
  }

  of(values: BigInt64Array, n: number): TimeColumnText | undefined {
    if (values === this.#cached && n <= this.#rows) return this;
    if (values !== this.#last) {
      this.#last = values;
      return undefined;
    }
    return this.#build(values, n) ? this : undefined;
  }

  /** The text of cell `i` (tests, diagnostics). */
  cellText(i: number): string {
    return Buffer.from(this.words.buffer, 4 * this.at[i]!, this.lengths[i]!).toString('latin1');
  }

  /**
   * Copies cell `i` to `out` at its position, a word at a time, and advances it. Up to three
   * bytes past the cell are written too (the padding), within room this makes; the caller
   * writes over them next.
   */
  copyCell(out: ChunkBuffer, i: number): void {
    const length = this.lengths[i]!;
    const words = (length + 3) >> 2;
    out.ensure(4 * words);
    const view = out.view;
    const w = this.words;
    const p = out.pos;
    let k = this.at[i]!;
    for (let q = p; q < p + length; q += 4) view.setInt32(q, w[k++]!, LITTLE_ENDIAN);
    out.pos = p + length;
  }

  #build(values: BigInt64Array, n: number): boolean {
    this.#cached = undefined;
    const out = new ChunkBuffer(FIRST_BYTES);
    const at = new Int32Array(n);
    const lengths = new Int32Array(n);
    const halves = int32Halves(values);
    for (let i = 0; i < n; i++) {
      const start = out.pos;
      this.#writer.write(out, values, halves, i);
      lengths[i] = out.pos - start;
      // Zero padding to the next word.
      out.ensure(3);
      while ((out.pos & 3) !== 0) out.buf[out.pos++] = 0;
      at[i] = start >> 2;
      if (out.pos > MAX_TEXT_BYTES) return false;
    }
    // A copy of its own (the builder's buffer is larger), word-aligned at offset 0.
    const words = new Int32Array(out.pos >> 2);
    new Uint8Array(words.buffer).set(out.buf.subarray(0, out.pos));
    this.words = words;
    this.at = at;
    this.lengths = lengths;
    this.#cached = values;
    this.#rows = n;
    return true;
  }
}
