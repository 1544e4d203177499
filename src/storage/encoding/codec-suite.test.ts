import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitmapBooleanCodec } from './bitmap-boolean-codec.js';
import { ByteWriter } from './byte-writer.js';
import type { ColumnCodec } from './column-codec.js';
import { constantIntervalTimestampCodec } from './constant-interval-timestamp-codec.js';
import { decimalFloatCodec } from './decimal-float-codec.js';
import { deltaIntegerCodec, deltaUnsignedCodec } from './delta-integer-codec.js';
import { deltaOfDeltaTimestampCodec } from './delta-of-delta-timestamp-codec.js';
import { dictionaryStringCodec } from './dictionary-string-codec.js';
import { ALL_CODEC_IDS } from './column-encoding.js';
import { rawFloatCodec } from './raw-float-codec.js';
import { rawStringCodec } from './raw-string-codec.js';
import { scaledDeltaOfDeltaTimestampCodec } from './scaled-delta-of-delta-timestamp-codec.js';
import { xorFloatCodec } from './xor-float-codec.js';
import { packedUnsignedCodec, zigzagIntegerCodec } from './zigzag-integer-codec.js';

/**
 * The one suite every column codec runs: edge cases it must accept (round trip, bit-exact), edge
 * cases it must decline (writing nothing), and fast-check properties over arbitrary columns.
 */
interface CodecCase<V> {
  codec: ColumnCodec<V>;
  /** Columns the codec must encode and give back bit-exactly. */
  accepts: V[];
  /** Columns the codec must decline without writing. */
  declines?: V[];
  /** Arbitrary columns the codec must accept. */
  arbitrary: fc.Arbitrary<V>;
  /** Arbitrary columns of the type that the codec may either decline or round-trip. */
  anyOfType?: fc.Arbitrary<V>;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

/** Bytes of a typed array, for bitwise comparison (NaN payloads, -0). */
function bytesOf(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  return v;
}

function roundTrip<V>(codec: ColumnCodec<V>, values: V, count: number): V | undefined {
  // Prefix and odd offset: payloads must not assume they start the buffer or are aligned.
  const out = new ByteWriter(16);
  out.u8(0xaa);
  out.u8(0xbb);
  out.u8(0xcc);
  const before = out.length;
  if (!codec.encode(values, out)) {
    expect(out.length).toBe(before);
    return undefined;
  }
  const payload = out.bytes().slice(0, out.length).subarray(before);
  return codec.decode(payload, count);
}

function lengthOf(v: unknown): number {
  return (v as { length: number }).length;
}

const f64 = (...xs: number[]): Float64Array => Float64Array.from(xs);
const i64 = (...xs: bigint[]): BigInt64Array => BigInt64Array.from(xs);
const u64 = (...xs: bigint[]): BigUint64Array => BigUint64Array.from(xs);
const nanWithPayload = (hi: number, lo: number): Float64Array => {
  const a = new Float64Array(1);
  const w = new Uint32Array(a.buffer);
  w[0] = lo;
  w[1] = hi;
  return a;
};
const concatF64 = (...parts: Float64Array[]): Float64Array => {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
/** Doubles with random bits (deterministic): nothing to compress. */
const noise = (n: number): Float64Array => {
  const a = new Float64Array(n);
  const w = new Uint32Array(a.buffer);
  let x = 0x12345678;
  for (let i = 0; i < w.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    w[i] = x >>> 0;
  }
  return a;
};
const range = <T = number>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

const regularTimestamps = fc
  .record({
    start: fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
    step: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    count: fc.integer({ min: 0, max: 600 }),
  })
  .map(({ start, step, count }) => BigInt64Array.from(range(count, (i) => i), (i) => start + BigInt(i) * step));

const jitteredTimestamps = fc
  .record({
    start: fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
    jitter: fc.array(fc.integer({ min: 0, max: 2_000_000 }), { maxLength: 600 }),
  })
  .map(({ start, jitter }) => {
    let t = start;
    return BigInt64Array.from(jitter, (j) => (t += 10_000_000_000n + BigInt(j)));
  });

const anyInt64s = fc.array(fc.bigInt({ min: I64_MIN, max: I64_MAX }), { maxLength: 400 }).map((xs) => BigInt64Array.from(xs));

const decimals = fc
  .record({
    k: fc.integer({ min: 0, max: 6 }),
    ints: fc.array(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), { maxLength: 600 }),
  })
  // (s | 0 turns a -0 from fast-check into 0: -0 is not a decimal.)
  .map(({ k, ints }) => Float64Array.from(ints, (s) => (s | 0) / 10 ** k));

const randomWalk = fc
  .array(fc.integer({ min: -100, max: 100 }), { maxLength: 1000 })
  .map((steps) => {
    let v = 5000;
    return Float64Array.from(steps, (s) => (v = Math.min(10000, Math.max(0, v + s))) / 100);
  });

const anyDoubles = fc.array(fc.double(), { maxLength: 400 }).map((xs) => Float64Array.from(xs));

const rawDoubles = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })), { maxLength: 300 })
  .map((pairs) => {
    const a = new Float64Array(pairs.length);
    const w = new Uint32Array(a.buffer);
    pairs.forEach(([lo, hi], i) => {
      w[2 * i] = lo;
      w[2 * i + 1] = hi;
    });
    return a;
  });

