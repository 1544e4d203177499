import { BitReader } from './bit-reader.js';
import { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';
import { deltaOfDeltaZigZag, undeltaOfDeltaZigZag, wordsOf } from './int64-words.js';
import { readPackedWords, writePackedWords } from './packed-words.js';
import { ScratchBits, ScratchWords } from './scratch.js';

const scratchZ = new ScratchWords();
const scratchBits = new ScratchBits();

/**
 * Timestamps of any spacing (sorted or not; sorted is what makes it small): `first i64`,
 * `firstDeltaNs i64`, then zig-zag delta-of-delta as packed words. Regular data with jitter costs
 * a few bits per point; perfectly regular data costs 7 bits per 128 points (but takes the
 * constant-interval codec first).
 */
export const deltaOfDeltaTimestampCodec: ColumnCodec<BigInt64Array> = {
  id: CodecId.DeltaOfDeltaTimestamps,
  name: 'delta-of-delta',

  encode(timestampsNs: BigInt64Array, out: ByteWriter): boolean {
    const n = timestampsNs.length;
    if (n === 0) return true;
    out.i64(timestampsNs[0]!);
    if (n === 1) return true;
    out.i64(BigInt.asIntN(64, timestampsNs[1]! - timestampsNs[0]!));
    if (n === 2) return true;
    const z = scratchZ.get((n - 2) * 2);
    deltaOfDeltaZigZag(wordsOf(timestampsNs), 2, n - 2, z);
    const bits = scratchBits.get();
    writePackedWords(bits, z, n - 2);
    bits.finish(out);
    return true;
  },

  decode(payload: Uint8Array, count: number): BigInt64Array {
    const out = new BigInt64Array(count);
    if (count === 0) return out;
    const r = new ByteReader(payload);
    const w = wordsOf(out);
    r.word64Into(w, 0);
    if (count === 1) return out;
    const d = new Uint32Array(2);
    r.word64Into(d, 0);
    const lo = (w[0]! + d[0]!) >>> 0;
    w[2] = lo;
    w[3] = (w[1]! + d[1]! + (lo < w[0]! ? 1 : 0)) >>> 0;
    if (count === 2) return out;
    const z = scratchZ.get((count - 2) * 2);
    readPackedWords(new BitReader(payload.subarray(r.pos)), count - 2, z);
    undeltaOfDeltaZigZag(z, count - 2, w, 2);
    return out;
  },
};
