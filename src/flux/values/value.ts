import type { Duration } from '../../core/duration.js';
import type { TableStream } from '../execute/table-stream.js';
import {
  T,
  arrayType,
  dictType,
  recordType,
  streamType,
  type FunctionType,
  type MonoType,
  type RecordType,
} from './mono-type.js';

/**
 * The runtime representation of every Flux value: a readonly object with a `kind` discriminant
 * (switch on `v.kind`; adding a kind then fails to compile where it is not handled).
 *
 * Representation decisions (contracts for the interpreter and the stdlib):
 * - `int` and `uint` are `bigint`, exactly 64-bit. Constructors do not wrap: arithmetic must
 *   wrap with `wrapInt`/`wrapUint` (Go's int64/uint64 overflow semantics). In tables they are
 *   BigInt64Array/BigUint64Array, so no precision is lost between a value and a column.
 * - `float` is a JS number (IEEE-754 binary64, as in Flux).
 * - `time` is nanoseconds since the Unix epoch as `bigint` (`value`), UTC.
 * - `duration` is core's `Duration` (months and nanoseconds kept apart, as Flux does).
 * - `null` is typed: `{kind: 'null', type}`; the untyped null literal has type `T.null`. Code that
 *   only asks "is it null" tests `v.kind === 'null'`.
 * - Records keep their keys in insertion order (a Map); `with` semantics belong to the interpreter.
 * - Dicts keep their entries sorted by key (`compareValues`), unique keys; use `dictValue`.
 * - Functions are an interface the interpreter (closures) and the stdlib (builtins) implement.
 * - Streams wrap a `TableStream` (see src/flux/execute/table-stream.ts).
 * Values are immutable; share them freely.
 */
export type Value =
  | IntValue
  | UIntValue
  | FloatValue
  | StringValue
  | BoolValue
  | TimeValue
  | DurationValue
  | BytesValue
  | RegexpValue
  | NullValue
  | RecordValue
  | ArrayValue
  | DictValue
  | FunctionValue
  | StreamValue;

export type ValueKind = Value['kind'];

export interface IntValue {
  readonly kind: 'int';
  readonly value: bigint;
}
export interface UIntValue {
  readonly kind: 'uint';
  readonly value: bigint;
}
export interface FloatValue {
  readonly kind: 'float';
  readonly value: number;
}
export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
}
export interface BoolValue {
  readonly kind: 'bool';
  readonly value: boolean;
}
export interface TimeValue {
  readonly kind: 'time';
  /** Nanoseconds since the Unix epoch (UTC). */
  readonly value: bigint;
}
export interface DurationValue {
  readonly kind: 'duration';
  readonly value: Duration;
}
export interface BytesValue {
  readonly kind: 'bytes';
  readonly value: Uint8Array;
}
export interface RegexpValue {
  readonly kind: 'regexp';
  /** The pattern as written in Flux (RE2 syntax, without the slashes); what Flux prints. */
  readonly source: string;
  /** The compiled JS equivalent; translating RE2 to JS syntax is the interpreter's job. */
  readonly regex: RegExp;
}
export interface NullValue {
  readonly kind: 'null';
  /** The type this null stands for (`T.null` when unknown). */
  readonly type: MonoType;
}
export interface RecordValue {
  readonly kind: 'record';
  readonly fields: ReadonlyMap<string, Value>;
}
export interface ArrayValue {
  readonly kind: 'array';
  /** Needed for empty arrays; for non-empty ones it is the type of the elements. */
  readonly elementType: MonoType;
  readonly elements: readonly Value[];
}
export interface DictValue {
  readonly kind: 'dict';
  readonly keyType: MonoType;
  readonly valueType: MonoType;
  /** Sorted by key with `compareValues`, keys unique. Build with `dictValue`. */
  readonly entries: readonly (readonly [Value, Value])[];
}

/**
 * A callable Flux function. Arguments are always named (Flux has no positional arguments); the
 * piped-in value arrives under its parameter's name (e.g. `tables`). Defaults for omitted optional
 * parameters are the implementation's business. May return a promise (stream-producing builtins,
 * anything that awaits I/O); callers must await the result.
 */
