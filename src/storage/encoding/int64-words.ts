/**
 * 64-bit integer arithmetic on `Int32Array`/`Uint32Array` pairs (`[2i]` low half, `[2i + 1]` high
 * half, the little-endian memory of a BigInt64Array). Bigint arithmetic costs an allocation per
 * operation; these loops cost none, which is what lets the integer and timestamp codecs run at
 * tens of millions of values per second.
 */

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  // The codecs view BigInt64Array memory as 32-bit halves and write typed-array memory to disk.
  throw new Error('Sluice block encoding requires a little-endian platform');
}

/** The memory of a 64-bit typed array as 32-bit halves (no copy). */
export function wordsOf(values: BigInt64Array | BigUint64Array | Float64Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
}

/**
 * out[i] = zigzag(v[from + i] - v[from + i - 1]) for i in [0, count): first differences, zig-zag
 * encoded, 64-bit wrapping. `v` and `out` are word pairs; `from ≥ 1`.
 */
export function deltaZigZag(v: Uint32Array, from: number, count: number, out: Uint32Array): void {
  let prevLo = v[2 * (from - 1)]!;
  let prevHi = v[2 * (from - 1) + 1]! | 0;
  for (let i = 0; i < count; i++) {
    const j = 2 * (from + i);
    const lo = v[j]!;
    const hi = v[j + 1]! | 0;
    const dLo = (lo - prevLo) >>> 0;
    const dHi = (hi - prevHi - (lo < prevLo ? 1 : 0)) | 0;
    const sign = dHi >> 31;
    out[2 * i] = ((dLo << 1) ^ sign) >>> 0;
    out[2 * i + 1] = (((dHi << 1) | (dLo >>> 31)) ^ sign) >>> 0;
    prevLo = lo;
    prevHi = hi;
  }
}

/**
 * Inverse of `deltaZigZag`: v[from + i] = v[from + i - 1] + unzigzag(z[i]); `v[from - 1]` must be
 * set. `z` and `v` are word pairs.
 */
export function undeltaZigZag(z: Uint32Array, count: number, v: Uint32Array, from: number): void {
  let lo = v[2 * (from - 1)]!;
  let hi = v[2 * (from - 1) + 1]! | 0;
  for (let i = 0; i < count; i++) {
    const zLo = z[2 * i]!;
    const zHi = z[2 * i + 1]!;
    const mask = -(zLo & 1);
    const dLo = (((zLo >>> 1) | (zHi << 31)) ^ mask) >>> 0;
    const dHi = ((zHi >>> 1) ^ mask) | 0;
    const sumLo = (lo + dLo) >>> 0;
    hi = (hi + dHi + (sumLo < lo ? 1 : 0)) | 0;
    lo = sumLo;
    const j = 2 * (from + i);
    v[j] = lo;
    v[j + 1] = hi;
  }
}

/**
 * Second differences: out[i] = zigzag((v[k] - v[k-1]) - (v[k-1] - v[k-2])) for k = from + i,
 * `from ≥ 2`. Word pairs, 64-bit wrapping.
 */
export function deltaOfDeltaZigZag(v: Uint32Array, from: number, count: number, out: Uint32Array): void {
  let prevLo = v[2 * (from - 1)]!;
  let prevHi = v[2 * (from - 1) + 1]! | 0;
  const ppLo = v[2 * (from - 2)]!;
  const ppHi = v[2 * (from - 2) + 1]! | 0;
  let pdLo = (prevLo - ppLo) >>> 0;
  let pdHi = (prevHi - ppHi - (prevLo < ppLo ? 1 : 0)) | 0;
  for (let i = 0; i < count; i++) {
    const j = 2 * (from + i);
    const lo = v[j]!;
    const hi = v[j + 1]! | 0;
    const dLo = (lo - prevLo) >>> 0;
    const dHi = (hi - prevHi - (lo < prevLo ? 1 : 0)) | 0;
    const ddLo = (dLo - pdLo) >>> 0;
    const ddHi = (dHi - pdHi - (dLo < pdLo ? 1 : 0)) | 0;
    const sign = ddHi >> 31;
    out[2 * i] = ((ddLo << 1) ^ sign) >>> 0;
    out[2 * i + 1] = (((ddHi << 1) | (ddLo >>> 31)) ^ sign) >>> 0;
    prevLo = lo;
    prevHi = hi;
    pdLo = dLo;
    pdHi = dHi;
  }
}

/** Inverse of `deltaOfDeltaZigZag`; `v[from - 2]` and `v[from - 1]` must be set. */
export function undeltaOfDeltaZigZag(z: Uint32Array, count: number, v: Uint32Array, from: number): void {
  let lo = v[2 * (from - 1)]!;
  let hi = v[2 * (from - 1) + 1]! | 0;
  const ppLo = v[2 * (from - 2)]!;
  const ppHi = v[2 * (from - 2) + 1]! | 0;
  let dLo = (lo - ppLo) >>> 0;
  let dHi = (hi - ppHi - (lo < ppLo ? 1 : 0)) | 0;
  for (let i = 0; i < count; i++) {
    const zLo = z[2 * i]!;
    const zHi = z[2 * i + 1]!;
    const mask = -(zLo & 1);
    const ddLo = (((zLo >>> 1) | (zHi << 31)) ^ mask) >>> 0;
    const ddHi = ((zHi >>> 1) ^ mask) | 0;
    const nLo = (dLo + ddLo) >>> 0;
    dHi = (dHi + ddHi + (nLo < dLo ? 1 : 0)) | 0;
    dLo = nLo;
    const sumLo = (lo + dLo) >>> 0;
    hi = (hi + dHi + (sumLo < lo ? 1 : 0)) | 0;
    lo = sumLo;
    const j = 2 * (from + i);
    v[j] = lo;
    v[j + 1] = hi;
  }
}