/** Each value repeated 4..50 times: data XOR must shrink (a sensor that changes now and then). */
const runsOfDoubles = fc
  .array(fc.tuple(fc.oneof(fc.double(), rawDoubles.filter((a) => a.length > 0).map((a) => a[0]!)), fc.integer({ min: 4, max: 50 })), { maxLength: 40 })
  .map((runs) => {
    const out = new Float64Array(runs.reduce((n, [, k]) => n + k, 0));
    let at = 0;
    for (const [v, k] of runs) {
      const one = Float64Array.of(v);
      for (let i = 0; i < k; i++) out.set(one, at++);
    }
    return out;
  });

const strings = fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 300 });
const fewStrings = fc
  .tuple(fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 400 }))
  .map(([dict, picks]) => picks.map((p) => dict[p % dict.length]!))
  .filter((xs) => new Set(xs).size <= Math.max(1, xs.length >>> 1));

const cases: CodecCase<any>[] = [
  {
    codec: constantIntervalTimestampCodec,
    accepts: [i64(), i64(5n), i64(1n, 7n), i64(0n, 10n, 20n, 30n), i64(I64_MAX - 2n, I64_MAX - 1n, I64_MAX), i64(I64_MIN, 0n), i64(-30n, -20n, -10n, 0n, 10n), i64(3n, 3n, 3n)],
    declines: [i64(0n, 10n, 21n), i64(0n, 10n, 20n, 30n, 41n), i64(I64_MIN, 0n, I64_MAX)],
    arbitrary: regularTimestamps,
    anyOfType: anyInt64s,
  },
  {
    codec: deltaOfDeltaTimestampCodec,
    accepts: [i64(), i64(5n), i64(1n, 7n), i64(0n, 10n, 21n, 29n), i64(I64_MIN, I64_MAX, I64_MIN, 0n), i64(I64_MAX, I64_MIN, I64_MAX), i64(...range(1000, (i) => i * 10 + (i % 7 === 0 ? 1 : 0)).map(BigInt))],
    arbitrary: fc.oneof(regularTimestamps, jitteredTimestamps, anyInt64s),
  },
  {
    codec: scaledDeltaOfDeltaTimestampCodec,
    accepts: [
      i64(0n, 1_000_000_000n, 3_000_000_000n),
      i64(-5_000_000n, -3_000_000n, 0n, 7_000_000n, 7_001_000n),
      i64(I64_MAX - 2n * 10n ** 15n, I64_MAX - 10n ** 15n, I64_MAX),
      i64(I64_MIN, I64_MIN + 10n, I64_MIN + 30n, I64_MIN + 40n),
      i64(0n, 9007199254740990n, 2n * 9007199254740990n),
      i64(5n, 5n, 5n, 15n),
      i64(...range(1000, (i) => BigInt(i * 10 + (i % 3)) * 1_000_000_000n + 1767225600000000000n)),
    ],
    declines: [i64(), i64(10n), i64(10n, 20n), i64(0n, 10n, 21n), i64(0n, 10n ** 16n, 10n ** 16n + 10n), i64(0n, I64_MAX, I64_MAX)],
    arbitrary: fc
      .record({
        start: fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
        k: fc.integer({ min: 1, max: 10 }),
        steps: fc.array(fc.integer({ min: -50_000, max: 50_000 }), { minLength: 2, maxLength: 600 }),
      })
      .map(({ start, k, steps }) => {
        let t = start;
        return BigInt64Array.from([0, ...steps], (step) => (t += BigInt(step) * 10n ** BigInt(k)));
      }),
    anyOfType: fc.oneof(anyInt64s, jitteredTimestamps, regularTimestamps),
  },
  {
    codec: decimalFloatCodec,
    accepts: [f64(), f64(0), f64(1.5, -1.5), f64(99.99, 0.01, 100, 0), f64(2 ** 50, -(2 ** 50)), f64(0.000000000000001, 0.5), f64(...range(1000, (i) => (i % 37) / 100)), f64(1e-15, 1.125899906842624)],
    declines: [f64(NaN), f64(-0), f64(0, -0), f64(Infinity), f64(1, -Infinity), f64(Math.PI), f64(0.1 + 0.2), f64(2 ** 51), f64(1e300), f64(5e-324)],
    arbitrary: fc.oneof(decimals, randomWalk),
    anyOfType: fc.oneof(anyDoubles, rawDoubles, runsOfDoubles),
  },
  {
    codec: xorFloatCodec,
    accepts: [
      f64(),
      f64(0),
      f64(-0, 0, -0),
      f64(NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE),
      concatF64(...range(30, (i) => (i < 10 ? nanWithPayload(0x7ff00000, 1) : i < 20 ? nanWithPayload(0xfff80000, 0xdeadbeef) : nanWithPayload(0x7fffffff, 0xffffffff)))),
      f64(1, 1, 1, 1, 2, 2, 1),
      f64(...range(300, (i) => 20 + Math.floor(i / 10) * 0.1)),
      f64(...range(300, (i) => (i < 100 ? NaN : i < 200 ? -0 : Infinity))),
    ],
    declines: [f64(...range(500, (i) => Math.sin(i) * 1000)), noise(200)],
    arbitrary: runsOfDoubles,
    anyOfType: fc.oneof(anyDoubles, rawDoubles, decimals),
  },
  {
    codec: rawFloatCodec,
    accepts: [f64(), f64(-0, NaN, Infinity), concatF64(nanWithPayload(0x7ff00000, 1), nanWithPayload(0xfff80000, 0xdeadbeef)), f64(...range(100, (i) => Math.sin(i)))],
    arbitrary: fc.oneof(anyDoubles, rawDoubles),
  },
  {
    codec: deltaIntegerCodec,
    accepts: [i64(), i64(0n), i64(I64_MIN), i64(I64_MAX, I64_MIN, I64_MAX, -1n, 0n, 1n), i64(...range(1000, (i) => i * 3).map(BigInt)), i64(...range(200, (i) => (i % 2 ? 1 : -1) * i).map(BigInt))],
    arbitrary: fc.oneof(anyInt64s, fc.array(fc.bigInt({ min: -1000n, max: 1000n }), { maxLength: 600 }).map((xs) => BigInt64Array.from(xs))),
  },
  {
    codec: deltaUnsignedCodec,
    accepts: [u64(), u64(0n), u64(U64_MAX), u64(0n, U64_MAX, 0n, 1n, U64_MAX - 1n), u64(...range(1000, (i) => i).map(BigInt))],
    arbitrary: fc.array(fc.bigInt({ min: 0n, max: U64_MAX }), { maxLength: 400 }).map((xs) => BigUint64Array.from(xs)),
  },
  {
    codec: zigzagIntegerCodec,
    accepts: [i64(), i64(0n), i64(-1n), i64(I64_MIN), i64(I64_MAX, I64_MIN, -1n, 0n, 1n), i64(...range(1000, (i) => (i * 7919) % 2000).map((x) => BigInt(x - 1000))), i64(2n ** 32n, -(2n ** 32n), 2n ** 31n, -(2n ** 31n))],
    arbitrary: fc.oneof(anyInt64s, fc.array(fc.bigInt({ min: -1000n, max: 1000n }), { maxLength: 600 }).map((xs) => BigInt64Array.from(xs))),
  },
  {
    codec: packedUnsignedCodec,
    accepts: [u64(), u64(0n), u64(U64_MAX), u64(0n, U64_MAX, 0n, 1n, U64_MAX - 1n), u64(...range(1000, (i) => BigInt((i * 7919) % 3000)))],
    arbitrary: fc.array(fc.bigInt({ min: 0n, max: U64_MAX }), { maxLength: 400 }).map((xs) => BigUint64Array.from(xs)),
  },
  {
    codec: dictionaryStringCodec,
    accepts: [[], [''], ['a', 'a'], ['ok', 'ok', 'fail', 'ok'], ['ünïcödé', '日本語', '🎉', '🎉', '🎉', '日本語'], range(500, (i) => (i % 3 === 0 ? 'x'.repeat(300) : 'y'))],
    declines: [['a', 'b'], ['a', 'b', 'c'], range(100, (i) => `s${i}`)],
    arbitrary: fewStrings,
    anyOfType: strings,
  },
  {
    codec: rawStringCodec,
    accepts: [[], [''], ['', '', 'a'], ['ünïcödé', '日本語', '🎉', 'a\nb\tc"\\'], ['x'.repeat(70000)], range(300, (i) => `value-${i}`)],
    arbitrary: strings,
  },
  {
    codec: bitmapBooleanCodec,
    accepts: [new Uint8Array(), Uint8Array.of(1), Uint8Array.of(0), Uint8Array.of(1, 0, 1, 1, 0, 0, 0, 1, 1), new Uint8Array(1000).fill(1), Uint8Array.from(range(999, (i) => i % 3 & 1))],
    arbitrary: fc.array(fc.boolean(), { maxLength: 1000 }).map((xs) => Uint8Array.from(xs, Number)),
  },
];

