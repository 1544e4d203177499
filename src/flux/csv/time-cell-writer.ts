import { formatRfc3339Nano } from '../../core/time.js';
import { anchorShapes } from '../../core/shape-anchors.js';
import { ChunkBuffer } from './chunk-buffer.js';
import { DIGIT_PAIRS } from './digit-pairs.js';

const NS_PER_DAY = 86_400_000_000_000;
const NS_PER_DAY_N = 86_400_000_000_000n;
const TWO_32 = 4294967296;
const INT64_MIN = -(2n ** 63n);
/** Longest RFC3339Nano text of an int64 time (a 12-digit negative year and 9 fraction digits). */
export const TIME_CELL_MAX_BYTES = 48;

/**
 * Whether this machine stores the low-order bytes first (then a time's halves can be read as int32s, and
 * DataView writes of int32 words must say so to keep their bytes in memory order).
 */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Writes `timestampNs` values as RFC3339Nano UTC text (exactly `formatRfc3339Nano`), bytes
 * straight into a ChunkBuffer. The date part ('YYYY-MM-DDT') is formatted once per day and kept:
 * a time within the cached day needs only double arithmetic on its two 32-bit halves (no BigInt,
 * no Date), because its offset into the day is below 2^53. One writer per column: consecutive rows
 * of a column are usually on the same day.
 */
export class TimeCellWriter {
  /** The cached day's first nanosecond, as int64 halves (high signed, low unsigned). */
  #dayHi = 0;
  #dayLo = 0;
  #dayPrefix: Uint8Array = new Uint8Array(0);
  #hasDay = false;
  /**
   * The day cached before the current one: aggregateWindow tables end on the next day's midnight
   * (a window's stop), then the next table starts on the first day again — two days in turn.
   */
  #prevHi = 0;
  #prevLo = 0;
  #prevPrefix: Uint8Array | undefined;

  /**
   * Writes row `i` of a time column; `halves` is the column's values viewed as Int32Array
   * (`int32Halves`), `values` the column itself (read only when the day changes).
   */
  write(out: ChunkBuffer, values: BigInt64Array, halves: Int32Array | null, i: number): void {
    let offset: number;
    if (halves !== null) {
      const lo = halves[2 * i]! >>> 0;
      const hi = halves[2 * i + 1]!;
      // Exact when within a day of the cached day; far off, it is far outside [0, 1 day) anyway.
      offset = (hi - this.#dayHi) * TWO_32 + (lo - this.#dayLo);
      if (!this.#hasDay || offset < 0 || offset >= NS_PER_DAY) {
        const prev = (hi - this.#prevHi) * TWO_32 + (lo - this.#prevLo);
        if (this.#hasDay && this.#prevPrefix !== undefined && prev >= 0 && prev < NS_PER_DAY) {
          this.#swapDays();
          offset = prev;
        } else offset = this.#newDay(values[i]!);
      }
    } else {
      offset = this.#newDay(values[i]!);
    }
    // Seconds and nanoseconds of the day: small integers, passed without boxing a double.
    const sec = Math.floor(offset / 1e9);
    this.#writeInDay(out, sec, offset - sec * 1e9);
  }

  /** Writes one time given as a bigint (constant cells, tests). */
  writeBigInt(out: ChunkBuffer, ns: bigint): void {
    const offset = this.#newDay(ns);
    const sec = Math.floor(offset / 1e9);
    this.#writeInDay(out, sec, offset - sec * 1e9);
  }

  /** Caches the day of `ns` (if not cached) and returns `ns`'s offset into it. */
  #newDay(ns: bigint): number {
    let day = ns / NS_PER_DAY_N;
    if (ns % NS_PER_DAY_N < 0n) day -= 1n;
    const start = day * NS_PER_DAY_N;
    const hi = Number(BigInt.asIntN(32, start >> 32n));
    const lo = Number(BigInt.asUintN(32, start));
    if (!this.#hasDay || hi !== this.#dayHi || lo !== this.#dayLo || start < INT64_MIN) {
      if (this.#hasDay) {
        this.#prevHi = this.#dayHi;
        this.#prevLo = this.#dayLo;
        this.#prevPrefix = this.#dayPrefix;
      }
      const text = formatRfc3339Nano(start); // 'YYYY-MM-DDT00:00:00Z'
      this.#dayPrefix = Buffer.from(text.slice(0, text.length - 9), 'latin1');
      this.#dayHi = hi;
      this.#dayLo = lo;
      // The first day of int64 starts before it: its halves would wrap, so no fast path there.
      this.#hasDay = start >= INT64_MIN;
    }
    return Number(ns - start);
  }

  /** Makes the previous day the current one and the current one the previous. */
  #swapDays(): void {
    const hi = this.#prevHi;
    const lo = this.#prevLo;
    const prefix = this.#prevPrefix!;
    this.#prevHi = this.#dayHi;
    this.#prevLo = this.#dayLo;
    this.#prevPrefix = this.#dayPrefix;
    this.#dayHi = hi;
    this.#dayLo = lo;
    this.#dayPrefix = prefix;
  }

