import { anchorShapes } from '../../core/shape-anchors.js';

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

// Readers live only while a block is decoded: one kept alive keeps their map (shape-anchors.ts).
anchorShapes(new BitReader(new Uint8Array(8)));
