import type { BitReader } from './bit-reader.js';
import type { BitWriter } from './bit-writer.js';

/**
 * Packed words: unsigned 64-bit words in frames of `FRAME_WORDS`. A frame is its width (7 bits,
 * 0..64: the bit length of its largest word) and then each word in `width` bits (low 32 bits
 * first when wider than 32). One width per frame is simple8b's idea without its selector table:
 * a frame of zeros (constant step after delta) costs 7 bits, and decoding has no per-value
 * branches on layout.
 *
 * 64-bit words travel as `Uint32Array` pairs (`[2i]` low half, `[2i + 1]` high half), i.e. the
 * little-endian memory of a BigUint64Array, so no bigint is created per value.
 */
export const FRAME_WORDS = 128;

export function writePackedWords(out: BitWriter, words: Uint32Array, count: number): void {
  for (let start = 0; start < count; start += FRAME_WORDS) {
    const end = Math.min(count, start + FRAME_WORDS);
    let orLo = 0;
    let orHi = 0;
    for (let i = start; i < end; i++) {
      orLo |= words[2 * i]!;
      orHi |= words[2 * i + 1]!;
    }
    if (orHi !== 0) {
      const width = 64 - Math.clz32(orHi);
      out.write(width, 7);
      const hiBits = width - 32;
      for (let i = start; i < end; i++) {
        out.write(words[2 * i]!, 32);
        out.write(words[2 * i + 1]!, hiBits);
      }
    } else {
      const width = 32 - Math.clz32(orLo);
      out.write(width, 7);
      if (width !== 0) out.writeMany(words, 2 * start, end - start, 2, width);
    }
  }
}

export function readPackedWords(reader: BitReader, count: number, out: Uint32Array): void {
  for (let start = 0; start < count; start += FRAME_WORDS) {
    const end = Math.min(count, start + FRAME_WORDS);
    const width = reader.read(7);
    if (width > 32) {
      const hiBits = width - 32;
      for (let i = start; i < end; i++) {
        out[2 * i] = reader.read(32);
        out[2 * i + 1] = reader.read(hiBits);
      }
    } else if (width === 0) {
      out.fill(0, 2 * start, 2 * end);
    } else {
      // High halves: `out` is zeroed by the caller's allocation or by this fill.
      out.fill(0, 2 * start, 2 * end);
      reader.readMany(out, 2 * start, end - start, 2, width);
    }
  }
}

/** The same format for words known to fit 32 bits (string lengths, dictionary indexes). */
export function writePackedU32(out: BitWriter, values: Uint32Array, count: number): void {
  for (let start = 0; start < count; start += FRAME_WORDS) {
    const end = Math.min(count, start + FRAME_WORDS);
    let or = 0;
    for (let i = start; i < end; i++) or |= values[i]!;
    const width = 32 - Math.clz32(or);
    out.write(width, 7);
    if (width !== 0) out.writeMany(values, start, end - start, 1, width);
  }
}

/** Reads `writePackedU32`'s format; a frame wider than 32 bits is a format error. */
export function readPackedU32(reader: BitReader, count: number, out: Uint32Array): void {
  for (let start = 0; start < count; start += FRAME_WORDS) {
    const end = Math.min(count, start + FRAME_WORDS);
    const width = reader.read(7);
    if (width > 32) throw new RangeError(`packed 32-bit frame has width ${width}`);
    if (width === 0) {
      out.fill(0, start, end);
      continue;
    }
    reader.readMany(out, start, end - start, 1, width);
  }
}