  /** Writes the cached day's date, then `sec` (< 86,400) and `frac` (ns, < 1e9) of that day. */
  #writeInDay(out: ChunkBuffer, sec: number, frac: number): void {
    out.ensure(TIME_CELL_MAX_BYTES);
    const buf = out.buf;
    let p = out.pos;
    const prefix = this.#dayPrefix;
    for (let k = 0; k < prefix.length; k++) buf[p++] = prefix[k]!;
    // Integer arithmetic (sec | 0), digits two at a time from a table.
    const sec32 = sec | 0;
    const h = (sec32 / 3600) | 0;
    const ms = sec32 - h * 3600;
    const m = (ms / 60) | 0;
    const h2 = h << 1;
    const m2 = m << 1;
    const s2 = (ms - m * 60) << 1;
    buf[p] = DIGIT_PAIRS[h2]!;
    buf[p + 1] = DIGIT_PAIRS[h2 + 1]!;
    buf[p + 2] = 58; // ':'
    buf[p + 3] = DIGIT_PAIRS[m2]!;
    buf[p + 4] = DIGIT_PAIRS[m2 + 1]!;
    buf[p + 5] = 58;
    buf[p + 6] = DIGIT_PAIRS[s2]!;
    buf[p + 7] = DIGIT_PAIRS[s2 + 1]!;
    p += 8;
    if (frac !== 0) {
      buf[p++] = 46; // '.'
      // Nine digits with the trailing zeros dropped.
      let n = frac | 0;
      let len = 9;
      while (n % 10 === 0) {
        n = (n / 10) | 0;
        len--;
      }
      for (let k = len - 1; k >= 0; k--) {
        buf[p + k] = 48 + (n % 10);
        n = (n / 10) | 0;
      }
      p += len;
    }
    buf[p++] = 90; // 'Z'
    out.pos = p;
  }
}

/**
 * One writer kept alive keeps the writers' map (core/shape-anchors.ts). It is used first, as the
 * encoder uses writers: a writer's day fields change representation with the times it meets (a
 * day's low word above 2^31 is no small integer), which moves it to another map, and that is the
 * map the encoder's writers live on. 2026-01-01 and -02 alternate, as aggregateWindow's tables do.
 */
function usedWriter(): TimeCellWriter {
  const w = new TimeCellWriter();
  const out = new ChunkBuffer(TIME_CELL_MAX_BYTES * 8);
  const days = BigInt64Array.of(1_767_225_600_000_000_000n, 1_767_312_000_000_000_000n, 1_767_225_600_000_000_001n);
  const halves = LITTLE_ENDIAN ? new Int32Array(days.buffer) : null;
  for (let i = 0; i < days.length; i++) w.write(out, days, halves, i);
  w.writeBigInt(out, 1_767_398_400_000_000_000n);
  return w;
}
anchorShapes(usedWriter());

/** A time (or other int64) column's values as int32 halves, or null where that view does not work. */
export function int32Halves(values: BigInt64Array | BigUint64Array): Int32Array | null {
  if (!LITTLE_ENDIAN) return null;
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}
