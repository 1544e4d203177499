import type { ChunkBuffer } from './chunk-buffer.js';
import { DIGIT_QUADS } from './digit-pairs.js';

/**
 * The shortest round-trip decimal of a double, written as plain digits (Go's 'f' -1, JS's
 * `String(v)` in this range), without the cost of `String(v)`: for the doubles a time series
 * holds, one exact double-double product and a few integer steps instead of a string allocation
 * and a generic dtoa.
 *
 * Method: X = v × 10^s, scaled so that X has 17 integer digits (10^16 ≤ X < 10^17), is computed
 * exactly as W + r (W = the rounded product, an integer at this size; r its error by Dekker's
 * two-product, |r| ≤ 8). v's rounding interval scaled the same way is (X − L, X + L), L = ½ ulp(v)
 * · 10^s (between 0.55 and 11.1 at this scale). A P-digit decimal is a multiple of 10^(17−P) in
 * these units, so: the nearest multiple of 100 to X, if inside the interval, is the answer with 15
 * digits (at most one 15-digit decimal fits in any double's interval, so this is also the answer
 * whenever one with fewer digits exists: trailing zeros are dropped); else the nearest multiple
 * of 10, if inside; else the nearest integer (17 digits always round-trip). Among decimals of the
 * shortest length, the nearest is what Go and JS print. Only the last two digits of W and r take
 * part in the choice, so it is plain double arithmetic on small numbers. Anything this reasoning
 * does not settle exactly — a distance within 1e-9 of the interval's edge or of a tie, an
 * asymmetric interval (v a power of two), v outside [1e-5, 1e15), an unexpected digit count —
 * returns false, and the caller uses the general path.
 */

const SPLITTER = 134217729; // 2^27 + 1

