/**
 * IEEE-754 binary64 bit-level helpers with Go's `math` semantics (sign of zero, NaN, ±Inf).
 */

const view = new DataView(new ArrayBuffer(8));

export function float64bits(f: number): bigint {
  view.setFloat64(0, f);
  return view.getBigUint64(0);
}

export function float64frombits(b: bigint): number {
  view.setBigUint64(0, BigInt.asUintN(64, b));
  return view.getFloat64(0);
}

/** True when the sign bit is set (also for -0 and negative NaNs). */
export function signbit(x: number): boolean {
  return (float64bits(x) >> 63n) === 1n;
}

export function copysign(x: number, y: number): number {
  const magnitude = float64bits(x) & ~(1n << 63n);
  return float64frombits(signbit(y) ? magnitude | (1n << 63n) : magnitude);
}

/** Go's Frexp: x = frac × 2^exp with 0.5 ≤ |frac| < 1; ±0, ±Inf and NaN give (x, 0). */
export function frexp(x: number): { frac: number; exp: number } {
  if (x === 0 || !Number.isFinite(x)) return { frac: x, exp: 0 };
  let f = x;
  let e = 0;
  if (Math.abs(f) < 2.2250738585072014e-308) {
    // Subnormal: normalise first.
    f *= 2 ** 52;
    e = -52;
  }
  const bits = float64bits(f);
  e += Number((bits >> 52n) & 0x7ffn) - 1022;
  const fracBits = (bits & ~(0x7ffn << 52n)) | (1022n << 52n);
  return { frac: float64frombits(fracBits), exp: e };
}

/** Go's Ldexp: frac × 2^exp, without intermediate overflow or underflow. */
export function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  const { frac: f, exp: e0 } = frexp(frac);
  const e = e0 + Math.max(-2200, Math.min(2200, exp));
  if (e > 1024) return copysign(Infinity, frac);
  if (e === 1024) return f * 2 * 2 ** 1023;
  if (e >= -1021) return f * 2 ** e;
  if (e < -1080) return copysign(0, frac);
  // Subnormal result: scale exactly into the normal range, then round once.
  return f * 2 ** (e + 1074) * 5e-324;
}

/** Go's Nextafter: the next representable value after x towards y. */
export function nextafter(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === y) return x;
  if (x === 0) return copysign(float64frombits(1n), y);
  const bits = float64bits(x);
  const up = y > x === x > 0;
  return float64frombits(up ? bits + 1n : bits - 1n);
}

/** Go's Round: half away from zero; keeps the sign of zero. */
export function roundHalfAway(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  const r = Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
  return r === 0 ? copysign(0, x) : r;
}

/** Go's RoundToEven: half to even; keeps the sign of zero. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  const d = Math.abs(x - t);
  const r = d > 0.5 || (d === 0.5 && t % 2 !== 0) ? t + Math.sign(x) : t;
  return r === 0 ? copysign(0, x) : r;
}

/** Go's Modf: integer and fractional parts, both with the sign of f. */
export function modf(f: number): { int: number; frac: number } {
  if (f < 1) {
    if (f < 0) {
      const m = modf(-f);
      return { int: -m.int, frac: -m.frac };
    }
    if (f === 0) return { int: f, frac: f };
    return { int: 0, frac: f };
  }
  const int = Math.trunc(f);
  return { int, frac: f - int };
}

/** Go's Remainder: IEEE 754 remainder x - n×y with n = x/y rounded half to even. */
export function remainder(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x) || y === 0) return NaN;
  if (!Number.isFinite(y)) return x;
  const ay = Math.abs(y);
  let r = Math.abs(x) % ay; // exact
  const q = (Math.abs(x) - r) / ay;
  const odd = q < 2 ** 53 && q % 2 === 1;
  if (r > ay / 2 || (r === ay / 2 && odd)) r -= ay;
  return x < 0 || Object.is(x, -0) ? -r : r === 0 ? 0 : r;
}
