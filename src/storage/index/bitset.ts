import { anchorShapes } from '../../core/shape-anchors.js';

/**
 * A fixed-size set of small non-negative integers (series ids), for evaluating predicates over the
 * inverted index with word-wide boolean operations instead of per-id set look-ups.
 */
export class Bitset {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }

  static full(size: number): Bitset {
    const b = new Bitset(size);
    b.words.fill(0xffffffff);
    b.clearTail();
    return b;
  }

  static of(size: number, ids: Iterable<number>): Bitset {
    const b = new Bitset(size);
    for (const id of ids) b.add(id);
    return b;
  }

  add(id: number): void {
    this.words[id >>> 5]! |= 1 << (id & 31);
  }

  has(id: number): boolean {
    return (this.words[id >>> 5]! & (1 << (id & 31))) !== 0;
  }

  and(o: Bitset): Bitset {
    const r = new Bitset(this.size);
    for (let i = 0; i < r.words.length; i++) r.words[i] = this.words[i]! & o.words[i]!;
    return r;
  }

  or(o: Bitset): Bitset {
    const r = new Bitset(this.size);
    for (let i = 0; i < r.words.length; i++) r.words[i] = this.words[i]! | o.words[i]!;
    return r;
  }

  not(): Bitset {
    const r = new Bitset(this.size);
    for (let i = 0; i < r.words.length; i++) r.words[i] = ~this.words[i]! >>> 0;
    r.clearTail();
    return r;
  }

  /** Set members in ascending order. */
  toArray(): number[] {
    const out: number[] = [];
    for (let w = 0; w < this.words.length; w++) {
      let bits = this.words[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        out.push((w << 5) + 31 - Math.clz32(low));
        bits ^= low;
      }
    }
    return out;
  }

  private clearTail(): void {
    const extra = this.words.length * 32 - this.size;
    if (extra > 0) this.words[this.words.length - 1]! &= 0xffffffff >>> extra;
  }
}

// Bitsets live only while a predicate is evaluated: one kept alive keeps their map (shape-anchors.ts).
anchorShapes(new Bitset(32));
