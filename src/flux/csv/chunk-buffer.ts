/**
 * An append-only byte buffer for building a response body in chunks: writers reserve room with
 * `ensure(n)` and then write at `pos` directly (`buf[pos++] = byte`), which is what makes the
 * encoder's inner loop cheap. `take()` hands the bytes written so far to the caller as a chunk the
 * caller then owns (a socket may hold it until it is flushed), and starts a fresh buffer, so a
 * chunk is never overwritten after it is handed out — unless the caller gives it back with
 * `recycle` once nothing reads it any more (a socket's write callback), which spares allocating
 * and collecting a buffer per chunk.
 */
/**
 * TypedArray#set, called on a Buffer through `call`: `buf.set` looked the method up along
 * Buffer's prototype chain with a generic LoadIC on every copy, even in optimised code (a 150-byte
 * copy: 17 ns that way, 12 ns this way).
 */
const typedArraySet = Uint8Array.prototype.set;

/** Recycled buffers kept at most per capacity (a sink holding more chunks than this allocates the rest). */
const MAX_FREE = 32;

/**
 * Recycled buffers by capacity, shared by every ChunkBuffer of the process: a query's encoder
 * starts with, and goes on with, the buffers earlier queries' sockets have finished with, instead
 * of allocating its own (each a native allocation that counts towards V8's external-memory
 * pressure, which is what triggered most full GCs while answering (a) of the peer benchmark).
 * A buffer is only here once its last reader called `recycle`, and is taken out before reuse.
 */
const sharedFree = new Map<number, Buffer[]>();

function freeList(capacityBytes: number): Buffer[] {
  let list = sharedFree.get(capacityBytes);
  if (list === undefined) {
    list = [];
    sharedFree.set(capacityBytes, list);
  }
  return list;
}

export class ChunkBuffer {
  buf: Buffer;
  /**
   * A DataView of `buf` (made again whenever `buf` is replaced): for writers that store several
   * bytes at a time (`setInt32` at any offset) where a byte loop would cost one store each. Made
   * where `buf` changes, not on first use by a writer: optimised writers that made it lazily
   * deoptimised at the first use in each query (a new ChunkBuffer), and the second answer of a
   * fresh server wrote most of its floats and times unoptimised.
   */
  view: DataView;
  pos = 0;
  readonly #capacityBytes: number;
  /** Whole buffers given back by `recycle` (this or another ChunkBuffer's), ready for reuse. */
  readonly #free: Buffer[];

  constructor(capacityBytes: number) {
    this.#capacityBytes = capacityBytes;
    this.#free = freeList(capacityBytes);
    // Never from Buffer's shared pool: each buffer owns its memory (what `recycle` relies on).
    this.buf = this.#free.pop() ?? Buffer.allocUnsafeSlow(capacityBytes);
    this.view = viewOf(this.buf);
  }

  /** Makes room for at least `n` more bytes (growing the current buffer, keeping its content). */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = viewOf(next);
  }

  /** Appends the first `length` bytes of `b` (`ensure` is done here). */
  bytes(b: Uint8Array, length = b.length): void {
    this.ensure(length);
    const buf = this.buf;
    let p = this.pos;
    // A loop beats TypedArray#set's call overhead only for a few bytes (a separator, a bool).
    if (length <= 8) for (let i = 0; i < length; i++) buf[p++] = b[i]!;
    else {
      typedArraySet.call(buf, length === b.length ? b : b.subarray(0, length), p);
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
    this.buf = this.#free.pop() ?? Buffer.allocUnsafeSlow(this.#capacityBytes);
    this.view = viewOf(this.buf);
    return chunk;
  }

  /**
   * Takes back a chunk from `take` whose bytes nobody will read again, to write the next chunks
   * into. Chunks of other origins (a copied small chunk, a grown buffer) are left alone.
   */
  recycle(chunk: Buffer): void {
    const whole = chunk.buffer;
    if (chunk.byteOffset !== 0 || whole.byteLength !== this.#capacityBytes || this.#free.length >= MAX_FREE) return;
    if (whole === this.buf.buffer || this.#free.some((b) => b.buffer === whole)) return;
    this.#free.push(Buffer.from(whole, 0, this.#capacityBytes));
  }
}

function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.length);
}
