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
      try {
        return timeValue(parseRfc3339Ns(text));
      } catch {
        throw invalid(`invalid dateTime "${text}": expected RFC3339`);
      }
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
