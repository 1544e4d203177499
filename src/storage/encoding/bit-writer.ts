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

/** Reads a `BitWriter` stream. Reading past the end yields zero bits (the caller's CRC rules it out). */
export class BitReader {
  private readonly words: Uint32Array;
  private pos = 0;

  /** Copies `data` into an aligned, padded word buffer (one copy per chunk, none per value). */
  constructor(data: Uint8Array) {
    const words = new Uint32Array((data.length >>> 2) + 2);
    new Uint8Array(words.buffer).set(data);
    this.words = words;
  }

  /** The next `bits` bits (0 ≤ bits ≤ 32) as an unsigned number. */
  read(bits: number): number {
    if (bits === 0) return 0;
    const pos = this.pos;
    const wi = pos >>> 5;
    const off = pos & 31;
    const words = this.words;
    let v = words[wi]! >>> off;
    if (off + bits > 32) v |= words[wi + 1]! << (32 - off);
    this.pos = pos + bits;
    return bits === 32 ? v >>> 0 : v & ((1 << bits) - 1);
  }

  /**
   * Reads `count` fields of `bits` bits (1..32) into `dst[from + i * stride]`: the packed frames'
   * hot loop, with the stream state kept in locals.
   */
  readMany(dst: Uint32Array, from: number, count: number, stride: number, bits: number): void {
    const words = this.words;
    const mask = bits === 32 ? -1 : (1 << bits) - 1;
    let wi = this.pos >>> 5;
    let off = this.pos & 31;
    let cur = (words[wi] ?? 0) >>> off;
    for (let i = 0, j = from; i < count; i++, j += stride) {
      let v = cur;
      const end = off + bits;
      if (end >= 32) {
        const next = words[++wi] ?? 0;
        if (end > 32) v |= next << (32 - off);
        off = end - 32;
        cur = off === 0 ? next : next >>> off;
      } else {
        off = end;
        cur >>>= bits;
      }
      dst[j] = v & mask;
    }
    this.pos += count * bits;
  }

  /** Bytes consumed so far, rounded up to a whole byte. */
  get consumedBytes(): number {
    return (this.pos + 7) >>> 3;
  }
}
