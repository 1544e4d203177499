import { ChunkBuffer } from './chunk-buffer.js';
import { TimeCellWriter, int32Halves } from './time-cell-writer.js';

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
  /** The cells' text, one after another; cell i is `text[ends[i - 1] .. ends[i])` (`ends[-1]` = 0). */
  text: Uint8Array = new Uint8Array(0);
  ends: Int32Array = new Int32Array(0);
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

  #build(values: BigInt64Array, n: number): boolean {
    this.#cached = undefined;
    const out = new ChunkBuffer(FIRST_BYTES);
    const ends = new Int32Array(n);
    const halves = int32Halves(values);
    for (let i = 0; i < n; i++) {
      this.#writer.write(out, values, halves, i);
      if (out.pos > MAX_TEXT_BYTES) return false;
      ends[i] = out.pos;
    }
    this.text = out.buf.subarray(0, out.pos);
    this.ends = ends;
    this.#cached = values;
    this.#rows = n;
    return true;
  }
}
