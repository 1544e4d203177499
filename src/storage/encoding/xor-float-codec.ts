import { BitReader } from './bit-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';
import { wordsOf } from './int64-words.js';
import { ScratchBits } from './scratch.js';

const scratchBits = new ScratchBits();

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * Gorilla's XOR float encoding, on the raw 64 bits of each double (so NaN payloads, -0 and
 * ±Infinity round-trip bitwise). Per value after the first: `0` when equal to the previous
 * value; `1 0` + the XOR's meaningful bits when they fit the previous leading/trailing-zero
 * window; else `1 1` + 6-bit leading zeros + 6-bit (length - 1) + the bits. Bits are LSB-first,
 * so the two control bits `1 0` are written as the 2-bit value 0b01. Declines a chunk it would
 * make larger than 8 bytes per value.
 */
export const xorFloatCodec: ColumnCodec<Float64Array> = {
  id: CodecId.XorFloat,
  name: 'xor',

  encode(values: Float64Array, out: ByteWriter): boolean {
    const n = values.length;
    if (n === 0) return true;
    const w = wordsOf(values);
    const bits = scratchBits.get();
    let prevLo = w[0]!;
    let prevHi = w[1]!;
    bits.write(prevLo, 32);
    bits.write(prevHi, 32);
    let winLeading = -1;
    let winTrailing = 0;
    for (let i = 1; i < n; i++) {
      const lo = w[2 * i]!;
      const hi = w[2 * i + 1]!;
      const xLo = (lo ^ prevLo) >>> 0;
      const xHi = (hi ^ prevHi) >>> 0;
      prevLo = lo;
      prevHi = hi;
      if (xLo === 0 && xHi === 0) {
        bits.write(0, 1);
        continue;
      }
      const leading = xHi !== 0 ? Math.clz32(xHi) : 32 + Math.clz32(xLo);
      const trailing = xLo !== 0 ? ctz32(xLo) : 32 + ctz32(xHi);
      let shift: number;
      let length: number;
      if (winLeading >= 0 && leading >= winLeading && trailing >= winTrailing) {
        bits.write(0b01, 2);
        shift = winTrailing;
        length = 64 - winLeading - winTrailing;
      } else {
        bits.write(0b11, 2);
        bits.write(leading, 6);
        length = 64 - leading - trailing;
        bits.write(length - 1, 6);
        winLeading = leading;
        winTrailing = trailing;
        shift = trailing;
      }
      // (xHi:xLo) >>> shift, then the low `length` bits, low half first.
      let sLo: number;
      let sHi: number;
      if (shift === 0) {
        sLo = xLo;
        sHi = xHi;
      } else if (shift < 32) {
        sLo = ((xLo >>> shift) | (xHi << (32 - shift))) >>> 0;
        sHi = xHi >>> shift;
      } else {
        sLo = xHi >>> (shift - 32);
        sHi = 0;
      }
      if (length <= 32) {
        bits.write(length === 32 ? sLo : sLo & ((1 << length) - 1), length);
      } else {
        bits.write(sLo, 32);
        bits.write(sHi, length - 32);
      }
    }
    // Noise-like doubles can cost more than their raw 64 bits; the raw codec takes those.
    if (bits.lengthBits > 64 * n) return false;
    bits.finish(out);
    return true;
  },

  decode(payload: Uint8Array, count: number): Float64Array {
    const out = new Float64Array(count);
    if (count === 0) return out;
    const w = wordsOf(out);
    const bits = new BitReader(payload);
    let lo = bits.read(32);
    let hi = bits.read(32);
    w[0] = lo;
    w[1] = hi;
    let winLeading = 0;
    let winTrailing = 0;
    for (let i = 1; i < count; i++) {
      if (bits.read(1) !== 0) {
        if (bits.read(1) !== 0) {
          winLeading = bits.read(6);
          winTrailing = 64 - winLeading - (bits.read(6) + 1);
        }
        const length = 64 - winLeading - winTrailing;
        let sLo: number;
        let sHi: number;
        if (length <= 32) {
          sLo = bits.read(length);
          sHi = 0;
        } else {
          sLo = bits.read(32);
          sHi = bits.read(length - 32);
        }
        // (sHi:sLo) << winTrailing
        const t = winTrailing;
        let xLo: number;
        let xHi: number;
        if (t === 0) {
          xLo = sLo;
          xHi = sHi;
        } else if (t < 32) {
          xLo = sLo << t;
          xHi = (sHi << t) | (sLo >>> (32 - t));
        } else {
          xLo = 0;
          xHi = sLo << (t - 32);
        }
        lo = (lo ^ xLo) >>> 0;
        hi = (hi ^ xHi) >>> 0;
      }
      w[2 * i] = lo;
      w[2 * i + 1] = hi;
    }
    return out;
  },
};
