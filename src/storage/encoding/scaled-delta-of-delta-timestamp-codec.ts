import { BitReader } from './bit-reader.js';
import { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';
import { wordsOf } from './int64-words.js';
import { readPackedWords, writePackedWords } from './packed-words.js';
import { ScratchBits, ScratchFloats, ScratchWords } from './scratch.js';

const TWO_32 = 4294967296;
/** Deltas must be exact doubles (|delta| ≤ 2^53 ns, about 104 days). */
const MAX_DELTA = 2 ** 53;
const MAX_SCALE = 15;
const POW10 = Array.from({ length: MAX_SCALE + 1 }, (_, k) => 10 ** k);

const scratchDeltas = new ScratchFloats();
const scratchZ = new ScratchWords();
const scratchBits = new ScratchBits();

/**
 * Irregular timestamps written at a coarse precision (`precision=s` or `ms`: every time a multiple
 * of 10^9 or 10^6 ns). Their deltas share a factor 10^k, so delta-of-delta is taken on the deltas
 * divided by 10^k (as InfluxDB's TSM does): seconds-precision event times cost about a byte each
 * instead of four. Payload: `first i64`, `k u8`, `firstDelta / 10^k i64`, then zig-zag
 * delta-of-delta of the scaled deltas as packed words (points 2…). Declines fewer than 3 points,
 * k = 0, and deltas beyond ±2^53 ns.
 */
export const scaledDeltaOfDeltaTimestampCodec: ColumnCodec<BigInt64Array> = {
  id: CodecId.ScaledDeltaOfDeltaTimestamps,
  name: 'scaled-delta-of-delta',

  encode(timestampsNs: BigInt64Array, out: ByteWriter): boolean {
    const n = timestampsNs.length;
    if (n < 3) return false;
    const w = wordsOf(timestampsNs);
    const deltas = scratchDeltas.get(n - 1);
    let k = MAX_SCALE;
    for (let i = 1; i < n; i++) {
      const lo = w[2 * i]!;
      const prevLo = w[2 * i - 2]!;
      const dLo = (lo - prevLo) >>> 0;
      const dHi = (w[2 * i + 1]! - w[2 * i - 1]! - (lo < prevLo ? 1 : 0)) | 0;
      const d = dHi * TWO_32 + dLo;
      if (d > MAX_DELTA || d < -MAX_DELTA) return false;
      while (k > 0 && d % POW10[k]! !== 0) k--;
      if (k === 0) return false;
      deltas[i - 1] = d;
    }
    const p = POW10[k]!;
    out.i64(timestampsNs[0]!);
    out.u8(k);
    let prev = deltas[0]! / p;
    out.i64(BigInt(prev));
    const z = scratchZ.get((n - 2) * 2);
    for (let i = 1; i < n - 1; i++) {
      const s = deltas[i]! / p;
      const dd = s - prev;
      prev = s;
      const zz = dd >= 0 ? 2 * dd : -2 * dd - 1;
      const hi = zz < TWO_32 ? 0 : Math.floor(zz / TWO_32);
      z[2 * (i - 1)] = zz - hi * TWO_32;
      z[2 * (i - 1) + 1] = hi;
    }
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
    const k = r.u8();
    if (k > MAX_SCALE) throw new RangeError(`timestamp scale ${k} out of range`);
    const p = POW10[k]!;
    let s = Number(r.i64());
    const z = scratchZ.get(Math.max(0, count - 2) * 2);
    if (count > 2) readPackedWords(new BitReader(payload.subarray(r.pos)), count - 2, z);
    let lo = w[0]!;
    let hi = w[1]! | 0;
    for (let i = 1; i < count; i++) {
      if (i >= 2) {
        const zLo = z[2 * (i - 2)]!;
        const zHi = z[2 * (i - 2) + 1]!;
        if (zHi === 0) s += (zLo >>> 1) ^ -(zLo & 1);
        else {
          const zz = zHi * TWO_32 + zLo;
          s += (zLo & 1) === 0 ? zz / 2 : -(zz + 1) / 2;
        }
      }
      // t += s · 10^k, an exact double below 2^53, added in 32-bit halves.
      const d = s * p;
      const dLo = d >>> 0;
      const dHi = Math.floor(d / TWO_32) | 0;
      const sumLo = (lo + dLo) >>> 0;
      hi = (hi + dHi + (sumLo < lo ? 1 : 0)) | 0;
      lo = sumLo;
      w[2 * i] = lo;
      w[2 * i + 1] = hi;
    }
    return out;
  },
};
