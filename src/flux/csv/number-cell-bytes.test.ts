import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFloatDecimal } from '../values/format-float.js';
import { ChunkBuffer } from './chunk-buffer.js';
import { writeFloatCell, writeInt64Cell, writeUint64Cell } from './number-cell-bytes.js';
import { writeFewDecimals, writeShortestDecimal } from './shortest-float-bytes.js';
import { int32Halves } from './time-cell-writer.js';

/** The text writeFloatCell gives for v (the reference: formatFloatDecimal, i.e. Go's 'f' -1). */
function floatText(v: number): string {
  const out = new ChunkBuffer(16);
  writeFloatCell(out, Float64Array.of(v), 0);
  return out.buf.toString('latin1', 0, out.pos);
}

/** Deterministic pseudo-random doubles (Mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fromBits(hi: number, lo: number): number {
  const u = new Uint32Array(2);
  const f = new Float64Array(u.buffer);
  u[0] = lo;
  u[1] = hi;
  return f[0]!;
}

describe('writeFloatCell', () => {
  it.each([
    0, -0, 1, -1, 0.5, 0.1, 0.2, 0.30000000000000004, 1 / 3, 2 / 3, 100, 58.23, -58.23, 99.99, 1e-5, 1e-6, 1e-7, 1.5e-7,
    123456789.123, 1e15, 1e15 + 0.5, 999999999999999.9, 1e16, 2 ** 53, 2 ** 53 + 2, 1e21, 1e22, 1.7976931348623157e308,
    5e-324, 2.2250738585072014e-308, Number.MIN_VALUE, Number.EPSILON, 0.1 + 0.7, 9.999999999999999, 9.9999999999999995,
    0.000123, 4.35, 4.345, 2 ** -20, 2 ** 40 + 0.5, 1234567.8901234567, NaN, Infinity, -Infinity,
  ])('%s as Go prints it', (v) => {
    expect(floatText(v)).toBe(formatFloatDecimal(v));
  });

  it('matches formatFloatDecimal on random doubles of every shape', () => {
    const r = rng(1);
    const cases: (() => number)[] = [
      () => r() * 100, // usage percentages
      () => Math.round(r() * 10_000) / 100, // two decimals, as TSBS writes them
      () => Math.round(r() * 1e6) / 1e3,
      () => (r() * 100 + r() * 100 + r() * 100) / 3, // means
      () => (r() - 0.5) * 10 ** Math.floor(r() * 30 - 10), // every magnitude, both signs
      () => fromBits((r() * 0x7ff00000) >>> 0, (r() * 4294967296) >>> 0), // any positive finite bit pattern
      () => Math.round(r() * 1e15) / 10 ** Math.floor(r() * 16), // ≤ 15 digits, any point
      () => 2 ** Math.floor(r() * 100 - 50) * (1 + Math.floor(r() * 4) / 1024), // near powers of two
    ];
    for (const gen of cases) {
      for (let i = 0; i < 20_000; i++) {
        const v = gen();
        const got = floatText(v);
        if (got !== formatFloatDecimal(v)) expect(`${v}: ${got}`).toBe(`${v}: ${formatFloatDecimal(v)}`);
      }
    }
  });

  it('agrees with formatFloatDecimal (fast-check doubles)', () => {
    fc.assert(
      fc.property(fc.double(), (v) => floatText(v) === formatFloatDecimal(v)),
      { numRuns: 20_000 },
    );
  });

  it('takes the exact fast path for nearly all typical values (not only the String fallback)', () => {
    const r = rng(2);
    let fast = 0;
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      const out = new ChunkBuffer(64);
      if (writeShortestDecimal(out, Float64Array.of((r() * 100 + r() * 100) / 2), 0)) fast++;
      if (writeShortestDecimal(out, Float64Array.of(Math.round(r() * 10_000) / 100 + 0.01), 0)) fast++;
    }
    expect(fast / (2 * n)).toBeGreaterThan(0.99);
  });
});

describe('writeShortestDecimal', () => {
  /** The fast path's text for v, or undefined where it leaves v to the general path. */
  function fastText(v: number): string | undefined {
    const out = new ChunkBuffer(8);
    out.pos = 3; // not at the buffer's start: the digits are placed relative to pos
    if (!writeShortestDecimal(out, Float64Array.of(v), 0)) {
      expect(out.pos).toBe(3);
      return undefined;
    }
    return out.buf.toString('latin1', 3, out.pos);
  }

  /** The doubles next to v (same sign, one ulp away), v itself for ±0 and non-finite. */
  function neighbours(v: number): number[] {
    const f = new Float64Array([v]);
    const u = new BigUint64Array(f.buffer);
    const bits = u[0]!;
    u[0] = bits + 1n;
    const up = f[0]!;
    u[0] = bits - 1n;
    const down = f[0]!;
    return [down, v, up];
  }

  it('writes exactly String(v) whenever it takes v (random bit patterns in its range, 17-digit means, neighbours of powers of ten and of short decimals)', () => {
    const r = rng(3);
    const gens: (() => number)[] = [
      () => fromBits((0x3ee00000 + r() * (0x43100000 - 0x3ee00000)) >>> 0, (r() * 4294967296) >>> 0), // 1e-5 … 1e15, any mantissa
      () => { let s = 0; for (let k = 0; k < 30; k++) s += Math.round(r() * 10_000) / 100; return s / 30; }, // aggregateWindow means
      () => Number(`1e${Math.floor(r() * 20) - 5}`),
      () => Number(`${Math.floor(r() * 1e6)}e${Math.floor(r() * 16) - 10}`), // short decimals
      () => Number(`${Math.floor(r() * 9e15 + 1e15)}5e${Math.floor(r() * 12) - 20}`), // 17 digits ending in 5: near ties
    ];
    let taken = 0;
    let total = 0;
    for (const gen of gens) {
      for (let i = 0; i < 30_000; i++) {
        for (const v of neighbours(gen())) {
          if (!(v > 0) || Number.isInteger(v)) continue;
          total++;
          const got = fastText(v);
          if (got === undefined) continue;
          taken++;
          if (got !== String(v)) expect(`${v}: ${got}`).toBe(`${v}: ${String(v)}`);
          if (fastText(-v) !== `-${got}`) expect(`${-v}: ${fastText(-v)}`).toBe(`${-v}: -${got}`);
        }
      }
    }
    // The fast path is for nearly everything in its range, not a rare case.
    expect(taken / total).toBeGreaterThan(0.9);
  });

  it('agrees with String(v) on fast-check doubles in its range', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-5, max: 1e15, noNaN: true }), (v) => {
        const got = Number.isInteger(v) ? undefined : fastText(v);
        return got === undefined || got === String(v);
      }),
      { numRuns: 50_000 },
    );
  });
});

