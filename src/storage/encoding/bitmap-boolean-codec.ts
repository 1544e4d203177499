import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';

/**
 * Booleans (0/1 bytes, as `SeriesBatch` carries them) as a bitmap: bit i of byte i/8, LSB first.
 * Any non-zero byte encodes as true.
 */
export const bitmapBooleanCodec: ColumnCodec<Uint8Array> = {
  id: CodecId.BitmapBoolean,
  name: 'bitmap',

  encode(values: Uint8Array, out: ByteWriter): boolean {
    const n = values.length;
    const size = (n + 7) >>> 3;
    out.ensure(size);
    const raw = out.raw();
    const base = out.length;
    raw.fill(0, base, base + size);
    for (let i = 0; i < n; i++) {
      if (values[i] !== 0) raw[base + (i >>> 3)] |= 1 << (i & 7);
    }
    out.truncate(base + size);
    return true;
  },

  decode(payload: Uint8Array, count: number): Uint8Array {
    if (payload.length < (count + 7) >>> 3) throw new RangeError('bitmap shorter than its count');
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = (payload[i >>> 3]! >>> (i & 7)) & 1;
    return out;
  },
};
