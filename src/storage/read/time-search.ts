/**
 * Binary search over nanosecond timestamps without creating a bigint per probe: a BigInt64Array
 * element is read as two 32-bit halves through an Int32Array view of the same memory (little
 * endian, as every platform Node runs on). Push-down aggregation calls this once per window, so
 * it sits on the hot read path.
 */
export function lowerBound(ts: BigInt64Array, boundNs: bigint, from = 0, to = ts.length): number {
  if (boundNs > 0x7fffffffffffffffn) return to;
  if (boundNs < -0x8000000000000000n) return from;
  const halves = new Int32Array(ts.buffer, ts.byteOffset, ts.length * 2);
  const bHi = Number(BigInt.asIntN(32, boundNs >> 32n));
  const bLo = Number(BigInt.asUintN(32, boundNs));
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const h = halves[2 * mid + 1]!;
    if (h < bHi || (h === bHi && halves[2 * mid]! >>> 0 < bLo)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose timestamp is > `boundNs`. */
export function upperBound(ts: BigInt64Array, boundNs: bigint, from = 0, to = ts.length): number {
  return lowerBound(ts, boundNs + 1n, from, to);
}