describe('writeFewDecimals', () => {
  /** The path's text for v, or undefined where it declines v. */
  function fewText(v: number): string | undefined {
    const out = new ChunkBuffer(4);
    out.pos = 2; // not at the buffer's start, and the buffer must grow
    if (!writeFewDecimals(out, Float64Array.of(v), 0)) {
      expect(out.pos).toBe(2);
      return undefined;
    }
    return out.buf.toString('latin1', 2, out.pos);
  }

  it.each([
    [90.96, '90.96'],
    [-90.96, '-90.96'],
    [0.5, '0.5'],
    [0.1, '0.1'],
    [0.000001, '0.000001'],
    [0.000123, '0.000123'],
    [58.2, '58.2'],
    [123456789.123456, '123456789.123456'],
    [999999999.999999, '999999999.999999'],
  ])('writes %s as %s', (v, text) => {
    expect(fewText(v)).toBe(text);
  });

  it.each([1 / 3, 0.30000000000000004, 1e-7, 5e-7, 1.0000005, 123456789.1234567, 1e9 + 0.5, 2 ** 60 + 0.5, NaN, Infinity, 17])(
    'declines %s (more than six places, too large, not finite, an integer)',
    (v) => {
      expect(fewText(v)).toBeUndefined();
    },
  );

  it('writes exactly String(v) for decimals of up to six places at every magnitude, both signs', () => {
    const r = rng(4);
    let taken = 0;
    for (let i = 0; i < 60_000; i++) {
      // Up to nine integer digits (the path's range) and one to six decimal places.
      const places = 1 + Math.floor(r() * 6);
      const v = Math.floor(r() * 10 ** (Math.floor(r() * 10) + places)) / 10 ** places;
      if (Number.isInteger(v)) continue;
      for (const x of [v, -v]) {
        const got = fewText(x);
        expect(got).toBe(String(x));
        taken++;
      }
    }
    expect(taken).toBeGreaterThan(100_000);
  });

  it('never writes a wrong text: means of aggregateWindow (most need the 17-digit path), any double (fast-check)', () => {
    const r = rng(5);
    let declined = 0;
    for (let i = 0; i < 10_000; i++) {
      let s = 0;
      for (let k = 0; k < 30; k++) s += Math.round(r() * 10_000) / 100;
      const got = fewText(s / 30);
      if (got === undefined) declined++;
      else expect(got).toBe(String(s / 30));
    }
    expect(declined / 10_000).toBeGreaterThan(0.8);
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (v) => {
        const got = Number.isInteger(v) ? undefined : fewText(v);
        return got === undefined || got === String(v);
      }),
      { numRuns: 50_000 },
    );
  });
});

describe('integer cells', () => {
  const ints = [0n, 1n, -1n, 9n, 10n, -10n, 2n ** 31n, -(2n ** 31n), 2n ** 32n, 2n ** 52n - 1n, -(2n ** 52n), 2n ** 53n + 1n, 9223372036854775807n, -9223372036854775808n];
  it('writes int64 values as decimal', () => {
    const values = BigInt64Array.from(ints);
    const halves = int32Halves(values);
    const out = new ChunkBuffer(8);
    for (let i = 0; i < values.length; i++) {
      writeInt64Cell(out, values, halves, i);
      out.buf[out.pos++] = 44;
      writeInt64Cell(out, values, null, i);
      out.buf[out.pos++] = 10;
    }
    expect(out.buf.toString('latin1', 0, out.pos)).toBe(ints.map((v) => `${v},${v}\n`).join(''));
  });
  it('writes uint64 values as decimal', () => {
    const us = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 52n - 1n, 2n ** 52n, 2n ** 63n, 2n ** 64n - 1n];
    const values = BigUint64Array.from(us);
    const halves = int32Halves(values);
    const out = new ChunkBuffer(8);
    for (let i = 0; i < values.length; i++) {
      writeUint64Cell(out, values, halves, i);
      out.buf[out.pos++] = 10;
    }
    expect(out.buf.toString('latin1', 0, out.pos)).toBe(us.map((v) => `${v}\n`).join(''));
  });
  it('agrees with BigInt#toString on random int64 (fast-check)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const values = BigInt64Array.of(v);
        const out = new ChunkBuffer(4);
        writeInt64Cell(out, values, int32Halves(values), 0);
        return out.buf.toString('latin1', 0, out.pos) === v.toString();
      }),
    );
  });
});
