import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { boolValue, floatValue, intValue, recordValue, uintValue, type Value } from '../../values/value.js';
import { copysign, float64bits, float64frombits, frexp, ldexp, modf, nextafter, remainder, roundHalfAway, roundHalfEven, signbit } from './float-bits.js';
import { erf, erfc, erfcinv, erfinv, gamma, jn, lgamma, yn } from './special-functions.js';

/** `math`: Go's math package for Flux floats, with Go's special cases (NaN, ±Inf, -0). */

// Float to float functions cannot fail: each declares its scalar form, so row functions calling
// it compile to column kernels.
const unary = (f: (x: number) => number, param = 'x'): BuiltinSpec => ({
  signature: `(${param}: float) => float`,
  call: (args) => floatValue(f(args.float(param))),
  scalar: { params: [param], paramTypes: ['float'], result: 'float', fn: (x) => f(x as number) },
});

const binary = (f: (a: number, b: number) => number, a = 'x', b = 'y'): BuiltinSpec => ({
  signature: `(${a}: float, ${b}: float) => float`,
  call: (args) => floatValue(f(args.float(a), args.float(b))),
  scalar: { params: [a, b], paramTypes: ['float', 'float'], result: 'float', fn: (x, y) => f(x as number, y as number) },
});

/** ilogb's results for 0 and for ±Inf/NaN, as Go (MinInt32, MaxInt32). */
const MIN_INT32 = -2147483648;
const MAX_INT32 = 2147483647;

function ilogb(x: number): number {
  if (x === 0) return MIN_INT32;
  if (!Number.isFinite(x)) return MAX_INT32;
  return frexp(x).exp - 1;
}

/** Go's Pow, which differs from JS on a base of ±1: 1^y = 1 and (-1)^±Inf = 1. */
function pow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

function pow10(n: number): number {
  if (n < -323) return 0;
  if (n > 308) return Infinity;
  return Number(`1e${n}`);
}

/** Go's Max/Min: an infinity in the winning direction beats NaN. */
function max(x: number, y: number): number {
  if (x === Infinity || y === Infinity) return Infinity;
  return Math.max(x, y);
}
function min(x: number, y: number): number {
  if (x === -Infinity || y === -Infinity) return -Infinity;
  return Math.min(x, y);
}

/** Go's Dim: max(x - y, 0), NaN for Inf - Inf and NaN arguments. */
function dim(x: number, y: number): number {
  const v = x - y;
  return v <= 0 ? 0 : v;
}

/** Bessel orders are ints; JS numbers keep them exact for any realistic order. */
const order = (n: bigint): number => Number(BigInt.asIntN(32, n));

