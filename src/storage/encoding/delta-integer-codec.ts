import { BitReader } from './bit-reader.js';
import { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';
import { deltaZigZag, undeltaZigZag, wordsOf } from './int64-words.js';
import { readPackedWords, writePackedWords } from './packed-words.js';
import { ScratchBits, ScratchWords } from './scratch.js';

const scratchZ = new ScratchWords();
const scratchBits = new ScratchBits();

function encodeWords(words: Uint32Array, n: number, out: ByteWriter): void {
  if (n === 0) return;
  out.word64(words[0]!, words[1]!);
  if (n === 1) return;
  const z = scratchZ.get((n - 1) * 2);
  deltaZigZag(words, 1, n - 1, z);
  const bits = scratchBits.get();
  writePackedWords(bits, z, n - 1);
  bits.finish(out);
}

function decodeWords(payload: Uint8Array, count: number, w: Uint32Array): void {
  if (count === 0) return;
  const r = new ByteReader(payload);
  r.word64Into(w, 0);
  if (count === 1) return;
  const z = scratchZ.get((count - 1) * 2);
  readPackedWords(new BitReader(payload.subarray(r.pos)), count - 1, z);
  undeltaZigZag(z, count - 1, w, 1);
}

/**
 * Integers: `first i64`, then zig-zag first differences (64-bit wrapping) as packed words.
 * Counters and gauges move by small steps, so their differences pack into few bits.
 */
export const deltaIntegerCodec: ColumnCodec<BigInt64Array> = {
  id: CodecId.DeltaInteger,
  name: 'delta-zigzag-int',
  encode(values: BigInt64Array, out: ByteWriter): boolean {
    encodeWords(wordsOf(values), values.length, out);
    return true;
  },
  decode(payload: Uint8Array, count: number): BigInt64Array {
    const out = new BigInt64Array(count);
    decodeWords(payload, count, wordsOf(out));
    return out;
  },
};

/** Unsigned integers: the same transform on the same 64 bits (wrapping makes it exact). */
export const deltaUnsignedCodec: ColumnCodec<BigUint64Array> = {
  id: CodecId.DeltaUnsigned,
  name: 'delta-zigzag-uint',
  encode(values: BigUint64Array, out: ByteWriter): boolean {
    encodeWords(wordsOf(values), values.length, out);
    return true;
  },
  decode(payload: Uint8Array, count: number): BigUint64Array {
    const out = new BigUint64Array(count);
    decodeWords(payload, count, wordsOf(out));
    return out;
  },
};
