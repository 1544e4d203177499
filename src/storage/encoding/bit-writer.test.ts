import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { ByteWriter } from './byte-writer.js';
import { readPackedU32, readPackedWords, writePackedU32, writePackedWords } from './packed-words.js';

const field = fc.integer({ min: 0, max: 32 }).chain((bits) =>
  fc.tuple(fc.constant(bits), bits === 0 ? fc.constant(0) : fc.integer({ min: 0, max: bits === 32 ? 0xffffffff : 2 ** bits - 1 })),
);

function bytesOf(w: BitWriter): Uint8Array {
  const out = new ByteWriter();
  out.u8(0xee); // an odd start, as inside a chunk
  w.finish(out);
  return out.bytes().slice(1);
}

describe('BitWriter / BitReader', () => {
  it('read back any sequence of fields, single and batched (property)', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 300 }), fc.integer({ min: 1, max: 32 }), fc.array(fc.nat(), { maxLength: 200 }), (fields, width, many) => {
        const batch = Uint32Array.from(many, (v) => (width === 32 ? v >>> 0 : v % 2 ** width));
        const w = new BitWriter(8);
        for (const [bits, v] of fields) w.write(v, bits);
        w.writeMany(batch, 0, batch.length, 1, width);
        w.write(1, 1);
        const bytes = bytesOf(w);
        expect(bytes.length).toBe(Math.ceil(w.lengthBits / 8));
        const r = new BitReader(bytes);
        for (const [bits, v] of fields) expect(r.read(bits)).toBe(v);
        const back = new Uint32Array(batch.length);
        r.readMany(back, 0, back.length, 1, width);
        expect(Array.from(back)).toEqual(Array.from(batch));
        expect(r.read(1)).toBe(1);
        expect(r.consumedBytes).toBe(bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('reset() starts a clean stream on the same buffer', () => {
    const w = new BitWriter(8);
    w.write(0xffffffff, 32);
    w.write(0x7, 3);
    w.reset();
    w.write(0, 5);
    w.write(0b101, 3);
    expect(Array.from(bytesOf(w))).toEqual([0b10100000]);
  });
});

describe('packed words', () => {
  const word64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  it('round-trip frames of mixed widths, 0 to 64 bits (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(word64, fc.bigInt({ min: 0n, max: 255n }), fc.constant(0n)), { maxLength: 700 }),
        (values) => {
          const words = new Uint32Array(new BigUint64Array(values).buffer);
          const w = new BitWriter(8);
          writePackedWords(w, words, values.length);
          const back = new Uint32Array(values.length * 2).fill(0xdeadbeef);
          readPackedWords(new BitReader(bytesOf(w)), values.length, back);
          expect(Array.from(new BigUint64Array(back.buffer))).toEqual(values);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trip 32-bit words, and reject a wider frame', () => {
    const values = Uint32Array.from({ length: 300 }, (_, i) => (i < 128 ? 0 : i * 7919));
    const w = new BitWriter(8);
    writePackedU32(w, values, values.length);
    const back = new Uint32Array(values.length).fill(1);
    readPackedU32(new BitReader(bytesOf(w)), values.length, back);
    expect(back).toEqual(values);

    const wide = new BitWriter(8);
    writePackedWords(wide, Uint32Array.of(0, 1), 1);
    expect(() => readPackedU32(new BitReader(bytesOf(wide)), 1, new Uint32Array(1))).toThrow(RangeError);
  });

  it('spend 7 bits on a frame of zeros', () => {
    const w = new BitWriter(8);
    writePackedWords(w, new Uint32Array(256), 128);
    expect(w.lengthBits).toBe(7);
  });
});