const builtins: Record<string, BuiltinSpec> = {
  abs: unary(Math.abs),
  acos: unary(Math.acos),
  acosh: unary(Math.acosh),
  asin: unary(Math.asin),
  asinh: unary(Math.asinh),
  atan: unary(Math.atan),
  atan2: binary(Math.atan2, 'y', 'x'),
  atanh: unary(Math.atanh),
  cbrt: unary(Math.cbrt),
  ceil: unary(Math.ceil),
  copysign: binary(copysign),
  cos: unary(Math.cos),
  cosh: unary(Math.cosh),
  dim: binary(dim),
  erf: unary(erf),
  erfc: unary(erfc),
  erfcinv: unary(erfcinv),
  erfinv: unary(erfinv),
  exp: unary(Math.exp),
  exp2: unary((x) => Math.pow(2, x)),
  expm1: unary(Math.expm1),
  float64bits: { signature: '(f: float) => uint', call: (args) => uintValue(float64bits(args.float('f'))) },
  float64frombits: {
    signature: '(b: uint) => float',
    call(args) {
      const b = args.value('b');
      if (b.kind !== 'uint') throw new CallError(`argument b: expected uint, got ${b.kind}`);
      return floatValue(float64frombits(b.value));
    },
  },
  floor: unary(Math.floor),
  frexp: {
    signature: '(f: float) => {frac: float, exp: int}',
    call(args) {
      const r = frexp(args.float('f'));
      return recordValue([
        ['frac', floatValue(r.frac)],
        ['exp', intValue(BigInt(r.exp))],
      ]);
    },
  },
  gamma: unary(gamma),
  hypot: binary(Math.hypot, 'p', 'q'),
  ilogb: { signature: '(x: float) => int', call: (args) => intValue(BigInt(ilogb(args.float('x')))) },
  mInf: { signature: '(sign: int) => float', call: (args) => floatValue(args.int('sign') >= 0n ? Infinity : -Infinity) },
  isInf: {
    signature: '(f: float, sign: int) => bool',
    call(args) {
      const f = args.float('f');
      const sign = args.int('sign');
      return boolValue((sign >= 0n && f === Infinity) || (sign <= 0n && f === -Infinity));
    },
  },
  isNaN: { signature: '(f: float) => bool', call: (args) => boolValue(Number.isNaN(args.float('f'))) },
  j0: unary((x) => jn(0, x)),
  j1: unary((x) => jn(1, x)),
  jn: { signature: '(n: int, x: float) => float', call: (args) => floatValue(jn(order(args.int('n')), args.float('x'))) },
  ldexp: {
    signature: '(frac: float, exp: int) => float',
    call: (args) => floatValue(ldexp(args.float('frac'), Number(BigInt.asIntN(32, args.int('exp'))))),
  },
  lgamma: {
    signature: '(x: float) => {lgamma: float, sign: int}',
    call(args) {
      const r = lgamma(args.float('x'));
      return recordValue([
        ['lgamma', floatValue(r.lgamma)],
        ['sign', intValue(BigInt(r.sign))],
      ]);
    },
  },
  log: unary(Math.log),
  log10: unary(Math.log10),
  log1p: unary(Math.log1p),
  log2: unary(Math.log2),
  logb: unary((x) => (x === 0 ? -Infinity : Number.isNaN(x) ? NaN : Number.isFinite(x) ? ilogb(x) : Infinity)),
  mMax: binary(max),
  mMin: binary(min),
  mod: binary((x, y) => x % y),
  modf: {
    signature: '(f: float) => {int: float, frac: float}',
    call(args) {
      const r = modf(args.float('f'));
      return recordValue([
        ['int', floatValue(r.int)],
        ['frac', floatValue(r.frac)],
      ]);
    },
  },
  NaN: { signature: '() => float', call: () => floatValue(NaN) },
  nextafter: binary(nextafter),
  pow: binary(pow),
  pow10: { signature: '(n: int) => float', call: (args) => floatValue(pow10(Number(BigInt.asIntN(32, args.int('n'))))) },
  remainder: binary(remainder),
  round: unary(roundHalfAway),
  roundtoeven: unary(roundHalfEven),
  signbit: { signature: '(x: float) => bool', call: (args) => boolValue(signbit(args.float('x'))) },
  sin: unary(Math.sin),
  sincos: {
    signature: '(x: float) => {sin: float, cos: float}',
    call(args) {
      const x = args.float('x');
      return recordValue([
        ['sin', floatValue(Math.sin(x))],
        ['cos', floatValue(Math.cos(x))],
      ]);
    },
  },
  sinh: unary(Math.sinh),
  sqrt: unary(Math.sqrt),
  tan: unary(Math.tan),
  tanh: unary(Math.tanh),
  trunc: unary(Math.trunc),
  y0: unary((x) => yn(0, x)),
  y1: unary((x) => yn(1, x)),
  yn: { signature: '(n: int, x: float) => float', call: (args) => floatValue(yn(order(args.int('n')), args.float('x'))) },
};

const values: Record<string, Value> = {
  pi: floatValue(Math.PI),
  e: floatValue(Math.E),
  phi: floatValue(1.618033988749895),
  sqrt2: floatValue(Math.SQRT2),
  sqrte: floatValue(1.6487212707001282),
  sqrtpi: floatValue(1.772453850905516),
  sqrtphi: floatValue(1.272019649514069),
  ln2: floatValue(Math.LN2),
  log2e: floatValue(Math.LOG2E),
  ln10: floatValue(Math.LN10),
  log10e: floatValue(Math.LOG10E),
  maxfloat: floatValue(Number.MAX_VALUE),
  smallestNonzeroFloat: floatValue(Number.MIN_VALUE),
  maxint: intValue((1n << 63n) - 1n),
  minint: intValue(-(1n << 63n)),
  maxuint: uintValue((1n << 64n) - 1n),
};

export const mathPackage: PackageDef = { path: 'math', builtins, values };
