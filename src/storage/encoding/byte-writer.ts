import { Buffer } from 'node:buffer';
import { anchorShapes } from '../../core/shape-anchors.js';

/**
 * The storage engine's one growable little-endian byte buffer: the output of every column codec
 * and of the block index, and the body of every WAL record (docs/formats/record.md). It grows by
 * doubling, so writing allocates per growth, never per value; a block writer reuses one across
 * chunks (`reset()`).
 *
 * Two ways to write: the checked writers (`u8`, `f64`, `str`, …) make room themselves; the
 * `…Unchecked` writers do not, for hot loops whose caller reserved the worst case with one
 * `ensure` (the write-record encoder reserves a whole batch at once).
 *
 * The bytes live in a `Buffer`, so strings are encoded in place without a wrapper per call, but
 * `bytes()` and `raw()` hand out plain Uint8Array views (a Buffer's `.slice()` would not copy).
 * Growth copies; those views are valid until the next write.
 */
export class ByteWriter {
  private buf: Buffer;
  /** The same memory as `buf` as a plain Uint8Array: handed out so `.slice()` copies, as callers expect. */
  private plain: Uint8Array;
  private view: DataView;
  /** Bytes written so far; `bytes()` is `[0, length)`. */
  length = 0;

  constructor(initialCapacityBytes = 4096) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacityBytes));
    this.plain = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Makes room for `sizeBytes` more bytes. */
  ensure(sizeBytes: number): void {
    const need = this.length + sizeBytes;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
    this.plain = new Uint8Array(next.buffer, next.byteOffset, next.byteLength);
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
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
    return this.plain.subarray(0, this.length);
  }

  /**
   * The raw buffer (its bytes past `length` are unspecified, not zeroed), for in-place writes and
   * checksums over `[start, length)`; valid until the next write.
   */
  raw(): Uint8Array {
    return this.plain;
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
    this.i64Unchecked(v);
  }

  u64(v: bigint): void {
    this.ensure(8);
    this.u64Unchecked(v);
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
    this.f64Unchecked(v);
  }

  /** LEB128 of a non-negative safe integer (at most 8 bytes). */
  uvarint(v: number): void {
    this.ensure(8);
    this.uvarintUnchecked(v);
  }

  bytesOf(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  /** UTF-8 with a uvarint byte-length prefix. */
  str(s: string): void {
    // Worst case 3 bytes per UTF-16 unit. Strings under 43 units (the usual case: keys, tag
    // values) encode to at most 126 bytes, so their prefix is one byte and they are written in
    // place after it; only longer ones are measured first.
    this.ensure(s.length * 3 + 8);
    if (s.length < 43) {
      const start = this.length + 1;
      const n = this.buf.write(s, start, 'utf8');
      this.buf[this.length] = n;
      this.length = start + n;
      return;
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.uvarintUnchecked(n);
    this.length += this.buf.write(s, this.length, 'utf8');
  }

  // Unchecked writers: the caller has called `ensure` for at least the bytes they write.

  uvarintUnchecked(v: number): void {
    // `& 0x7f` is exact for any safe integer: ToInt32 keeps the low 32 bits.
    while (v >= 0x80) {
      this.buf[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  u8Unchecked(v: number): void {
    this.buf[this.length++] = v;
  }

  f64Unchecked(v: number): void {
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  i64Unchecked(v: bigint): void {
    this.view.setBigInt64(this.length, v, true);
    this.length += 8;
  }

  u64Unchecked(v: bigint): void {
    this.view.setBigUint64(this.length, v, true);
    this.length += 8;
  }
}

// Writers live only while a record or block is encoded: one kept alive keeps their map (shape-anchors.ts).
anchorShapes(new ByteWriter(16));
