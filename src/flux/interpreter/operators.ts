import type { BinaryOperator } from '../syntax/ast.js';
import { compareValues, equalValues } from '../values/compare-values.js';
import { formatType } from '../values/mono-type.js';
import {
  FALSE,
  NULL,
  TRUE,
  boolValue,
  durationValue,
  floatValue,
  intValue,
  stringValue,
  typeOf,
  uintValue,
  wrapInt,
  wrapUint,
  type Value,
} from '../values/value.js';
import { CallError } from './flux-error.js';

/**
 * Flux's binary operators on runtime values. Arithmetic needs both operands of the same numeric
 * kind (Flux does not convert implicitly); any null operand gives null, as Flux's runtime does.
 * Integer arithmetic wraps like Go's int64/uint64.
 */
export function binaryOp(op: BinaryOperator, l: Value, r: Value): Value {
  switch (op) {
    case '==':
    case '!=': {
      if (l.kind === 'null' || r.kind === 'null') return NULL;
      const eq = l.kind === r.kind || isNumeric(l) && isNumeric(r) ? valuesEqual(l, r) : mismatch(op, l, r);
      return boolValue(op === '==' ? eq : !eq);
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (l.kind === 'null' || r.kind === 'null') return NULL;
      if (l.kind !== r.kind && !(isNumeric(l) && isNumeric(r))) mismatch(op, l, r);
      if (l.kind === 'float' && r.kind === 'float') {
        const a = l.value;
        const b = r.value;
        return boolValue(op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b);
      }
      const c = compareValues(l, r);
      return boolValue(op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0);
    }
    case '=~':
    case '!~': {
      if (l.kind === 'null' || r.kind === 'null') return NULL;
      if (l.kind !== 'string' || r.kind !== 'regexp') mismatch(op, l, r);
      const m = (r as { regex: RegExp }).regex.test((l as { value: string }).value);
      return boolValue(op === '=~' ? m : !m);
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '^':
      return arithmetic(op, l, r);
    case '<INVALID_OP>':
      throw new CallError('invalid operator');
  }
}

function arithmetic(op: '+' | '-' | '*' | '/' | '%' | '^', l: Value, r: Value): Value {
  if (l.kind === 'null' || r.kind === 'null') return NULL;
  if (l.kind !== r.kind) mismatch(op, l, r);
  switch (l.kind) {
    case 'float': {
      const a = l.value;
      const b = (r as typeof l).value;
      switch (op) {
        case '+':
          return floatValue(a + b);
        case '-':
          return floatValue(a - b);
        case '*':
          return floatValue(a * b);
        case '/':
          return floatValue(a / b);
        case '%':
          return floatValue(a % b);
        case '^':
          return floatValue(Math.pow(a, b));
      }
      break;
    }
    case 'int':
    case 'uint': {
      const a = l.value;
      const b = (r as typeof l).value;
      const wrap = l.kind === 'int' ? wrapInt : wrapUint;
      const make = l.kind === 'int' ? intValue : uintValue;
      switch (op) {
        case '+':
          return make(wrap(a + b));
        case '-':
          return make(wrap(a - b));
        case '*':
          return make(wrap(a * b));
        case '/':
          if (b === 0n) throw new CallError('cannot divide by zero');
          return make(wrap(a / b));
        case '%':
          if (b === 0n) throw new CallError('cannot divide by zero');
          return make(wrap(a % b));
        case '^':
          return floatValue(Math.pow(Number(a), Number(b)));
      }
      break;
    }
    case 'string':
      if (op === '+') return stringValue(l.value + (r as typeof l).value);
      break;
    case 'duration':
      if (op === '+' || op === '-') {
        const b = (r as typeof l).value;
        const s = op === '+' ? 1 : -1;
        const months = l.value.months + s * b.months;
        const nanoseconds = l.value.nanoseconds + BigInt(s) * b.nanoseconds;
        return durationValue({ months, nanoseconds, negative: months < 0 || nanoseconds < 0n });
      }
      break;
    default:
      break;
  }
  throw new CallError(`unsupported binary expression ${formatType(typeOf(l))} ${op} ${formatType(typeOf(r))}`);
}

export function unaryOp(op: '-' | '+' | 'not' | 'exists', v: Value): Value {
  switch (op) {
    case 'exists':
      return boolValue(v.kind !== 'null');
    case 'not':
      if (v.kind === 'null') return NULL;
      if (v.kind !== 'bool') throw new CallError(`operator "not" expects bool, got ${formatType(typeOf(v))}`);
      return v.value ? FALSE : TRUE;
    case '+':
      return v;
    case '-':
      switch (v.kind) {
        case 'null':
          return NULL;
        case 'int':
          return intValue(wrapInt(-v.value));
        case 'float':
          return floatValue(-v.value);
        case 'duration':
          return durationValue({
            months: v.value.months === 0 ? 0 : -v.value.months,
            nanoseconds: -v.value.nanoseconds,
            negative: !v.value.negative,
          });
        default:
          throw new CallError(`unsupported unary expression -${formatType(typeOf(v))}`);
      }
  }
}

function isNumeric(v: Value): boolean {
  return v.kind === 'int' || v.kind === 'uint' || v.kind === 'float';
}

function valuesEqual(l: Value, r: Value): boolean {
  if (isNumeric(l) && isNumeric(r)) {
    if (l.kind === 'float' && r.kind === 'float') return l.value === r.value;
    return compareValues(l, r) === 0;
  }
  return equalValues(l, r);
}

function mismatch(op: string, l: Value, r: Value): never {
  throw new CallError(`unsupported binary expression ${formatType(typeOf(l))} ${op} ${formatType(typeOf(r))}`);
}
