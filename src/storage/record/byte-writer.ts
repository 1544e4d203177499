/**
 * An append-only little-endian byte buffer that grows by doubling. One per encoded record; the
 * record codec writes millions of values through it, so it avoids per-value allocation.
 */
export class ByteWriter {
  private buf: Buffer;
  private view: DataView;
  private pos = 0;

  constructor(initialBytes = 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialBytes));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  get length(): number {
    return this.pos;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  uvarint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  i64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }

  u64(v: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, v, true);
    this.pos += 8;
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  str(s: string): void {
    // Worst case 3 bytes per UTF-16 unit; write in place, then the length prefix before it.
    const max = s.length * 3;
    this.ensure(max + 5);
    if (s.length < 43) {
      // Length fits one varint byte when the encoded size < 128 bytes.
      const start = this.pos + 1;
      const n = this.buf.write(s, start, 'utf8');
      if (n < 128) {
        this.buf[this.pos] = n;
        this.pos = start + n;
        return;
      }
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.uvarint(n);
    this.ensure(n);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += n;
  }

  // Unchecked writers: the caller has called `ensure` for at least the bytes they write. The
  // write-record encoder reserves a whole batch's worst case once, then writes values with these.

  uvarintUnchecked(v: number): void {
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  f64Unchecked(v: number): void {
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  i64Unchecked(v: bigint): void {
    this.view.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }

  u64Unchecked(v: bigint): void {
    this.view.setBigUint64(this.pos, v, true);
    this.pos += 8;
  }

  u8Unchecked(v: number): void {
    this.buf[this.pos++] = v;
  }

  /** The bytes written so far (a copy-free view; do not write after taking it). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
