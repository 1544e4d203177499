/**
 * A growable little-endian byte buffer: the output of every codec and of the block index. One
 * writer is reused across chunks (`reset()`), so encoding a block allocates per growth, not per
 * value or per chunk.
 */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Bytes written so far; `bytes()` is `[0, length)`. */
  length = 0;

  constructor(initialCapacityBytes = 4096) {
    this.buf = new Uint8Array(Math.max(16, initialCapacityBytes));
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `sizeBytes` more bytes. */
  ensure(sizeBytes: number): void {
    const need = this.length + sizeBytes;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  reset(): void {
    this.length = 0;
  }

  /** Drops everything written after `length` (used by codecs that decline after starting). */
  truncate(length: number): void {
    this.length = length;
  }

  /** A view of the bytes written so far; valid until the next write. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** The raw buffer, for in-place checksums over `[start, length)`; valid until the next write. */
  raw(): Uint8Array {
    return this.buf;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  i64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.length, v, true);
    this.length += 8;
  }

  u64(v: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.length, v, true);
    this.length += 8;
  }

  /** A 64-bit word given as two unsigned 32-bit halves. */
  word64(lo: number, hi: number): void {
    this.ensure(8);
    this.view.setUint32(this.length, lo, true);
    this.view.setUint32(this.length + 4, hi, true);
    this.length += 8;
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  /** LEB128 of a non-negative safe integer. */
  uvarint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  bytesOf(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  /** UTF-8 with a uvarint byte-length prefix. */
  str(s: string): void {
    const maxBytes = s.length * 3;
    this.ensure(maxBytes + 8);
    // Reserve the prefix assuming the worst case would be wasteful; encode first, then shift if
    // the prefix needs more than one byte (rare: strings over 127 bytes).
    const start = this.length;
    const written = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.length).write(s, start + 1, 'utf8');
    if (written < 0x80) {
      this.buf[start] = written;
      this.length = start + 1 + written;
      return;
    }
    const encoded = this.buf.slice(start + 1, start + 1 + written);
    this.length = start;
    this.uvarint(written);
    this.bytesOf(encoded);
  }
}