/** 10^0 … 10^22: every one an exact double. */
const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Veltkamp split of each power of ten: hi + lo = 10^i, each half with ≤ 26 significant bits. */
const POW10_HI = POW10.map((p) => split(p)[0]);
const POW10_LO = POW10.map((p, i) => p - POW10_HI[i]!);
/** The doubles nearest 10^k for k = −6 … 16, at index k + 6 (to find floor(log10 v)). */
const POW10_NEAR = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i - 6}`));
/** Decimal-place margin below which a distance counts as a tie or as on the interval's edge. */
const MARGIN = 1e-9;

function split(a: number): [number, number] {
  const c = SPLITTER * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
/** 2^(e − 1076) for biased exponent e: half an ulp of a normal double with that exponent. */
const HALF_ULP = Float64Array.from({ length: 2047 }, (_, e) => 2 ** (e - 1076));

/**
 * Writes `values[i]`, finite and not an integer (the caller handles integers, NaN and ±Inf), with
 * its sign, when |v| is in range and unambiguous; returns whether it did (else `out` is as it
 * was). Reserves its own room. Takes the array and index rather than the double: a double passed
 * to a call that is not inlined is boxed (a heap allocation per cell).
 */
export function writeShortestDecimal(out: ChunkBuffer, values: Float64Array, i: number): boolean {
  const signed = values[i]!;
  const negative = signed < 0;
  const v = negative ? -signed : signed;
  if (!(v >= 1e-5 && v < 1e15)) return false;
  f64[0] = v;
  const hiWord = u32[HI_WORD]!;
  const loWord = u32[1 - HI_WORD]!;
  // A zero mantissa: v is a power of two, whose interval is narrower below than above.
  if ((hiWord & 0xfffff) === 0 && loWord === 0) return false;
  const biased = (hiWord >>> 20) & 0x7ff;
  // e10 = floor(log10(v)): v is in [2^e2, 2^(e2+1)), so e10 is floor(e2 · log10 2) or one more.
  // (Comparing with the double nearest 10^k can be off at v = that double: the digit count check
  // below catches it.)
  // (78913 / 2^18 is log10 2 closely enough for every exponent here; >> floors negatives too.)
  let e10 = ((biased - 1023) * 78913) >> 18;
  if (v >= POW10_NEAR[e10 + 7]!) e10++;
  const s = 16 - e10; // 2 … 21
  // X = v × 10^s exactly, as prod + err (Dekker).
  const prod = v * POW10[s]!;
  if (!(prod >= 1e16 && prod < 1e17)) return false;
  const c = SPLITTER * v;
  const vh = c - (c - v);
  const vl = v - vh;
  const bh = POW10_HI[s]!;
  const bl = POW10_LO[s]!;
  const err = vh * bh - prod + vh * bl + vl * bh + vl * bl;
  // prod (≥ 2^53, so an integer) = hi × 1e8 + lo; hi × 1e8 is exact (hi · 5^8 < 2^53, then × 2^8),
  // and so is the integer difference.
  let hi = (prod * 1e-8) | 0; // < 1e9 < 2^31; one off at most (an inexact reciprocal), fixed below
  let lo = prod - hi * 1e8;
  if (lo < 0) {
    hi -= 1;
    lo += 1e8;
  } else if (lo >= 1e8) {
    hi += 1;
    lo -= 1e8;
  }
  const limit = HALF_ULP[biased]! * POW10[s]!;
  const lo32 = lo | 0;
  // The shortest length whose nearest candidate lies inside the interval wins. (Rounding is by
  // truncating a positive number, | 0, and multiplying by reciprocals: cheaper than Math.round
  // and division, and off only within 1e-15 of a tie, where MARGIN bails out anyway.)
  // 15 digits: the multiple of 100 nearest X (t is X's offset from the one below W: −8 < t < 108;
  // L < 50, so no tie between two multiples of 100 can matter).
  const r100 = lo32 % 100;
  const t100 = r100 + err;
  const k100 = (((t100 + 150) * 0.01) | 0) * 100 - 100;
  const d100 = Math.abs(t100 - k100);
  let adjust: number;
  let digits = 15;
  if (d100 < limit - MARGIN) adjust = k100 - r100;
  else if (d100 <= limit + MARGIN) return false;
  else {
    // 16 digits: the multiple of 10 nearest X.
    const r10 = lo32 % 10;
    const t10 = r10 + err;
    const k10 = (((t10 + 25) * 0.1) | 0) * 10 - 20;
    const d10 = Math.abs(t10 - k10);
    if (Math.abs(d10 - 5) < MARGIN) return false;
    digits = 16;
    if (d10 < limit - MARGIN) adjust = k10 - r10;
    else if (d10 <= limit + MARGIN) return false;
    else {
      // 17 digits: the integer nearest X (always inside: L > ½).
      const k1 = ((err + 16.5) | 0) - 16;
      const d1 = Math.abs(err - k1);
      if (Math.abs(d1 - 0.5) < MARGIN || d1 >= limit - MARGIN) return false;
      digits = 17;
      adjust = k1;
    }
  }
  lo += adjust;
  if (lo >= 1e8) {
    hi += 1;
    lo -= 1e8;
  } else if (lo < 0) {
    hi -= 1;
    lo += 1e8;
  }
  // Exactly 17 digits: 10^16 ≤ M < 10^17.
  if (hi < 1e8 || hi >= 1e9) return false;
  if (negative) {
    out.ensure(1);
    out.buf[out.pos++] = 45; // '-'
  }
  writeDigits(out, hi, lo, e10, digits);
  return true;
}

/** Decimal places the few-decimals path covers, and 10 to that power. */
const FEW_PLACES = 6;
const FEW_SCALE = 1e6;
/** Scaled values stay below this: at most 15 significant digits. */
const FEW_LIMIT = 1e15;

/**
 * The common case of stored data, a value with at most six decimal places (90.96, 0.125): when
 * R = round(|v| × 10^6) gives back v as R / 10^6, the decimal R × 10^-6 rounds to v (the division
 * is correctly rounded and R and 10^6 are exact), and with R < 10^15 it has at most 15
 * significant digits, so it is the shortest one that does: two different decimals of ≤ 15 digits
 * never round to the same double. Then its digits are those of the integer R, written with a
 * point six places from the right and the trailing zeros dropped: no 17-digit product, no
 * scanning of zeros. Returns false (and writes nothing) otherwise; `values[i]` is finite and not
 * an integer (the caller's cases). Reserves its own room; the array and index as
 * writeShortestDecimal.
 */
export function writeFewDecimals(out: ChunkBuffer, values: Float64Array, i: number): boolean {
  const signed = values[i]!;
  const negative = signed < 0;
  const v = negative ? -signed : signed;
  const scaled = v * FEW_SCALE;
  if (!(scaled < FEW_LIMIT)) return false;
  const r = Math.round(scaled);
  if (r / FEW_SCALE !== v) return false;
  // R < 10^15: its integer part (< 10^9) and its six decimals, each exact.
  let whole = Math.floor(r / FEW_SCALE);
  let frac = r - whole * FEW_SCALE;
  if (frac < 0) {
    whole -= 1;
    frac += FEW_SCALE;
  } else if (frac >= FEW_SCALE) {
    whole += 1;
    frac -= FEW_SCALE;
  }
  if (frac === 0) return false; // an integer after all: not this path's case
  out.ensure(1 + 10 + 1 + FEW_PLACES);
  const buf = out.buf;
  let p = out.pos;
  if (negative) buf[p++] = 45; // '-'
  let w = whole | 0;
  let len = 1;
  for (let t = 10; t <= w; t *= 10) len++;
  for (let k = len - 1; k >= 0; k--) {
    const q = (w / 10) | 0;
    buf[p + k] = 48 + (w - q * 10);
    w = q;
  }
  p += len;
  buf[p++] = 46; // '.'
  let f = frac | 0;
  let places = FEW_PLACES;
  while (f % 10 === 0) {
    f = (f / 10) | 0;
    places--;
  }
  for (let k = places - 1; k >= 0; k--) {
    const q = (f / 10) | 0;
    buf[p + k] = 48 + (f - q * 10);
    f = q;
  }
  out.pos = p + places;
  return true;
}

/**
 * Writes M = hi × 1e8 + lo (17 digits) times 10^(e10 − 16) in plain decimal, trailing fraction
 * zeros dropped. The digits go to where the fraction's digits belong, the first alone and then
 * four at a time (a table of 4-digit groups, one int32 store each); for v ≥ 1 the integer digits
 * are then moved one place left to make room for the '.'.
 */
function writeDigits(out: ChunkBuffer, hi: number, lo: number, e10: number, digits: number): void {
  out.ensure(17 + 8);
  const buf = out.buf;
  const view = out.view;
  const base = out.pos;
  const intDigits = e10 + 1;
  // Digit k goes to first + k; v < 1: after '0.' and -e10 - 1 zeros; v ≥ 1: one place right, for now.
  const first = intDigits <= 0 ? base + 1 - e10 : base + 1;
  // hi = d0 and two 4-digit groups, lo = two 4-digit groups: the four groups are independent
  // (no chain of divisions through all 17 digits).
  const h = hi | 0;
  const l = lo | 0;
  const d0 = (h / 100_000_000) | 0;
  const h8 = h - d0 * 100_000_000;
  const h4 = (h8 / 10_000) | 0;
  const l4 = (l / 10_000) | 0;
  buf[first] = 48 + d0;
  view.setInt32(first + 1, DIGIT_QUADS[h4]!, true);
  view.setInt32(first + 5, DIGIT_QUADS[h8 - h4 * 10_000]!, true);
  view.setInt32(first + 9, DIGIT_QUADS[l4]!, true);
  view.setInt32(first + 13, DIGIT_QUADS[l - l4 * 10_000]!, true);
  let end = first + digits;
  if (intDigits <= 0) {
    buf[base] = 48; // '0'
    buf[base + 1] = 46; // '.'
    for (let p = base + 2; p < first; p++) buf[p] = 48;
  } else {
    for (let k = 0; k < intDigits; k++) buf[base + k] = buf[first + k]!;
    buf[base + intDigits] = 46;
  }
  // Only a 15-digit M can end in more zeros (fewer digits). v is not an integer, so a fraction
  // digit other than 0 remains.
  while (buf[end - 1] === 48) end--;
  out.pos = end;
}
