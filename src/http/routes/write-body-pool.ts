import { Buffer } from 'node:buffer';

/**
 * Reusable memory for write bodies. A 5,000-line batch is ~1.8 MB; allocating a fresh buffer per
 * request makes V8 count that much new external memory each time, and external memory growth is
 * what starts full garbage collections. Writes hold a body only until it is parsed (the parser
 * copies what it keeps into strings), so a few buffers, handed back after parsing, serve every
 * write.
 *
 * Contract: `take` hands out a Buffer the caller owns until it passes that Buffer (or a view of
 * it) to `give`, once; after `give` the bytes may be overwritten by another request at any time.
 * Only memory from `take` is ever pooled: `give` ignores anything else.
 */
export class WriteBodyPool {
  private readonly free: ArrayBuffer[] = [];
  /** Memory this pool made, so `give` cannot adopt a foreign buffer (e.g. Node's shared slab). */
  private readonly ours = new WeakSet<ArrayBuffer>();

  /**
   * @param maxFree most buffers kept between requests (one per concurrent writer is enough)
   * @param maxPooledBytes buffers larger than this are not kept (rare huge bodies do not pin
   *   memory); the defaults pin at most 32 MiB
   */
  constructor(
    private readonly maxFree = 4,
    private readonly maxPooledBytes = 8 * 1024 * 1024,
  ) {}

  /** A buffer of exactly `sizeBytes` (contents unspecified) over pooled or new memory. */
  take(sizeBytes: number): Buffer {
    for (let i = 0; i < this.free.length; i++) {
      const ab = this.free[i]!;
      if (ab.byteLength >= sizeBytes) {
        this.free.splice(i, 1);
        return Buffer.from(ab, 0, sizeBytes);
      }
    }
    // Powers of two from 64 KiB, so bodies of similar size share buffers.
    let capacity = 64 * 1024;
    while (capacity < sizeBytes) capacity *= 2;
    const ab = new ArrayBuffer(capacity);
    this.ours.add(ab);
    return Buffer.from(ab, 0, sizeBytes);
  }

  /** Hands back memory from `take` (any view of it). */
  give(buf: Uint8Array): void {
    const ab = buf.buffer;
    if (!(ab instanceof ArrayBuffer) || !this.ours.has(ab) || this.free.includes(ab)) return;
    if (ab.byteLength > this.maxPooledBytes) return;
    if (this.free.length >= this.maxFree) {
      // Keep the larger buffers: they can serve any body the smaller ones can.
      let smallest = 0;
      for (let i = 1; i < this.free.length; i++) if (this.free[i]!.byteLength < this.free[smallest]!.byteLength) smallest = i;
      if (this.free[smallest]!.byteLength >= ab.byteLength) return;
      this.free.splice(smallest, 1);
    }
    this.free.push(ab);
  }

  /** Buffers kept for reuse (for tests and metrics). */
  get freeCount(): number {
    return this.free.length;
  }
}
