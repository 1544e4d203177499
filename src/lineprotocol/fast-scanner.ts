/**
 * The value scanners of the parser's fast path: field values and timestamps in the common forms,
 * read straight from char codes. Each answers "not sure" (NO_VALUE / NO_TIME) rather than guess:
 * the exact parser then decides, so these only need to be right on what they accept.
 *
 * Results come back through fields (`valueEnd`, `floatValue`, `otherValue`) so a float is never
 * boxed on its way into the values array.
 */
import { MAX_TIME_NS, MIN_TIME_NS } from '../core/time.js';
import { unescapeStringValue } from './escape.js';
import { FieldType, type FieldValue } from './point.js';

const NUL = 0;
const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const BACKSLASH = 92;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
/** Exact powers of ten: `m / POW10[k]` is correctly rounded when m < 2^53 and k <= 22. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Digits that always fit a double exactly (10^15 < 2^53). */
const SAFE_DIGITS = 15;

/** Returned instead of a type when the exact parser must decide. */
export const NO_VALUE = -1;
/** Returned instead of a timestamp when the exact parser must decide. */
export const NO_TIME = Symbol('no time');

export class FastScanner {
  /** Offset just past the last value scanned. */
  valueEnd = 0;
  /** The last value when it was a float. */
  floatValue = 0.5;
  /** The last value when it was not a float. */
  otherValue: FieldValue = false;
  /** Multiplier of the current request precision. */
  private precisionNs = 1n;
  // The last timestamp: its digits as two exact doubles, and its value.
  private lastTsHi = -1;
  private lastTsLo = -1;
  private lastTsNeg = false;
  private lastTsNs = 0n;
  /** The last timestamp's text (to the line end): lines of one batch usually repeat it. */
  private lastTsText = '';

  /** Starts a body: sets the precision and forgets the last timestamp. */
  reset(precisionNs: bigint): void {
    this.precisionNs = precisionNs;
    this.lastTsHi = -1;
    this.lastTsText = '';
  }