describe.each(cases.map((c) => [c.codec.name, c] as const))('codec %s', (_name, c) => {
  it.each(c.accepts.map((v, i) => [i, v] as const))('round-trips edge case %i bit-exactly', (_i, values) => {
    const back = roundTrip(c.codec, values, lengthOf(values));
    expect(back).toBeDefined();
    expect(bytesOf(back)).toEqual(bytesOf(values));
  });

  if (c.declines !== undefined) {
    it.each(c.declines.map((v, i) => [i, v] as const))('declines edge case %i without writing', (_i, values) => {
      expect(roundTrip(c.codec, values, lengthOf(values))).toBeUndefined();
    });
  }

  it('round-trips arbitrary columns (property)', () => {
    fc.assert(
      fc.property(c.arbitrary, (values) => {
        const back = roundTrip(c.codec, values, lengthOf(values));
        expect(back).toBeDefined();
        expect(bytesOf(back)).toEqual(bytesOf(values));
      }),
      { numRuns: 200 },
    );
  });

  if (c.anyOfType !== undefined) {
    it('either declines or round-trips any column of its type (property)', () => {
      fc.assert(
        fc.property(c.anyOfType!, (values) => {
          const back = roundTrip(c.codec, values, lengthOf(values));
          if (back !== undefined) expect(bytesOf(back)).toEqual(bytesOf(values));
        }),
        { numRuns: 200 },
      );
    });
  }

  it('decodes garbage payloads to `count` values or throws, without hanging (property)', () => {
    // The block reader checks a chunk's CRC before decoding, so this only guards against a
    // writer bug turning into a hang or a runaway allocation.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 500 }), (payload, count) => {
        let back: unknown;
        try {
          back = c.codec.decode(payload, count);
        } catch {
          return;
        }
        expect(lengthOf(back)).toBe(count);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic (same column, same bytes)', () => {
    const values = c.accepts[c.accepts.length - 1];
    const a = new ByteWriter();
    const b = new ByteWriter();
    c.codec.encode(values, a);
    c.codec.encode(values, b);
    expect(Buffer.from(a.bytes()).equals(Buffer.from(b.bytes()))).toBe(true);
  });
});

describe('codec ids', () => {
  it('are unique and each belongs to a suite case', () => {
    expect(new Set(ALL_CODEC_IDS).size).toBe(ALL_CODEC_IDS.length);
    expect([...ALL_CODEC_IDS].sort()).toEqual(cases.map((c) => c.codec.id).sort());
  });
});
