import { invalid } from '../../core/errors.js';
import { formatType } from './mono-type.js';
import { typeOf, type Value } from './value.js';

/**
 * Orders strings by Unicode code point, which is the byte order of their UTF-8 encoding and so
 * the order Go (and therefore Flux) uses. JS `<` compares UTF-16 code units, which differs only
 * when a surrogate meets a code unit in U+E000..U+FFFF.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (D800-DFFF) encode code points above FFFF: move them above E000-FFFF.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Total order on floats for sorting: NaN sorts after every number and equals itself. */
export function compareFloats(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an === bn ? 0 : an ? 1 : -1;
}

export const compareBigints = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** int/uint against float (either order), exactly: no rounding of the integer to a double. */
export function compareMixedNumeric(a: bigint | number, b: bigint | number): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return compareBigints(a, b);
  const x = typeof a === 'bigint' ? a : b;
  const f = (typeof a === 'number' ? a : b) as number;
  // int/uint against float: compare exactly, not by converting the integer to a double.
  let c: number;
  if (Number.isNaN(f)) c = -1;
  else if (f === Infinity) c = -1;
  else if (f === -Infinity) c = 1;
  else {
    const fi = BigInt(Math.floor(f));
    c = x < fi ? -1 : x > fi ? 1 : f === Math.floor(f) ? 0 : -1;
  }
  return typeof a === 'bigint' || c === 0 ? c : -c;
}

function numeric(v: Value): bigint | number | undefined {
  return v.kind === 'int' || v.kind === 'uint' || v.kind === 'float' ? v.value : undefined;
}

/**
 * Orders two values as Flux's `sort()` and comparison operators do: null first (before every
 * non-null value), then by value. int, uint and float compare with each other numerically;
 * otherwise both values must have the same kind. Durations compare by months, then nanoseconds.
 * Throws `invalid` for values that have no order (records, functions, mixed kinds).
 *
 * Contract for the interpreter: Flux's `<`, `==`, ... yield null when an operand is null; check
 * for null before calling this (its null-first order is for sorting).
 */
export function compareValues(a: Value, b: Value): number {
  if (a.kind === 'null' || b.kind === 'null') {
    return a.kind === 'null' ? (b.kind === 'null' ? 0 : -1) : 1;
  }
  const an = numeric(a);
  const bn = numeric(b);
  if (an !== undefined && bn !== undefined) {
    if (typeof an === 'number' && typeof bn === 'number') return compareFloats(an, bn);
    return compareMixedNumeric(an, bn);
  }
  if (a.kind !== b.kind) throw incomparable(a, b);
  switch (a.kind) {
    case 'string':
      return compareStrings(a.value, (b as typeof a).value);
    case 'bool':
      return a.value === (b as typeof a).value ? 0 : a.value ? 1 : -1;
    case 'time':
      return compareBigints(a.value, (b as typeof a).value);
    case 'duration': {
      const d = (b as typeof a).value;
      return a.value.months !== d.months
        ? a.value.months < d.months
          ? -1
          : 1
        : compareBigints(a.value.nanoseconds, d.nanoseconds);
    }
    case 'bytes': {
      const x = a.value;
      const y = (b as typeof a).value;
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
    }
    case 'array': {
      const x = a.elements;
      const y = (b as typeof a).elements;
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
    }
    default:
      throw incomparable(a, b);
  }
}

function incomparable(a: Value, b: Value): Error {
  return invalid(`cannot compare ${formatType(typeOf(a))} with ${formatType(typeOf(b))}`);
}

/**
 * Structural equality: same kind and same contents. Unlike Flux's `==` it is total: null equals
 * null (of any type), and `1 == 1.0` is false here because the kinds differ. Used for group keys,
 * dict keys and table comparison. Floats are equal when `===` or both NaN. Functions and streams
 * are equal only when identical.
 */
export function equalValues(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'null':
      return true;
    case 'float': {
      const y = (b as typeof a).value;
      return a.value === y || (Number.isNaN(a.value) && Number.isNaN(y));
    }
    case 'int':
    case 'uint':
    case 'string':
    case 'bool':
    case 'time':
      return a.value === (b as typeof a).value;
    case 'duration': {
      const d = (b as typeof a).value;
      return a.value.months === d.months && a.value.nanoseconds === d.nanoseconds;
    }
    case 'bytes': {
      const x = a.value;
      const y = (b as typeof a).value;
      return x.length === y.length && x.every((byte, i) => byte === y[i]);
    }
    case 'regexp':
      return a.source === (b as typeof a).source;
    case 'array': {
      const y = (b as typeof a).elements;
      return a.elements.length === y.length && a.elements.every((e, i) => equalValues(e, y[i]!));
    }
    case 'record': {
      const y = (b as typeof a).fields;
      if (a.fields.size !== y.size) return false;
      for (const [k, v] of a.fields) {
        const w = y.get(k);
        if (w === undefined || !equalValues(v, w)) return false;
      }
      return true;
    }
    case 'dict': {
      const y = (b as typeof a).entries;
      return (
        a.entries.length === y.length &&
        a.entries.every(([k, v], i) => equalValues(k, y[i]![0]) && equalValues(v, y[i]![1]))
      );
    }
    case 'function':
    case 'stream':
      return false;
  }
}
