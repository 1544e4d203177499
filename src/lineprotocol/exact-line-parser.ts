/**
 * The exact line parser: InfluxDB's `models.parsePoint` semantics, quirks included, one line at a
 * time. It is written for fidelity, not speed: `LineParser` runs its fast path on ordinary lines
 * and hands everything else (escapes, errors, odd spacing) to this module, so accepted points and
 * error reasons are InfluxDB's whatever the input. Reasons are InfluxDB's texts (`missing tag value`,
 * `invalid number`, `unable to parse integer …: strconv.ParseInt: parsing "…": value out of range`, …).
 *
 * Offsets and `len` are UTF-16 code units; key length limits are counted in UTF-8 bytes, as InfluxDB
 * counts them.
 */
import { Buffer } from 'node:buffer';
import { MAX_TIME_NS, MIN_TIME_NS } from '../core/time.js';
import { unescapeFieldKey, unescapeMeasurement, unescapeStringValue, unescapeTag } from './escape.js';
import { compareUtf8 } from './make-series.js';
import { FieldType, type FieldValue, type Tag } from './point.js';

/** Largest series key InfluxDB accepts: measurement + tags, and measurement + tags + 4 + field key. */
export const MAX_KEY_BYTES = 65535;
export const TIME_OUT_OF_RANGE = `time outside range ${MIN_TIME_NS} - ${MAX_TIME_NS}`;

const NUL = 0;
const TAB = 9;
const NEWLINE = 10;
const SPACE = 32;
const QUOTE = 34;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const EQUALS = 61;
const BACKSLASH = 92;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Tag keys the parser refuses (InfluxDB also refuses the single bytes 0x00 and 0xff). */
const RESERVED_TAG_KEYS = new Map<string, string>([
  ['\u0000', '"\\x00"'],
  ['_field', '"_field"'],
  ['_measurement', '"_measurement"'],
  ['time', '"time"'],
]);

export interface ExactKey {
  readonly measurement: string;
  /** Unescaped, sorted by key in UTF-8 byte order. */
  readonly tags: Tag[];
  /** Offset just past the key (at the space that ends it). */
  readonly end: number;
  /** UTF-8 length of the raw key text. */
  readonly keyBytes: number;
}

export interface ExactLine extends ExactKey {
  readonly fieldKeys: string[];
  readonly fieldTypes: FieldType[];
  readonly values: FieldValue[];
  /** Nanoseconds, or `null` when the line has no timestamp. */
  readonly timestampNs: bigint | null;
  /** UTF-8 length of the longest raw field key, for the key-length budget. */
  readonly maxFieldKeyBytes: number;
}

/** Result of a scan step: the next offset, or a reason string when the line is rejected. */
type Scan = number | string;

export function skipWhitespace(s: string, i: number, end = s.length): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c !== SPACE && c !== TAB && c !== NUL) break;
    i++;
  }
  return i;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isNumeric = (c: number): boolean => isDigit(c) || c === DOT;
const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Offset of the first `stop` in `s[from, end)` not preceded by a backslash (`end` if none). */
function scanTo(s: string, from: number, end: number, stop: number, origin: number): number {
  let i = from;
  while (i < end && !(s.charCodeAt(i) === stop && (i === origin || s.charCodeAt(i - 1) !== BACKSLASH))) i++;
  return i;
}

/**
 * Scans the measurement and tags of `line`, which starts with the measurement (leading whitespace
 * already skipped). Rejects as InfluxDB does: missing parts, `=` in a tag value, reserved tag keys,
 * duplicate tag keys, a key over 65535 bytes.
 */
