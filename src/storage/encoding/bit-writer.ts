import type { ByteWriter } from './byte-writer.js';

/**
 * LSB-first bit stream over 32-bit words: field i starts at the bit where field i-1 ended, and a
 * field's low bit comes first. Words are little-endian, so `finish()` can hand out the word
 * buffer's bytes as they are.
 */
export class BitWriter {
  private words: Uint32Array;
  /** Bits written so far. */
  private pos = 0;

  constructor(initialCapacityBits = 8192) {
    this.words = new Uint32Array(Math.max(4, (initialCapacityBits >>> 5) + 2));
  }

  /** Clears the stream for reuse (keeps the buffer). */
  reset(): void {
    this.words.fill(0, 0, (this.pos >>> 5) + 2);
    this.pos = 0;
  }

  get lengthBits(): number {
    return this.pos;
  }

  /**
   * Appends the low `bits` bits of `value` (0 ≤ bits ≤ 32). Bits of `value` above `bits` must be
   * zero; callers mask.
   */
  write(value: number, bits: number): void {
    if (bits === 0) return;
    const pos = this.pos;
    const wi = pos >>> 5;
    if (wi + 2 > this.words.length) this.grow();
    const off = pos & 31;
    const words = this.words;
    words[wi] = words[wi]! | (value << off);
    if (off + bits > 32) words[wi + 1] = value >>> (32 - off);
    this.pos = pos + bits;
  }

  /**
   * Appends `src[from + i * stride]` for i in [0, count), each in `bits` bits (1..32): the packed
   * frames' hot loop, with the stream state kept in locals.
   */
  writeMany(src: Uint32Array, from: number, count: number, stride: number, bits: number): void {
    while (((this.pos + count * bits) >>> 5) + 2 > this.words.length) this.grow();
    const words = this.words;
    let pos = this.pos;
    let wi = pos >>> 5;
    let off = pos & 31;
    let cur = words[wi]!;
    for (let i = 0, j = from; i < count; i++, j += stride) {
      const v = src[j]!;
      cur |= v << off;
      off += bits;
      if (off >= 32) {
        words[wi++] = cur;
        off -= 32;
        cur = off === 0 ? 0 : v >>> (bits - off);
      }
    }
    words[wi] = cur;
    pos += count * bits;
    this.pos = pos;
  }

  private grow(): void {
    const next = new Uint32Array(this.words.length * 2);
    next.set(this.words);
    this.words = next;
  }

  /** Appends the stream, padded with zero bits to a whole byte, to `out`. */
  finish(out: ByteWriter): void {
    const byteLength = (this.pos + 7) >>> 3;
    out.bytesOf(new Uint8Array(this.words.buffer, 0, byteLength));
  }
}