export interface FunctionValue {
  readonly kind: 'function';
  /** The name it was defined with (`filter`), or '' for an anonymous function literal. */
  readonly name: string;
  readonly type: FunctionType;
  call(args: ReadonlyMap<string, Value>): Value | Promise<Value>;
}

export interface StreamValue {
  readonly kind: 'stream';
  readonly tables: TableStream;
  /** The row type when known (for error messages); `{}` otherwise. */
  readonly rowType?: RecordType;
}

// ---- constructors -------------------------------------------------------------------------

export const intValue = (value: bigint): IntValue => ({ kind: 'int', value });
export const uintValue = (value: bigint): UIntValue => ({ kind: 'uint', value });
export const floatValue = (value: number): FloatValue => ({ kind: 'float', value });
export const stringValue = (value: string): StringValue => ({ kind: 'string', value });
export const timeValue = (valueNs: bigint): TimeValue => ({ kind: 'time', value: valueNs });
export const durationValue = (value: Duration): DurationValue => ({ kind: 'duration', value });
export const bytesValue = (value: Uint8Array): BytesValue => ({ kind: 'bytes', value });
export const regexpValue = (source: string, regex: RegExp): RegexpValue => ({ kind: 'regexp', source, regex });
export const nullValue = (type: MonoType = T.null): NullValue => ({ kind: 'null', type });
export const TRUE: BoolValue = Object.freeze({ kind: 'bool', value: true });
export const FALSE: BoolValue = Object.freeze({ kind: 'bool', value: false });
export const boolValue = (value: boolean): BoolValue => (value ? TRUE : FALSE);
/** The untyped null literal. */
export const NULL: NullValue = Object.freeze({ kind: 'null', type: T.null });

export function recordValue(fields: Iterable<readonly [string, Value]> | Record<string, Value>): RecordValue {
  const map =
    Symbol.iterator in fields
      ? new Map(fields as Iterable<readonly [string, Value]>)
      : new Map(Object.entries(fields as Record<string, Value>));
  return { kind: 'record', fields: map };
}

export function arrayValue(elements: readonly Value[], elementType?: MonoType): ArrayValue {
  const type = elementType ?? (elements.length > 0 ? typeOf(elements[0]!) : T.null);
  return { kind: 'array', elementType: type, elements };
}

export function streamValue(tables: TableStream, rowType?: RecordType): StreamValue {
  return rowType === undefined ? { kind: 'stream', tables } : { kind: 'stream', tables, rowType };
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Wraps to a signed 64-bit integer, as Go int64 arithmetic does on overflow. */
export const wrapInt = (v: bigint): bigint => BigInt.asIntN(64, v);
/** Wraps to an unsigned 64-bit integer, as Go uint64 arithmetic does on overflow. */
export const wrapUint = (v: bigint): bigint => BigInt.asUintN(64, v);

/** Go's int64(f): truncation; NaN and out-of-range give the minimum int64, as on amd64. */
export function floatToInt(f: number): bigint {
  if (!Number.isFinite(f) || f >= 9223372036854775808 || f < -9223372036854775808) return -(1n << 63n);
  return BigInt(Math.trunc(f));
}

/** Go's uint64(f) as on amd64: truncation; NaN and out-of-range give 2^63. */
export function floatToUint(f: number): bigint {
  if (!Number.isFinite(f) || f >= 18446744073709551616) return 1n << 63n;
  return wrapUint(BigInt(Math.trunc(f)));
}
export const isInt64 = (v: bigint): boolean => v >= INT64_MIN && v <= INT64_MAX;
export const isUint64 = (v: bigint): boolean => v >= 0n && v <= UINT64_MAX;

/** The MonoType of a value (records and arrays are typed structurally from their contents). */
export function typeOf(v: Value): MonoType {
  switch (v.kind) {
    case 'null':
      return v.type;
    case 'record':
      return recordType([...v.fields].map(([name, fv]) => ({ name, type: typeOf(fv) })));
    case 'array':
      return arrayType(v.elementType);
    case 'dict':
      return dictType(v.keyType, v.valueType);
    case 'function':
      return v.type;
    case 'stream':
      return streamType(v.rowType ?? recordType([]));
    default:
      return T[v.kind];
  }
}

/** Reads a record field; a missing field reads as untyped null, as in Flux (`r.missing`). */
export function getField(r: RecordValue, name: string): Value {
  return r.fields.get(name) ?? NULL;
}