  /**
   * Parses the field value at `s[i]`: returns its type (or NO_VALUE to bail), leaves its end in
   * `valueEnd` and the value in `floatValue` (floats, kept unboxed) or `otherValue`. The value
   * must be followed by `,`, a space or the end of the line.
   */
  value(s: string, i: number, end: number): FieldType | typeof NO_VALUE {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === MINUS || c === DOT) return this.number(s, i, end);
    if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      for (;;) {
        if (j >= end) return NO_VALUE;
        const d = s.charCodeAt(j);
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          escaped = true;
          j += 2;
        } else {
          j++;
        }
      }
      if (!this.endsValue(s, j + 1, end)) return NO_VALUE;
      this.otherValue = escaped ? unescapeStringValue(s, i + 1, j) : s.slice(i + 1, j);
      return FieldType.String;
    }
    // Booleans: t T true True TRUE f F false False FALSE.
    let j = i + 1;
    while (j < end && s.charCodeAt(j) !== COMMA && s.charCodeAt(j) !== SPACE) j++;
    const len = j - i;
    if (c === 116 || c === 84) {
      if (len !== 1 && !(len === 4 && (s.startsWith('true', i) || s.startsWith('True', i) || s.startsWith('TRUE', i)))) return NO_VALUE;
      this.otherValue = true;
    } else if (c === 102 || c === 70) {
      if (len !== 1 && !(len === 5 && (s.startsWith('false', i) || s.startsWith('False', i) || s.startsWith('FALSE', i)))) return NO_VALUE;
      this.otherValue = false;
    } else {
      return NO_VALUE;
    }
    this.valueEnd = j;
    return FieldType.Boolean;
  }

  private endsValue(s: string, j: number, end: number): boolean {
    if (j < end) {
      const c = s.charCodeAt(j);
      if (c !== COMMA && c !== SPACE) return false;
    }
    this.valueEnd = j;
    return true;
  }

  private number(s: string, i: number, end: number): FieldType | typeof NO_VALUE {
    let j = i;
    const negative = s.charCodeAt(j) === MINUS;
    if (negative) j++;
    let mantissa = 0;
    let digits = 0;
    let dotAt = -1;
    for (; j < end; j++) {
      const d = s.charCodeAt(j) - 48;
      if (d >= 0 && d <= 9) {
        mantissa = mantissa * 10 + d;
        digits++;
      } else if (d === DOT - 48 && dotAt < 0) {
        dotAt = digits;
      } else {
        break;
      }
    }
    if (digits === 0) return NO_VALUE;
    const c = j < end ? s.charCodeAt(j) : -1;
    if (c === 105 /* i */ || c === 117 /* u */) {
      if (dotAt >= 0 || (c === 117 && negative) || !this.endsValue(s, j + 1, end)) return NO_VALUE;
      let v: bigint;
      if (digits <= SAFE_DIGITS) {
        v = BigInt(negative ? -mantissa : mantissa);
      } else {
        v = BigInt(s.slice(i, j));
        if (c === 105 ? v < INT64_MIN || v > INT64_MAX : v > UINT64_MAX) return NO_VALUE;
      }
      this.otherValue = v;
      return c === 105 ? FieldType.Integer : FieldType.Unsigned;
    }
    let v: number;
    if (c === 101 || c === 69 /* e E */) {
      j++;
      const sign = s.charCodeAt(j);
      if (sign === 43 || sign === MINUS) j++;
      const expStart = j;
      while (j < end && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      if (j === expStart) return NO_VALUE;
      v = Number(s.slice(i, j));
      if (!Number.isFinite(v)) return NO_VALUE;
    } else if (digits <= SAFE_DIGITS) {
      const fraction = dotAt < 0 ? 0 : digits - dotAt;
      v = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
      if (negative) v = -v;
    } else {
      v = Number(s.slice(i, j));
      if (!Number.isFinite(v)) return NO_VALUE;
    }
    if (!this.endsValue(s, j, end)) return NO_VALUE;
    this.floatValue = v;
    return FieldType.Float;
  }

  /**
   * Parses the optional timestamp starting at `i` (after the space that ends the fields), to the
   * end of the line: digits, then only spaces. Returns `defaultNs` when there is none, NO_TIME
   * when the exact parser must decide (range, syntax, leading zeros).
   */
  timestamp(s: string, i: number, end: number, defaultNs: bigint): bigint | typeof NO_TIME {
    let c = s.charCodeAt(i);
    while (i < end && (c === SPACE || c === TAB || c === NUL)) c = s.charCodeAt(++i);
    if (i >= end) return defaultNs;
    // Same text as the last timestamp: same value (one native compare instead of a digit loop).
    if (end - i === this.lastTsText.length && s.slice(i, end) === this.lastTsText) return this.lastTsNs;
    const textStart = i;
    const negative = c === MINUS;
    if (negative) i++;
    const digitsStart = i;
    while (i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    const digits = i - digitsStart;
    if (digits === 0 || digits > 19) return NO_TIME;
    for (let k = i; k < end; k++) if (s.charCodeAt(k) !== SPACE) return NO_TIME;
    // Split into a high part and the last nine digits, both exact doubles.
    const split = digits > 9 ? i - 9 : digitsStart;
    let hi = 0;
    for (let k = digitsStart; k < split; k++) hi = hi * 10 + s.charCodeAt(k) - 48;
    let lo = 0;
    for (let k = split; k < i; k++) lo = lo * 10 + s.charCodeAt(k) - 48;
    if (hi === this.lastTsHi && lo === this.lastTsLo && negative === this.lastTsNeg) return this.lastTsNs;
    let ns = hi === 0 ? BigInt(lo) : BigInt(hi) * 1_000_000_000n + BigInt(lo);
    if (negative) ns = -ns;
    if (this.precisionNs !== 1n) ns *= this.precisionNs;
    if ((digits >= 19 || this.precisionNs !== 1n) && (ns < MIN_TIME_NS || ns > MAX_TIME_NS)) return NO_TIME;
    this.lastTsHi = hi;
    this.lastTsLo = lo;
    this.lastTsNeg = negative;
    this.lastTsNs = ns;
    this.lastTsText = s.slice(textStart, end);
    return ns;
  }
}
