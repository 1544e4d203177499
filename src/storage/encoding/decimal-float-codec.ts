import { BitReader } from './bit-reader.js';
import { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';
import { readPackedWords, writePackedWords } from './packed-words.js';
import { ScratchBits, ScratchFloats, ScratchWords } from './scratch.js';

/** Largest decimal scale tried: 10^15 is still an exact double. */
export const MAX_DECIMAL_SCALE = 15;
/** Scaled integers stay within ±2^50 so differences and zig-zag stay exact in a double. */
const MAX_SCALED = 2 ** 50;
const TWO_32 = 4294967296;
const POW10 = Array.from({ length: MAX_DECIMAL_SCALE + 1 }, (_, k) => 10 ** k);

/** Whether `v` is exactly `round(v · p) / p` (so decoding by division gives back its bits). */
function fitsScale(v: number, p: number): boolean {
  const s = Math.round(v * p);
  return s / p === v && Math.abs(s) <= MAX_SCALED && !(v === 0 && 1 / v < 0);
}

/**
 * The smallest scale k such that every value is `integer / 10^k` exactly, or -1; on success
 * `scaled[i]` holds `round(values[i] · 10^k)`. Scales only grow while scanning, and the pass that
 * ends with no change confirms the chosen scale for every value (a value exact at a smaller scale
 * is almost always exact at a larger one; the confirmation makes "almost" safe).
 */
function findScale(values: Float64Array, scaled: Float64Array): number {
  let k = 0;
  const n = values.length;
  for (;;) {
    let p = POW10[k]!;
    let i = 0;
    for (; i < n; i++) {
      const v = values[i]!;
      const s = Math.round(v * p);
      if (s / p === v && s <= MAX_SCALED && s >= -MAX_SCALED && (v !== 0 || 1 / v > 0)) {
        scaled[i] = s;
        continue;
      }
      if (!Number.isFinite(v) || (v === 0 && 1 / v < 0)) return -1;
      do {
        if (++k > MAX_DECIMAL_SCALE) return -1;
        p = POW10[k]!;
      } while (!fitsScale(v, p));
      break;
    }
    if (i === n) return k;
  }
}

const scratchScaled = new ScratchFloats();
const scratchZ = new ScratchWords();
const scratchBits = new ScratchBits();

/**
 * Floats that are decimals in disguise (a sensor's 23.45, a percentage's 99.5): each value becomes
 * the integer `round(v · 10^k)` for the chunk's smallest exact scale k, then first differences,
 * zig-zag and packed words, so a random walk with two decimals costs about a byte per value
 * instead of XOR's four or five. Declines NaN, ±Infinity, -0 and anything not exactly decimal;
 * the XOR codec takes those chunks.
 */
export const decimalFloatCodec: ColumnCodec<Float64Array> = {
  id: CodecId.DecimalFloat,
  name: 'decimal',

  encode(values: Float64Array, out: ByteWriter): boolean {
    const n = values.length;
    const scaled = scratchScaled.get(n);
    const k = findScale(values, scaled);
    if (k < 0) return false;
    out.u8(k);
    if (n === 0) return true;
    let prev = scaled[0]!;
    out.i64(BigInt(prev));
    if (n === 1) return true;
    const z = scratchZ.get((n - 1) * 2);
    for (let i = 1; i < n; i++) {
      const s = scaled[i]!;
      const d = s - prev;
      prev = s;
      const zz = d >= 0 ? 2 * d : -2 * d - 1;
      if (zz < TWO_32) {
        z[2 * (i - 1)] = zz;
        z[2 * (i - 1) + 1] = 0;
      } else {
        const hi = Math.floor(zz / TWO_32);
        z[2 * (i - 1)] = zz - hi * TWO_32;
        z[2 * (i - 1) + 1] = hi;
      }
    }
    const bits = scratchBits.get();
    writePackedWords(bits, z, n - 1);
    bits.finish(out);
    return true;
  },

  decode(payload: Uint8Array, count: number): Float64Array {
    const out = new Float64Array(count);
    const r = new ByteReader(payload);
    const k = r.u8();
    if (k > MAX_DECIMAL_SCALE) throw new RangeError(`decimal scale ${k} out of range`);
    if (count === 0) return out;
    const p = POW10[k]!;
    let s = Number(r.i64());
    out[0] = s / p;
    if (count === 1) return out;
    const z = scratchZ.get((count - 1) * 2);
    readPackedWords(new BitReader(payload.subarray(r.pos)), count - 1, z);
    for (let i = 1; i < count; i++) {
      const lo = z[2 * (i - 1)]!;
      const hi = z[2 * (i - 1) + 1]!;
      if (hi === 0) {
        // Un-zig-zag in int32 arithmetic: exact for every 32-bit zig-zag word.
        s += (lo >>> 1) ^ -(lo & 1);
      } else {
        const zz = hi * TWO_32 + lo;
        s += (lo & 1) === 0 ? zz / 2 : -(zz + 1) / 2;
      }
      out[i] = s / p;
    }
    return out;
  },
};
