import { BitReader } from './bit-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';
import { wordsOf } from './int64-words.js';
import { readPackedWords, writePackedWords } from './packed-words.js';
import { ScratchBits, ScratchWords } from './scratch.js';

const scratchZ = new ScratchWords();
const scratchBits = new ScratchBits();

/**
 * Integers without a trend (gauges, codes, small random values): zig-zag of each value as packed
 * words, no delta. Where consecutive values are unrelated, a difference needs one bit more than
 * the values themselves; the encoder keeps whichever of this and the delta codec is smaller.
 */
export const zigzagIntegerCodec: ColumnCodec<BigInt64Array> = {
  id: CodecId.ZigZagInteger,
  name: 'zigzag-int',

  encode(values: BigInt64Array, out: ByteWriter): boolean {
    const n = values.length;
    const w = wordsOf(values);
    const z = scratchZ.get(n * 2);
    for (let i = 0; i < n; i++) {
      const lo = w[2 * i]!;
      const hi = w[2 * i + 1]! | 0;
      const sign = hi >> 31;
      z[2 * i] = ((lo << 1) ^ sign) >>> 0;
      z[2 * i + 1] = (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0;
    }
    const bits = scratchBits.get();
    writePackedWords(bits, z, n);
    bits.finish(out);
    return true;
  },

  decode(payload: Uint8Array, count: number): BigInt64Array {
    const out = new BigInt64Array(count);
    const w = wordsOf(out);
    readPackedWords(new BitReader(payload), count, w);
    for (let i = 0; i < count; i++) {
      const zLo = w[2 * i]!;
      const zHi = w[2 * i + 1]!;
      const mask = -(zLo & 1);
      w[2 * i] = ((zLo >>> 1) | (zHi << 31)) ^ mask;
      w[2 * i + 1] = (zHi >>> 1) ^ mask;
    }
    return out;
  },
};

/** Unsigned integers without a trend: the values themselves as packed words. */
export const packedUnsignedCodec: ColumnCodec<BigUint64Array> = {
  id: CodecId.PackedUnsigned,
  name: 'packed-uint',

  encode(values: BigUint64Array, out: ByteWriter): boolean {
    const bits = scratchBits.get();
    writePackedWords(bits, wordsOf(values), values.length);
    bits.finish(out);
    return true;
  },

  decode(payload: Uint8Array, count: number): BigUint64Array {
    const out = new BigUint64Array(count);
    readPackedWords(new BitReader(payload), count, wordsOf(out));
    return out;
  },
};