export function scanKeyExact(line: string): ExactKey | string {
  const len = line.length;
  let i = 0;
  if (i >= len || line.charCodeAt(i) === COMMA) return 'missing measurement';
  let hasTags = false;
  for (;;) {
    i++;
    if (i >= len) return 'missing fields';
    if (line.charCodeAt(i - 1) === BACKSLASH) continue;
    const c = line.charCodeAt(i);
    if (c === COMMA) {
      hasTags = true;
      i++;
      break;
    }
    if (c === SPACE) break;
  }
  const measurementEnd = hasTags ? i - 1 : i;
  // Offsets where each tag starts, then one past the separator after the last tag.
  const starts: number[] = [];
  if (hasTags) {
    tags: for (;;) {
      starts.push(i);
      let c = line.charCodeAt(i);
      if (i >= len || c === SPACE || c === COMMA || c === EQUALS) return 'missing tag key';
      for (;;) {
        i++;
        c = line.charCodeAt(i);
        const escaped = line.charCodeAt(i - 1) === BACKSLASH;
        if (i >= len || ((c === SPACE || c === COMMA) && !escaped)) return 'missing tag value';
        if (c === EQUALS && !escaped) {
          i++;
          break;
        }
      }
      c = line.charCodeAt(i);
      if (i >= len || c === COMMA || c === SPACE) return 'missing tag value';
      for (;;) {
        i++;
        if (i >= len) return 'missing fields';
        c = line.charCodeAt(i);
        if (line.charCodeAt(i - 1) === BACKSLASH) continue;
        if (c === EQUALS) return 'invalid tag format';
        if (c === COMMA) {
          i++;
          continue tags;
        }
        if (c === SPACE) break tags;
      }
    }
    starts.push(i + 1);
  }
  const rawKeys: string[] = [];
  const rawValues: string[] = [];
  for (let j = 0; j + 1 < starts.length; j++) {
    const from = starts[j]!;
    const to = starts[j + 1]! - 1;
    const eq = scanTo(line, from, to, EQUALS, from);
    rawKeys.push(line.slice(from, eq));
    rawValues.push(line.slice(eq + 1, to));
  }
  for (const k of rawKeys) {
    const quoted = RESERVED_TAG_KEYS.get(k);
    if (quoted !== undefined) return `cannot use reserved tag key ${quoted}`;
  }
  const tags: Tag[] = rawKeys.map((k, j) => [unescapeTag(k), unescapeTag(rawValues[j]!)] as const);
  tags.sort((a, b) => compareUtf8(a[0], b[0]));
  // Raw keys are equal exactly when their unescaped forms are (every separator in a raw tag key
  // is escaped), so after sorting, duplicates sit side by side.
  for (let j = 1; j < tags.length; j++) if (tags[j]![0] === tags[j - 1]![0]) return 'duplicate tags';
  const keyBytes = utf8Length(line.slice(0, i));
  if (keyBytes > MAX_KEY_BYTES) return `max key length exceeded: ${keyBytes} > ${MAX_KEY_BYTES}`;
  return { measurement: unescapeMeasurement(line.slice(0, measurementEnd)), tags, end: i, keyBytes };
}

/** `scanNumber`: validates a number value starting at `i`; returns the offset after it. */
function scanNumber(s: string, i: number): Scan {
  const len = s.length;
  const start = i;
  let isInt = false;
  let isUnsigned = false;
  if (i < len && s.charCodeAt(i) === MINUS) {
    i++;
    if (i === len) return 'invalid number';
  }
  let decimal = false;
  let scientific = false;
  while (i < len) {
    const c = s.charCodeAt(i);
    if (c === COMMA || c === SPACE) break;
    if (c === 105 /* i */ && i > start && !(isInt || isUnsigned)) {
      isInt = true;
      i++;
      continue;
    }
    if (c === 117 /* u */ && i > start && !(isInt || isUnsigned)) {
      isUnsigned = true;
      i++;
      continue;
    }
    if (c === DOT) {
      if (decimal) return 'invalid number';
      decimal = true;
    }
    if (i > start && (c === 101 || c === 69) /* e E */) {
      scientific = true;
      i++;
      continue;
    }
    const prev = s.charCodeAt(i - 1);
    if ((c === PLUS || c === MINUS) && (prev === 101 || prev === 69)) {
      i++;
      continue;
    }
    if (!isNumeric(c)) return 'invalid number';
    i++;
  }
  if ((isInt || isUnsigned) && (decimal || scientific)) return 'invalid number';
  let digits = i - start;
  if (isInt) digits--;
  if (decimal) digits--;
  if (s.charCodeAt(start) === MINUS) digits--;
  if (digits === 0) return 'invalid number';
  if (isInt) {
    if (s.charCodeAt(i - 1) !== 105) return 'invalid number';
    const text = s.slice(start, i - 1);
    const v = BigInt(text);
    if (v < INT64_MIN || v > INT64_MAX) {
      return `unable to parse integer ${text}: strconv.ParseInt: parsing "${text}": value out of range`;
    }
  } else if (isUnsigned) {
    if (s.charCodeAt(i - 1) !== 117) return 'invalid number';
    if (s.charCodeAt(start) === MINUS) return 'invalid number';
    const text = s.slice(start, i - 1);
    if (BigInt(text) > UINT64_MAX) {
      return `unable to parse unsigned ${text}: strconv.ParseUint: parsing "${text}": value out of range`;
    }
  } else if (!Number.isFinite(Number(s.slice(start, i)))) {
    // Only a float with an exponent or with ≥ 25 characters can fail here: overflow, or `1e`.
    return 'invalid float';
  }
  return i;
}

