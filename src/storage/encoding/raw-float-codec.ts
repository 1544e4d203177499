import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';

/**
 * Floats as their 8 raw little-endian bytes: the last resort for noise-like doubles, where XOR's
 * control bits would make the chunk larger than the data.
 */
export const rawFloatCodec: ColumnCodec<Float64Array> = {
  id: CodecId.RawFloat,
  name: 'raw-float',

  encode(values: Float64Array, out: ByteWriter): boolean {
    out.bytesOf(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    return true;
  },

  decode(payload: Uint8Array, count: number): Float64Array {
    if (payload.length !== count * 8) throw new RangeError(`raw float payload of ${payload.length} bytes for ${count} values`);
    const out = new Float64Array(count);
    new Uint8Array(out.buffer).set(payload);
    return out;
  },
};
