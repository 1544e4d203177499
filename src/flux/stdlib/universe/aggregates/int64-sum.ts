/**
 * Exact sums of 64-bit integer runs without a BigInt per element: the 32-bit halves of each
 * word are summed as doubles (exact while fewer than 2^21 words are added per chunk), then
 * combined once per chunk. The result wraps modulo 2^64 as Go's int64/uint64 addition does.
 * With a validity bitmap only valid rows are added (not relying on null slots holding 0).
 * Assumes little-endian words, which is every platform Node runs on.
 */
const CHUNK = 1 << 20;

export function sumInt64(
  values: BigInt64Array | BigUint64Array,
  from: number,
  to: number,
  signed: boolean,
  valid: Uint8Array | null = null,
): bigint {
  if (valid !== null) {
    let s = 0n;
    for (let i = from; i < to; i++) if ((valid[i >>> 3]! & (1 << (i & 7))) !== 0) s += values[i]!;
    return signed ? BigInt.asIntN(64, s) : BigInt.asUintN(64, s);
  }
  const lo = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const hi = signed ? new Int32Array(values.buffer, values.byteOffset, values.length * 2) : lo;
  let total = 0n;
  for (let start = from; start < to; start += CHUNK) {
    const end = Math.min(to, start + CHUNK);
    let sLo = 0;
    let sHi = 0;
    for (let i = start; i < end; i++) {
      sLo += lo[2 * i]!;
      sHi += hi[2 * i + 1]!;
    }
    total += (BigInt(sHi) << 32n) + BigInt(sLo);
  }
  return signed ? BigInt.asIntN(64, total) : BigInt.asUintN(64, total);
}

/** Non-null rows in [from, to) per a validity bitmap (null bitmap = all valid). */
export function validCount(valid: Uint8Array | null, from: number, to: number): number {
  if (valid === null) return to - from;
  let n = 0;
  for (let i = from; i < to; i++) if ((valid[i >>> 3]! & (1 << (i & 7))) !== 0) n++;
  return n;
}
