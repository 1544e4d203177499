import { durationFromNs, parseDuration } from '../../../../core/duration.js';
import { parseRfc3339Ns } from '../../../../core/time.js';
import { ColumnBuilder } from '../../../execute/column-builder.js';
import { columnValue, type ColumnData } from '../../../execute/column.js';
import { Table } from '../../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { formatType, T, type ColumnType } from '../../../values/mono-type.js';
import { formatFixedTime, stringOf } from '../../../values/format-value.js';
import {
  boolValue,
  bytesValue,
  durationValue,
  floatToInt,
  floatToUint,
  floatValue,
  intValue,
  nullValue,
  stringValue,
  timeValue,
  typeOf,
  uintValue,
  wrapInt,
  wrapUint,
  type Value,
} from '../../../values/value.js';
import { perTable } from './per-table.js';

type Target = 'bool' | 'bytes' | 'duration' | 'float' | 'int' | 'string' | 'time' | 'uint';

const INT_SYNTAX = /^[+-]?\d+$/;
const UINT_SYNTAX = /^\+?\d+$/;
const FLOAT_SYNTAX = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;

function cannot(v: Value, to: string): CallError {
  return new CallError(`cannot convert ${formatType(typeOf(v))} to ${to}`);
}

/** Flux's conversion functions (`int(v:)`, ...) on one value. Null converts to a typed null (but see bytes). */
export function convert(v: Value, to: Target): Value {
  // bytes() has no null shortcut in Flux: a null is an error like any other non-string.
  if (v.kind === 'null' && to === 'bytes') throw new CallError('cannot convert null to bytes');
  if (v.kind === 'null') return nullValue(T[to]);
  switch (to) {
    case 'string':
      if (v.kind === 'string') return v;
      // Flux prints times with all nine fraction digits here (values.Time.String).
      if (v.kind === 'time') return stringValue(formatFixedTime(v.value));
      try {
        return stringValue(stringOf(v));
      } catch {
        throw cannot(v, 'string');
      }
    case 'int':
      switch (v.kind) {
        case 'string':
          if (!INT_SYNTAX.test(v.value) || BigInt.asIntN(64, BigInt(v.value)) !== BigInt(v.value)) {
            throw new CallError(`cannot convert string "${v.value}" to int due to invalid syntax`);
          }
          return intValue(BigInt(v.value));
        case 'int':
          return v;
        case 'uint':
        case 'time':
          return intValue(wrapInt(v.value));
        case 'float':
          return intValue(floatToInt(v.value));
        case 'bool':
          return intValue(v.value ? 1n : 0n);
        case 'duration':
          return intValue(v.value.nanoseconds);
        default:
          throw cannot(v, 'int');
      }
    case 'uint':
      switch (v.kind) {
        case 'string':
          if (!UINT_SYNTAX.test(v.value) || BigInt.asUintN(64, BigInt(v.value)) !== BigInt(v.value)) {
            throw new CallError(`cannot convert string "${v.value}" to uint due to invalid syntax`);
          }
          return uintValue(BigInt(v.value));
        case 'uint':
          return v;
        case 'int':
        case 'time':
          return uintValue(wrapUint(v.value));
        case 'float':
          return uintValue(floatToUint(v.value));
        case 'bool':
          return uintValue(v.value ? 1n : 0n);
        case 'duration':
          return uintValue(wrapUint(v.value.nanoseconds));
        default:
          throw cannot(v, 'uint');
      }
    case 'float':
      switch (v.kind) {
        case 'string': {
          const s = v.value;
          if (!FLOAT_SYNTAX.test(s)) throw new CallError(`cannot convert string "${s}" to float due to invalid syntax`);
          const lower = s.toLowerCase().replace(/^\+/, '');
          if (lower === 'nan') return floatValue(NaN);
          if (lower === 'inf' || lower === 'infinity') return floatValue(Infinity);
          if (lower === '-inf' || lower === '-infinity') return floatValue(-Infinity);
          return floatValue(Number(s));
        }
        case 'int':
        case 'uint':
          return floatValue(Number(v.value));
        case 'float':
          return v;
        case 'bool':
          return floatValue(v.value ? 1 : 0);
        default:
          throw cannot(v, 'float');
      }
    case 'bool':
      switch (v.kind) {
        case 'string':
          if (v.value === 'true') return boolValue(true);
          if (v.value === 'false') return boolValue(false);
          throw new CallError(`cannot convert string "${v.value}" to bool`);
        case 'int':
        case 'uint':
          if (v.value === 0n || v.value === 1n) return boolValue(v.value === 1n);
          throw new CallError(`cannot convert ${v.kind} ${v.value} to bool, must be 0 or 1`);
        case 'float':
          if (v.value === 0 || v.value === 1) return boolValue(v.value === 1);
          throw new CallError(`cannot convert float ${v.value.toFixed(6)} to bool, must be 0 or 1`);
        case 'bool':
          return v;
        default:
          throw cannot(v, 'bool');
      }
    case 'time':
      switch (v.kind) {
        case 'string':
          try {
            return timeValue(parseRfc3339Ns(v.value));
          } catch {
            throw new CallError(`cannot convert string "${v.value}" to time due to invalid syntax`);
          }
        case 'int':
        case 'time':
          return timeValue(v.value);
        case 'uint':
          return timeValue(wrapInt(v.value));
        default:
          throw cannot(v, 'time');
      }
    case 'duration':
      switch (v.kind) {
        case 'string':
          try {
            return durationValue(parseDuration(v.value));
          } catch {
            throw new CallError(`cannot convert string "${v.value}" to duration due to invalid syntax`);
          }
        case 'int':
          return durationValue(durationFromNs(v.value));
        case 'uint':
          return durationValue(durationFromNs(wrapInt(v.value)));
        case 'duration':
          return v;
        default:
          throw cannot(v, 'duration');
      }
    case 'bytes':
      if (v.kind === 'string') return bytesValue(new TextEncoder().encode(v.value));
      if (v.kind === 'bytes') return v;
      throw cannot(v, 'bytes');
  }
}

