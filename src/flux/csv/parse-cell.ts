import { parseDuration } from '../../core/duration.js';
import { invalid } from '../../core/errors.js';
import { parseRfc3339Ns } from '../../core/time.js';
import type { ColumnType } from '../values/mono-type.js';
import {
  boolValue,
  durationValue,
  floatValue,
  intValue,
  stringValue,
  timeValue,
  uintValue,
  type Value,
} from '../values/value.js';
import { durationFromNs } from '../../core/duration.js';

/** The column type of a `#datatype` cell (`dateTime:RFC3339` → time), or an `invalid` error. */
export function columnTypeOfDatatype(datatype: string): ColumnType {
  const base = datatype.split(':', 1)[0]!;
  switch (base) {
    case 'boolean':
      return 'bool';
    case 'long':
      return 'int';
    case 'unsignedLong':
      return 'uint';
    case 'double':
      return 'float';
    case 'string':
      return 'string';
    case 'dateTime':
      return 'time';
    case 'duration':
      return 'duration';
    default:
      throw invalid(`unsupported data type "${base}"`);
  }
}

const INT = /^[+-]?\d+$/;
const UINT = /^\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;
const MIN_INT = -(1n << 63n);
const MAX_INT = (1n << 63n) - 1n;
const MAX_UINT = (1n << 64n) - 1n;

/**
 * Parses a non-empty cell as a value of `type`, accepting what Go's strconv/time parsers accept
 * for Flux's decoder: booleans `true/false/t/f/1/0` in Go's spellings; decimal 64-bit integers;
 * floats including `NaN`, `Inf`, `+Inf`, `-Infinity`; RFC3339 times with optional fraction (for
 * both `dateTime:RFC3339` and `dateTime:RFC3339Nano`); durations as integer nanoseconds or a
 * Flux duration literal without months. Throws `invalid` naming the problem.
 */
export function parseCell(text: string, type: ColumnType): Value {
  switch (type) {
    case 'string':
      return stringValue(text);
    case 'bool':
      if (['true', 'TRUE', 'True', 't', 'T', '1'].includes(text)) return boolValue(true);
      if (['false', 'FALSE', 'False', 'f', 'F', '0'].includes(text)) return boolValue(false);
      throw invalid(`invalid boolean "${text}"`);
    case 'int': {
      if (!INT.test(text)) throw invalid(`invalid long "${text}"`);
      const v = BigInt(text);
      if (v < MIN_INT || v > MAX_INT) throw invalid(`long "${text}" out of range`);
      return intValue(v);
    }
    case 'uint': {
      if (!UINT.test(text)) throw invalid(`invalid unsignedLong "${text}"`);
      const v = BigInt(text);
      if (v > MAX_UINT) throw invalid(`unsignedLong "${text}" out of range`);
      return uintValue(v);
    }
    case 'float': {
      if (FLOAT.test(text)) return floatValue(Number(text));
      const m = FLOAT_SPECIAL.exec(text);
      if (m === null) throw invalid(`invalid double "${text}"`);
      if (m[2]!.toLowerCase() === 'nan') return floatValue(NaN);
      return floatValue(m[1] === '-' ? -Infinity : Infinity);
    }
    case 'time':
      return timeValue(parseTimeCell(text));
    case 'duration': {
      if (INT.test(text)) return durationValue(durationFromNs(BigInt(text)));
      let d;
      try {
        d = parseDuration(text);
      } catch {
        throw invalid(`invalid duration "${text}"`);
      }
      if (d.months !== 0) throw invalid(`invalid duration "${text}": a column cannot hold months`);
      return durationValue(d);
    }
  }
}

/**
 * Parses an RFC3339 cell to nanoseconds. The shape Flux and InfluxDB write
 * (`YYYY-MM-DDTHH:MM:SS[.fraction]Z`) is parsed by hand, without a regex, Date or string
 * slicing; offsets, lower-case separators and other forms go through core's full parser. Throws
 * `invalid`.
 */
export function parseTimeCell(text: string): bigint {
  const ns = parseUtcTime(text);
  if (ns !== undefined) return ns;
  try {
    return parseRfc3339Ns(text);
  } catch {
    throw invalid(`invalid dateTime "${text}": expected RFC3339`);
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The fast path of `parseTimeCell`; undefined when the text is not exactly that shape. */
function parseUtcTime(t: string): bigint | undefined {
  const n = t.length;
  if (n < 20 || t.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (t[4] !== '-' || t[7] !== '-' || t[10] !== 'T' || t[13] !== ':' || t[16] !== ':') return undefined;
  const y = digits(t, 0, 4);
  const mo = digits(t, 5, 2);
  const d = digits(t, 8, 2);
  const h = digits(t, 11, 2);
  const mi = digits(t, 14, 2);
  const sec = digits(t, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[mo - 1]! + (mo === 2 && leap ? 1 : 0)) return undefined;
  let frac = 0;
  if (n > 20) {
    // `.` and 1 to 9 digits before the Z.
    const len = n - 21;
    if (t[19] !== '.' || len < 1 || len > 9) return undefined;
    frac = digits(t, 20, len);
    if (frac < 0) return undefined;
    for (let k = len; k < 9; k++) frac *= 10;
  }
  const seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
  return BigInt(seconds) * 1_000_000_000n + BigInt(frac);
}

/** The decimal value of `len` ASCII digits at `start`, or -1. */
function digits(t: string, start: number, len: number): number {
  let v = 0;
  for (let i = start; i < start + len; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
