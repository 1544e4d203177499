import { BitWriter } from './bit-writer.js';

/**
 * Reusable per-call-site work buffers. Encoding runs synchronously start to finish, so a buffer
 * held by one call site is never in use twice at once; reusing it keeps chunk encoding free of
 * allocations (and of the GC pauses they cost at tens of millions of values per second).
 * Contents are garbage on `get`: callers overwrite every element they read.
 */
export class ScratchWords {
  private buf = new Uint32Array(0);

  get(length: number): Uint32Array {
    if (this.buf.length < length) this.buf = new Uint32Array(Math.max(length, this.buf.length * 2));
    return this.buf;
  }
}

export class ScratchFloats {
  private buf = new Float64Array(0);

  get(length: number): Float64Array {
    if (this.buf.length < length) this.buf = new Float64Array(Math.max(length, this.buf.length * 2));
    return this.buf;
  }
}

/** A `BitWriter` reset for a new stream. */
export class ScratchBits {
  private readonly bits = new BitWriter(1 << 16);

  get(): BitWriter {
    this.bits.reset();
    return this.bits;
  }
}