/** `scanBoolean`: t, T, true, True, TRUE, f, F, false, False, FALSE. */
function scanBoolean(s: string, i: number): Scan {
  const len = s.length;
  const start = i;
  const first = s.charCodeAt(i);
  const t = first === 116 || first === 84;
  const f = first === 102 || first === 70;
  if (i < len && !t && !f) return 'invalid boolean';
  i++;
  while (i < len) {
    const c = s.charCodeAt(i);
    if (c === COMMA || c === SPACE) break;
    i++;
  }
  if (i - start === 1) return i;
  const word = s.slice(start, i);
  if (word === 'true' || word === 'True' || word === 'TRUE' || word === 'false' || word === 'False' || word === 'FALSE') {
    return i;
  }
  return 'invalid boolean';
}

/** `scanFields`: the field section from `i` to the first unquoted space; returns its end. */
function scanFields(s: string, start: number): Scan {
  const len = s.length;
  let i = start;
  let quoted = false;
  let equals = 0;
  let commas = 0;
  while (i < len) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < len) {
      i += 2;
      continue;
    }
    if (c === QUOTE && equals > commas) {
      quoted = !quoted;
      i++;
      continue;
    }
    if (c === EQUALS && !quoted) {
      equals++;
      const prev = s.charCodeAt(i - 1);
      if ((prev === SPACE || prev === COMMA) && s.charCodeAt(i - 2) !== BACKSLASH) return 'missing field key';
      if (i + 1 >= len) return 'missing field value';
      const next = s.charCodeAt(i + 1);
      if (next === COMMA || next === SPACE) return 'missing field value';
      if (isNumeric(next) || next === MINUS || next === 78 || next === 110 /* N n */) {
        const r = scanNumber(s, i + 1);
        if (typeof r === 'string') return r;
        i = r;
        continue;
      }
      if (next !== QUOTE) {
        const r = scanBoolean(s, i + 1);
        if (typeof r === 'string') return r;
        i = r;
        continue;
      }
    }
    if (c === COMMA && !quoted) commas++;
    if (c === SPACE && !quoted) break;
    i++;
  }
  if (quoted) return 'unbalanced quotes';
  if (equals === 0 || commas !== equals - 1) return 'invalid field format';
  return i;
}

/** `scanFieldValue`: end of the raw value at `i` (first comma outside quotes). */
function scanFieldValue(s: string, i: number, end: number): number {
  let quoted = false;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < end) {
      const next = s.charCodeAt(i + 1);
      if (next === QUOTE || next === BACKSLASH) {
        i += 2;
        continue;
      }
    }
    if (c === QUOTE) {
      quoted = !quoted;
      i++;
      continue;
    }
    if (c === COMMA && !quoted) break;
    i++;
  }
  return i;
}

