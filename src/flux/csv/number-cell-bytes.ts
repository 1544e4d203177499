import { formatFloatDecimal } from '../values/format-float.js';
import type { ChunkBuffer } from './chunk-buffer.js';
import { writeFewDecimals, writeShortestDecimal } from './shortest-float-bytes.js';

/**
 * Byte writers for numeric cells, each exactly the text `formatCell` gives: doubles as Go's
 * `strconv.FormatFloat(x, 'f', -1, 64)` (shortest round-trip digits, never an exponent, `NaN`,
 * `+Inf`, `-Inf`, `-0`), integers in decimal.
 */

/** Longest 'f' -1 text of a double (5e-324 has 324 fraction digits). */
export const FLOAT_CELL_MAX_BYTES = 330;
/** Longest decimal int64 / uint64. */
export const INTEGER_CELL_MAX_BYTES = 21;

const TWO_32 = 4294967296;
/** Integers up to here are written digit by digit in double arithmetic (exact below 2^53). */
const MAX_FAST_INTEGER = 9_007_199_254_740_991;

/** Writes an integer-valued double with |v| <= 2^53 - 1 in decimal. Caller ensured the room. */
function writeSafeInteger(out: ChunkBuffer, v: number): void {
  const buf = out.buf;
  let p = out.pos;
  if (v < 0) {
    buf[p++] = 45; // '-'
    v = -v;
  }
  let len = 1;
  for (let t = 10; t <= v; t *= 10) len++;
  for (let k = len - 1; k >= 0; k--) {
    const q = Math.floor(v / 10);
    buf[p + k] = 48 + (v - q * 10);
    v = q;
  }
  out.pos = p + len;
}

/** Writes an ASCII string. Caller ensured the room. */
function writeAscii(out: ChunkBuffer, s: string): void {
  const buf = out.buf;
  let p = out.pos;
  for (let k = 0; k < s.length; k++) buf[p++] = s.charCodeAt(k);
  out.pos = p;
}

/**
 * Values in a row the few-decimals path declined. From FEW_GIVE_UP on (a column of means, say)
 * it is not tried, until FEW_RETRY values have passed; then it is tried again. Only which path
 * writes a value depends on it, never the text.
 */
let fewDeclined = 0;
const FEW_GIVE_UP = 4;
const FEW_RETRY = 64;

/**
 * Writes `values[i]`. (The array and index, not the double: a double argument of a call that is
 * not inlined is boxed, a heap allocation per cell.)
 */
export function writeFloatCell(out: ChunkBuffer, values: Float64Array, i: number): void {
  const v = values[i]!;
  out.ensure(FLOAT_CELL_MAX_BYTES);
  if (Number.isInteger(v) && v <= MAX_FAST_INTEGER && v >= -MAX_FAST_INTEGER) {
    if (v === 0 && 1 / v < 0) writeAscii(out, '-0');
    else writeSafeInteger(out, v);
    return;
  }
  if (v - v === 0) {
    // Finite: values with a few decimal places (raw data) take the shortest path, and the exact
    // fast path covers the other doubles of typical data (means).
    if (fewDeclined < FEW_GIVE_UP) {
      if (writeFewDecimals(out, values, i)) {
        fewDeclined = 0;
        return;
      }
      fewDeclined++;
    } else if (++fewDeclined === FEW_RETRY) fewDeclined = 0;
    if (writeShortestDecimal(out, values, i)) return;
  }
  // JS prints the same shortest digits as Go; it differs only in the spellings of the
  // non-finite values and in using an exponent below 1e-6 and from 1e21 up.
  const js = String(v);
  const buf = out.buf;
  const start = out.pos;
  let p = start;
  for (let k = 0; k < js.length; k++) {
    const c = js.charCodeAt(k);
    if (c === 101 /* e */ || c === 73 /* I */ || c === 78 /* N */) {
      out.pos = start;
      writeAscii(out, formatFloatDecimal(v));
      return;
    }
    buf[p++] = c;
  }
  out.pos = p;
}

/** Writes row `i` of an int64 column (int or duration nanoseconds); `halves` as `int32Halves`. */
export function writeInt64Cell(out: ChunkBuffer, values: BigInt64Array, halves: Int32Array | null, i: number): void {
  out.ensure(INTEGER_CELL_MAX_BYTES);
  if (halves !== null) {
    const hi = halves[2 * i + 1]!;
    // |v| < 2^52: the halves combine exactly in double arithmetic.
    if (hi < 0x100000 && hi >= -0x100000) {
      writeSafeInteger(out, hi * TWO_32 + (halves[2 * i]! >>> 0));
      return;
    }
  }
  writeAscii(out, values[i]!.toString());
}

/** Writes row `i` of a uint64 column; `halves` as `int32Halves`. */
export function writeUint64Cell(out: ChunkBuffer, values: BigUint64Array, halves: Int32Array | null, i: number): void {
  out.ensure(INTEGER_CELL_MAX_BYTES);
  if (halves !== null) {
    const hi = halves[2 * i + 1]!;
    if (hi >= 0 && hi < 0x100000) {
      writeSafeInteger(out, hi * TWO_32 + (halves[2 * i]! >>> 0));
      return;
    }
  }
  writeAscii(out, values[i]!.toString());
}