/**
 * Numeric conversions of a whole column as typed-array loops (no Value per row), with the same
 * results as `convert`; undefined for the other cases. Nulls keep their bitmap.
 */
function fastConvert(src: ColumnData, to: ColumnType): ColumnData | undefined {
  const n = src.length;
  const valid = src.valid;
  if (to === 'float' && (src.type === 'int' || src.type === 'uint' || src.type === 'bool')) {
    const out = new Float64Array(n);
    const v = src.values;
    for (let i = 0; i < n; i++) out[i] = Number(v[i]!);
    return { type: 'float', length: n, valid, values: out };
  }
  if (to === 'int' && src.type === 'float') {
    const out = new BigInt64Array(n);
    const v = src.values;
    for (let i = 0; i < n; i++) out[i] = floatToInt(v[i]!);
    return { type: 'int', length: n, valid, values: out };
  }
  if (to === 'int' && (src.type === 'uint' || src.type === 'time')) {
    return { type: 'int', length: n, valid, values: new BigInt64Array(src.values.buffer, src.values.byteOffset, n).slice() };
  }
  if (to === 'uint' && (src.type === 'int' || src.type === 'time')) {
    return { type: 'uint', length: n, valid, values: new BigUint64Array(src.values.buffer, src.values.byteOffset, n).slice() };
  }
  if (to === 'time' && src.type === 'int') return { type: 'time', length: n, valid, values: src.values };
  return undefined;
}

function conversion(to: Target): BuiltinSpec {
  return { signature: `(v: A) => ${to}`, call: (args) => convert(args.value('v'), to) };
}

/** `toX()`: `_value` converted in every row (Flux defines these as a map over `_value`). */
function tableConversion(to: ColumnType & Target): BuiltinSpec {
  return {
    signature: '(<-tables: stream[A]) => stream[B]',
    call(args) {
      return perTable(args, (t) => {
        const j = t.colIndex('_value');
        if (j < 0 || t.cols[j]!.type === to) return t;
        const src = t.columns[j]!;
        let converted = fastConvert(src, to);
        if (converted === undefined) {
          const b = new ColumnBuilder(to, undefined, t.length);
          for (let i = 0; i < t.length; i++) b.pushValue(convert(columnValue(src, i), to));
          converted = b.finish(t.length);
        }
        const cols = [...t.cols];
        const columns = [...t.columns];
        cols[j] = { label: '_value', type: to };
        columns[j] = converted;
        if (t.key.has('_value')) throw new CallError('cannot convert _value: it is a group key column');
        return new Table(t.key, cols, columns, t.length);
      });
    },
  };
}

export const conversions: Record<string, BuiltinSpec> = {
  bool: conversion('bool'),
  bytes: conversion('bytes'),
  duration: conversion('duration'),
  float: conversion('float'),
  int: conversion('int'),
  string: conversion('string'),
  time: conversion('time'),
  uint: conversion('uint'),
  toBool: tableConversion('bool'),
  toFloat: tableConversion('float'),
  toInt: tableConversion('int'),
  toString: tableConversion('string'),
  toTime: tableConversion('time'),
  toUInt: tableConversion('uint'),
};