const INT_TEXT = /^-?[0-9]+$/;
const UINT_TEXT = /^[0-9]+$/;
const BOOLEANS = new Map<string, boolean>([
  ['1', true],
  ['t', true],
  ['T', true],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['0', false],
  ['f', false],
  ['F', false],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);

interface Fields {
  keys: string[];
  types: FieldType[];
  values: FieldValue[];
}

/** Reads the validated field section `s[from, to)` as InfluxDB's field iterator does. */
function readFields(s: string, from: number, to: number): Fields | string {
  const out: Fields = { keys: [], types: [], values: [] };
  let p = from;
  while (p < to) {
    const eq = scanTo(s, p, to, EQUALS, from);
    const rawKey = s.slice(p, eq);
    const valueEnd = scanFieldValue(s, eq + 1, to);
    const raw = s.slice(eq + 1, valueEnd);
    p = valueEnd + 1;
    // InfluxDB's iterator skips fields with an empty key or value.
    if (rawKey.length === 0 || raw.length === 0) continue;
    const key = unescapeFieldKey(rawKey);
    const c = raw.charCodeAt(0);
    let type: FieldType;
    let value: FieldValue;
    if (c === QUOTE) {
      type = FieldType.String;
      value = raw.length < 2 ? '' : unescapeStringValue(raw, 1, raw.length - 1);
    } else if ('0123456789-.nNiIu'.includes(raw[0]!)) {
      const last = raw.charCodeAt(raw.length - 1);
      if (last === 105 /* i */ || last === 117 /* u */) {
        const text = raw.slice(0, -1);
        const v = (last === 105 ? INT_TEXT : UINT_TEXT).test(text) ? BigInt(text) : undefined;
        const ok = v !== undefined && (last === 105 ? v >= INT64_MIN && v <= INT64_MAX : v <= UINT64_MAX);
        if (!ok) return 'invalid number';
        type = last === 105 ? FieldType.Integer : FieldType.Unsigned;
        value = v;
      } else {
        const v = Number(raw);
        if (!Number.isFinite(v)) return 'invalid float';
        type = FieldType.Float;
        value = v;
      }
    } else {
      const v = BOOLEANS.get(raw);
      if (v === undefined) return 'invalid boolean';
      type = FieldType.Boolean;
      value = v;
    }
    out.keys.push(key);
    out.types.push(type);
    out.values.push(value);
  }
  return out;
}

/** Parses a decimal int64 as Go's ParseInt does, with its error text. */
function parseTimestamp(text: string): bigint | string {
  if (!INT_TEXT.test(text)) return `strconv.ParseInt: parsing "${text}": invalid syntax`;
  const v = BigInt(text);
  if (v < INT64_MIN || v > INT64_MAX) return `strconv.ParseInt: parsing "${text}": value out of range`;
  return v;
}

/**
 * Parses one line (leading whitespace skipped, no line terminator) exactly as InfluxDB does.
 * `precisionNs` is the multiplier of the request precision. Returns the reason when the line is
 * rejected, or `null` when the line parses but carries no usable field (InfluxDB drops it).
 */
export function parseLineExact(line: string, precisionNs: bigint): ExactLine | string | null {
  const key = scanKeyExact(line);
  if (typeof key === 'string') return key;
  const len = line.length;
  const fieldsStart = skipWhitespace(line, key.end);
  const fieldsEnd = scanFields(line, fieldsStart);
  if (typeof fieldsEnd === 'string') return fieldsEnd;
  if (fieldsEnd === fieldsStart) return 'missing fields';

  // Key lengths, walking the raw field keys as InfluxDB's `walkFields` does.
  let maxFieldKeyBytes = 0;
  for (let p = fieldsStart; p < fieldsEnd; ) {
    const eq = scanTo(line, p, fieldsEnd, EQUALS, p);
    const rawKey = line.slice(p, eq);
    if (eq - p > fieldsEnd - p - 2) return `invalid value: field-key=${rawKey}`;
    p = scanFieldValue(line, eq + 1, fieldsEnd);
    const bytes = utf8Length(rawKey);
    const size = key.keyBytes + 4 + bytes;
    if (size > MAX_KEY_BYTES) return `max key length exceeded: ${size} > ${MAX_KEY_BYTES}`;
    if (bytes > maxFieldKeyBytes) maxFieldKeyBytes = bytes;
    if (p < fieldsEnd) p++;
  }

  const tsStart = skipWhitespace(line, fieldsEnd);
  let i = tsStart;
  for (; i < len; i++) {
    const c = line.charCodeAt(i);
    if (c === NEWLINE || c === SPACE) break;
    if (i === tsStart && c === MINUS) continue;
    if (!isDigit(c)) return 'bad timestamp';
  }
  let timestampNs: bigint | null = null;
  if (i > tsStart) {
    const ts = parseTimestamp(line.slice(tsStart, i));
    if (typeof ts === 'string') return ts;
    timestampNs = ts * precisionNs;
    if (timestampNs < MIN_TIME_NS || timestampNs > MAX_TIME_NS) return TIME_OUT_OF_RANGE;
    for (; i < len; i++) if (line.charCodeAt(i) !== SPACE) return 'point is invalid';
  }

  const fields = readFields(line, fieldsStart, fieldsEnd);
  if (typeof fields === 'string') return fields;
  if (fields.keys.length === 0) return null;
  return {
    measurement: key.measurement,
    tags: key.tags,
    end: key.end,
    keyBytes: key.keyBytes,
    fieldKeys: fields.keys,
    fieldTypes: fields.types,
    values: fields.values,
    timestampNs,
    maxFieldKeyBytes,
  };
}
