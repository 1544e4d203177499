import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';
import { ByteReader } from './byte-reader.js';

/**
 * Timestamps at a constant interval (the usual case for collected metrics): 16 bytes for the
 * whole chunk, `first i64, intervalNs i64`. Declines anything else.
 */
export const constantIntervalTimestampCodec: ColumnCodec<BigInt64Array> = {
  id: CodecId.ConstantIntervalTimestamps,
  name: 'constant-interval',

  encode(timestampsNs: BigInt64Array, out: ByteWriter): boolean {
    const n = timestampsNs.length;
    if (n === 0) return true;
    const w = new Int32Array(timestampsNs.buffer, timestampsNs.byteOffset, n * 2);
    if (n >= 3) {
      // Compare 64-bit deltas in halves: no bigint per value.
      const d0Lo = (w[2]! - w[0]!) | 0;
      const d0Hi = (w[3]! - w[1]! - ((w[2]! >>> 0) < (w[0]! >>> 0) ? 1 : 0)) | 0;
      for (let i = 2; i < n; i++) {
        const lo = w[2 * i]! >>> 0;
        const plo = w[2 * i - 2]! >>> 0;
        const dLo = (lo - plo) | 0;
        const dHi = (w[2 * i + 1]! - w[2 * i - 1]! - (lo < plo ? 1 : 0)) | 0;
        if (dLo !== d0Lo || dHi !== d0Hi) return false;
      }
    }
    out.i64(timestampsNs[0]!);
    if (n >= 2) out.i64(BigInt.asIntN(64, timestampsNs[1]! - timestampsNs[0]!));
    return true;
  },

  decode(payload: Uint8Array, count: number): BigInt64Array {
    const out = new BigInt64Array(count);
    if (count === 0) return out;
    const r = new ByteReader(payload);
    const w = new Int32Array(out.buffer);
    r.word64Into(w, 0);
    if (count === 1) return out;
    const step = new Int32Array(2);
    r.word64Into(step, 0);
    const sLo = step[0]! >>> 0;
    const sHi = step[1]!;
    let lo = w[0]! >>> 0;
    let hi = w[1]!;
    for (let i = 1; i < count; i++) {
      const nLo = (lo + sLo) >>> 0;
      hi = (hi + sHi + (nLo < lo ? 1 : 0)) | 0;
      lo = nLo;
      w[2 * i] = lo;
      w[2 * i + 1] = hi;
    }
    return out;
  },
};
