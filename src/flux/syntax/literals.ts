import { parseRfc3339Ns } from '../../core/time.js';
import type { Duration } from '../../core/duration.js';
import type { DurationPart, DurationUnit } from './ast.js';

/**
 * Decoding of literal token text into values. Each function returns either the value or an
 * error message in Flux's words; none throws.
 */
export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const ok = <T>(value: T): Decoded<T> => ({ ok: true, value });
const fail = <T>(error: string): Decoded<T> => ({ ok: false, error });

const HEX = /^[0-9a-fA-F]$/;

/** Reads `\xNN` at `i` (pointing at the `x`), pushing the byte; returns the error or null. */
function pushHexByte(text: string, i: number, out: number[]): string | null {
  const h1 = text[i + 1];
  const h2 = text[i + 2];
  if (h1 === undefined) return '\\x followed by 0 char, must be 2';
  if (h2 === undefined) return '\\x followed by 1 char, must be 2';
  if (!HEX.test(h1) || !HEX.test(h2)) return 'invalid byte value';
  out.push(parseInt(h1 + h2, 16));
  return null;
}

function pushUtf8(text: string, i: number, out: number[]): number {
  const cp = text.codePointAt(i)!;
  const ch = String.fromCodePoint(cp);
  for (const b of Buffer.from(ch, 'utf8')) out.push(b);
  return ch.length;
}

/** Bytes to a string, failing like Rust's `str::from_utf8` does. */
function utf8(bytes: number[]): Decoded<string> {
  const buf = Buffer.from(bytes);
  try {
    return ok(new TextDecoder('utf-8', { fatal: true }).decode(buf));
  } catch {
    let i = 0;
    while (i < buf.length) {
      const b = buf[i]!;
      const len = b < 0x80 ? 1 : b >> 5 === 6 ? 2 : b >> 4 === 14 ? 3 : b >> 3 === 30 ? 4 : 0;
      if (len === 0) return fail(`invalid utf-8 sequence of 1 bytes from index ${i}`);
      if (i + len > buf.length) return fail(`incomplete utf-8 byte sequence from index ${i}`);
      for (let k = 1; k < len; k++) {
        if (buf[i + k]! >> 6 !== 2) return fail(`invalid utf-8 sequence of ${k} bytes from index ${i}`);
      }
      i += len;
    }
    return fail(`invalid utf-8 sequence of 1 bytes from index ${i}`);
  }
}

/** The text between a string's quotes, or a TEXT part of a string expression, unescaped. */
export function decodeText(text: string): Decoded<string> {
  if (!text.includes('\\')) return ok(text); // the common case: nothing to unescape
  const out: number[] = [];
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c !== '\\') {
      i += pushUtf8(text, i, out);
      continue;
    }
    const n = text[i + 1];
    if (n === undefined) return fail('invalid escape sequence');
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, '\\': 92, '"': 34, $: 36 };
    if (simple[n] !== undefined) {
      out.push(simple[n]);
      i += 2;
    } else if (n === 'x') {
      const err = pushHexByte(text, i + 1, out);
      if (err !== null) return fail(err);
      i += 4;
    } else {
      return fail(`invalid escape character ${String.fromCodePoint(text.codePointAt(i + 1)!)}`);
    }
  }
  return utf8(out);
}

/** A whole string literal token, quotes included. */
export function decodeString(lit: string): Decoded<string> {
  if (lit.length < 2 || !lit.startsWith('"') || !lit.endsWith('"')) return fail('invalid string literal');
  return decodeText(lit.slice(1, -1));
}

/**
 * A regex literal token, slashes included: the pattern with `\/` and `\xNN` resolved and other
 * escapes kept for the regex engine. The pattern itself is validated at run time (RE2 syntax is
 * not JavaScript's, so compiling it here would reject valid Flux).
 */
export function decodeRegex(lit: string): Decoded<string> {
  if (lit.length < 3) return fail('regexp must be at least 3 characters');
  if (!lit.startsWith('/')) return fail('regexp literal must start with a slash');
  if (!lit.endsWith('/')) return fail('regexp literal must end with a slash');
  const body = lit.slice(1, -1);
  if (!body.includes('\\')) return ok(body);
  const out: number[] = [];
  for (let i = 0; i < body.length; ) {
    if (body[i] !== '\\') {
      i += pushUtf8(body, i, out);
      continue;
    }
    const n = body[i + 1];
    if (n === undefined) return fail('unterminated regex sequence');
    if (n === '/') {
      out.push(47);
      i += 2;
    } else if (n === 'x') {
      const err = pushHexByte(body, i + 1, out);
      if (err !== null) return fail(err);
      i += 4;
    } else {
      out.push(92);
      i += 1 + pushUtf8(body, i + 1, out);
    }
  }
  return utf8(out);
}

const I64_MAX = 9223372036854775807n;

/** `1h30m` → parts in source order. Magnitudes beyond int64 fail, as in Flux. */
export function decodeDuration(lit: string): Decoded<DurationPart[]> {
  const parts: DurationPart[] = [];
  const re = /(\d*)(\p{L}*)/uy;
  let i = 0;
  while (i < lit.length) {
    re.lastIndex = i;
    const m = re.exec(lit)!;
    const [whole, digits = '', unitText = ''] = m;
    if (digits === '') return fail('parsing empty magnitude');
    if (unitText === '') return fail('parsing empty unit');
    const magnitude = BigInt(digits);
    if (magnitude > I64_MAX) return fail('number too large to fit in target type');
    parts.push({ magnitude, unit: (unitText === 'µs' ? 'us' : unitText) as DurationUnit });
    i += whole.length;
  }
  return ok(parts);
}

/** An RFC3339 date-time or a bare date (midnight UTC) → nanoseconds since the epoch. */
export function decodeDateTime(lit: string): Decoded<bigint> {
  if (lit.includes('T') && !/(Z|[+-]\d\d:\d\d)$/.test(lit)) return fail('missing time offset');
  try {
    return ok(parseRfc3339Ns(lit));
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

/** Decimal integer text → int64, with Flux's messages for leading zeros and overflow. */
export function decodeInteger(lit: string): Decoded<bigint> {
  if (lit.length > 1 && lit.startsWith('0')) {
    return fail(`invalid integer literal "${lit}": nonzero value cannot start with 0`);
  }
  const v = BigInt(lit);
  if (v > I64_MAX) return fail(`invalid integer literal "${lit}": value out of range`);
  return ok(v);
}

const UNIT_NS: Record<DurationUnit, bigint> = {
  y: 0n,
  mo: 0n,
  w: 604_800_000_000_000n,
  d: 86_400_000_000_000n,
  h: 3_600_000_000_000n,
  m: 60_000_000_000n,
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1_000n,
  ns: 1n,
};

/**
 * The value of a duration literal's parts, as Flux sums them: years and months into months,
 * everything else into nanoseconds (`1mo5d` is 1 month and 5 days' nanoseconds). Literals are
 * never negative; `-1h` is a unary minus applied to this value.
 */
export function durationOfParts(parts: readonly DurationPart[]): Duration {
  let months = 0;
  let nanoseconds = 0n;
  for (const p of parts) {
    if (p.unit === 'y') months += Number(p.magnitude) * 12;
    else if (p.unit === 'mo') months += Number(p.magnitude);
    else nanoseconds += p.magnitude * UNIT_NS[p.unit];
  }
  return { months, nanoseconds, negative: false };
}
