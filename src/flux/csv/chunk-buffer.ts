/**
 * An append-only byte buffer for building a response body in chunks: writers reserve room with
 * `ensure(n)` and then write at `pos` directly (`buf[pos++] = byte`), which is what makes the
 * encoder's inner loop cheap. `take()` hands the bytes written so far to the caller as a chunk the
 * caller then owns (a socket may hold it until it is flushed), and starts a fresh buffer, so a
 * chunk is never overwritten after it is handed out.
 */
export class ChunkBuffer {
  buf: Buffer;
  pos = 0;
  readonly #capacityBytes: number;

  constructor(capacityBytes: number) {
    this.#capacityBytes = capacityBytes;
    this.buf = Buffer.allocUnsafe(capacityBytes);
  }

  /** Makes room for at least `n` more bytes (growing the current buffer, keeping its content). */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Appends the first `length` bytes of `b` (`ensure` is done here). */
  bytes(b: Uint8Array, length = b.length): void {
    this.ensure(length);
    const buf = this.buf;
    let p = this.pos;
    // A loop beats TypedArray#set's call overhead only for a few bytes (a separator, a bool).
    if (length <= 8) for (let i = 0; i < length; i++) buf[p++] = b[i]!;
    else {
      buf.set(length === b.length ? b : b.subarray(0, length), p);
      p += length;
    }
    this.pos = p;
  }

  /** Appends a string as UTF-8 (`ensure` is done here). */
  utf8(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /**
   * The bytes written since the last `take`, or undefined if none; the caller owns them. A small
   * chunk is copied out (a table of a few rows should not cost a whole new buffer); a large one is
   * handed over and a fresh buffer started.
   */
  take(): Buffer | undefined {
    const n = this.pos;
    if (n === 0) return undefined;
    this.pos = 0;
    if (n <= this.#capacityBytes >>> 3) {
      const copy = Buffer.allocUnsafe(n);
      this.buf.copy(copy, 0, 0, n);
      return copy;
    }
    const chunk = this.buf.subarray(0, n);
    this.buf = Buffer.allocUnsafe(this.#capacityBytes);
    return chunk;
  }
}
