import type { ChunkBuffer } from './chunk-buffer.js';

/**
 * The shortest round-trip decimal of a double, written as plain digits (Go's 'f' -1, JS's
 * `String(v)` in this range), without the cost of `String(v)`: for the doubles a time series
 * holds, a few exact double-arithmetic steps instead of a string allocation and a generic dtoa.
 *
 * Method: for P = 15, 16, 17 significant digits, compute m, the P-digit decimal nearest to v
 * (v × 10^s rounded; the product is exact as a double-double by Dekker's two-product), and check
 * that m × 10^-s lies strictly inside v's rounding interval (|m − v·10^s| < ½ ulp(v) · 10^s). The
 * first P that passes gives the answer: the shortest digit count, and among decimals of that
 * length the closest to v — which is what Go and JS print. Any case this reasoning does not cover
 * exactly — a near tie, an asymmetric rounding interval (v a power of two), v outside
 * [1e-5, 1e15), an unexpected digit count — returns false, and the caller uses the general path.
 */

const SPLITTER = 134217729; // 2^27 + 1

/** 10^0 … 10^22: every one an exact double. */
const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Veltkamp split of each power of ten: hi + lo = 10^i, each half with ≤ 26 significant bits. */
const POW10_HI = POW10.map((p) => split(p)[0]);
const POW10_LO = POW10.map((p, i) => p - POW10_HI[i]!);
const TWO_53 = 9007199254740992;

function split(a: number): [number, number] {
  const c = SPLITTER * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
/** 2^(e − 1075) for biased exponent e: half an ulp of a normal double with that exponent. */
const HALF_ULP = Float64Array.from({ length: 2047 }, (_, e) => 2 ** (e - 1076));

/**
 * Writes positive, finite, non-integer `v` (the caller handles sign, integers, NaN and ±Inf) when
 * in range and unambiguous; returns whether it did. Reserves its own room.
 */
export function writeShortestDecimal(out: ChunkBuffer, v: number): boolean {
  if (!(v >= 1e-5 && v < 1e15)) return false;
  f64[0] = v;
  const hiWord = u32[HI_WORD]!;
  const loWord = u32[1 - HI_WORD]!;
  // A zero mantissa: v is a power of two, whose interval is narrower below than above.
  if ((hiWord & 0xfffff) === 0 && loWord === 0) return false;
  const halfUlp = HALF_ULP[(hiWord >>> 20) & 0x7ff]!;
  // e10 = floor(log10(v)); checked below through m's digit count.
  let e10: number;
  if (v >= 1) {
    e10 = 0;
    while (e10 < 15 && POW10[e10 + 1]! <= v) e10++;
  } else {
    e10 = Math.floor(Math.log10(v));
  }
  // Veltkamp split of v (inline: no array per call).
  const c = SPLITTER * v;
  const vh = c - (c - v);
  const vl = v - vh;
  for (let p = 15; p <= 17; p++) {
    const s = p - 1 - e10;
    if (s < 0 || s > 22) return false;
    // x = v × 10^s exactly, as prod + err.
    const prod = v * POW10[s]!;
    const bh = POW10_HI[s]!;
    const bl = POW10_LO[s]!;
    const err = vh * bh - prod + vh * bl + vl * bh + vl * bl;
    let whole: number;
    let rem: number;
    if (prod >= TWO_53) {
      whole = prod;
      rem = err;
    } else {
      whole = Math.floor(prod);
      rem = prod - whole + err;
    }
    const d = Math.round(rem);
    const off = Math.abs(rem - d); // |m − x|, m = whole + d
    if (Math.abs(off - 0.5) < 1e-6) return false;
    const limit = halfUlp * POW10[s]!;
    if (Math.abs(off - limit) <= limit * 1e-9 + 1e-12) return false;
    if (off > limit) continue;
    // m = whole + d as hi × 1e8 + lo, exactly (whole may be beyond 2^53: then a multiple of 2^t).
    let hi: number;
    let lo: number;
    if (whole < TWO_53) {
      const m = whole + d;
      hi = Math.floor(m / 1e8);
      lo = m - hi * 1e8;
    } else {
      // whole < 1e17 < 2^57: its ulp, a power of two up to 16.
      const scale = whole >= 4 * TWO_53 ? (whole >= 8 * TWO_53 ? 16 : 8) : whole >= 2 * TWO_53 ? 4 : 2;
      const q = whole / scale;
      const qh = Math.floor(q / 1e8);
      const low = (q - qh * 1e8) * scale + d;
      const carry = Math.floor(low / 1e8);
      hi = qh * scale + carry;
      lo = low - carry * 1e8;
    }
    // Exactly p digits: 10^(p−1) ≤ m < 10^p.
    if (hi < POW10[p - 9]! || hi >= POW10[p - 8]!) return false;
    writeDigits(out, hi, lo, p, e10);
    return true;
  }
  return false;
}

/**
 * Writes m = hi × 1e8 + lo, a p-digit integer, times 10^(e10 − p + 1) in plain decimal, trailing
 * fraction zeros dropped. Digits are produced from the last one back, straight into place, in
 * int32 arithmetic (both parts are below 2^31; a double `%` would be an fmod call).
 */
function writeDigits(out: ChunkBuffer, hi: number, lo: number, p: number, e10: number): void {
  out.ensure(p + 8);
  const buf = out.buf;
  const base = out.pos;
  const intDigits = e10 + 1;
  // Digit k goes to base + at(k): after the '.' when in the fraction; after '0.' and zeros when v < 1.
  const shift = intDigits <= 0 ? 2 - intDigits : 0;
  let end = -1;
  let li = lo | 0;
  let hv = hi | 0;
  for (let k = p - 1; k >= 0; k--) {
    let dg: number;
    if (k >= p - 8) {
      const q = (li / 10) | 0;
      dg = li - q * 10;
      li = q;
    } else {
      const q = (hv / 10) | 0;
      dg = hv - q * 10;
      hv = q;
    }
    const at = shift > 0 ? shift + k : k < intDigits ? k : k + 1;
    if (end < 0) {
      if (dg === 0 && k >= intDigits) continue; // a trailing fraction zero
      end = at + 1;
    }
    buf[base + at] = 48 + dg;
  }
  if (shift > 0) {
    buf[base] = 48; // '0'
    buf[base + 1] = 46; // '.'
    for (let k = 2; k < shift; k++) buf[base + k] = 48;
  } else if (end > intDigits) {
    buf[base + intDigits] = 46;
  }
  out.pos = base + end;
}
