import { anchorShapes } from '../../core/shape-anchors.js';

/**
 * Reads what `ByteWriter` wrote. Reading past the end throws `RangeError` (the caller's checksum
 * normally rules that out; the block reader turns it into a corruption error).
 */
export class ByteReader {
  readonly data: Uint8Array;
  private readonly view: DataView;
  /** Next byte to read, relative to `data`. */
  pos: number;

  constructor(data: Uint8Array, pos = 0) {
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.pos = pos;
  }

  get remaining(): number {
    return this.data.length - this.pos;
  }

  private need(sizeBytes: number): void {
    if (this.pos + sizeBytes > this.data.length) {
      throw new RangeError(`read of ${sizeBytes} bytes at ${this.pos} past the end (${this.data.length})`);
    }
  }

  u8(): number {
    this.need(1);
    return this.data[this.pos++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Copies a 64-bit word into `out[at]` (low half) and `out[at + 1]` (high half). */
  word64Into(out: Uint32Array | Int32Array, at: number): void {
    this.need(8);
    out[at] = this.view.getUint32(this.pos, true);
    out[at + 1] = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  uvarint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
    throw new RangeError(`uvarint at ${this.pos} longer than 8 bytes`);
  }

  bytes(length: number): Uint8Array {
    this.need(length);
    const out = this.data.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  str(): string {
    const length = this.uvarint();
    this.need(length);
    const s = Buffer.from(this.data.buffer, this.data.byteOffset + this.pos, length).toString('utf8');
    this.pos += length;
    return s;
  }
}

// Readers live only while a block is decoded: one kept alive keeps their map (shape-anchors.ts).
anchorShapes(new ByteReader(Buffer.alloc(8)));
