import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gather8, timeOrder } from './time-order.js';

/** Stable sort by time, then the last of each run of equal times: what `timeOrder` must return. */
function reference(ts: readonly bigint[]): number[] {
  const order = ts.map((_, i) => i).sort((a, b) => (ts[a]! < ts[b]! ? -1 : ts[a]! > ts[b]! ? 1 : a - b));
  return order.filter((i, k) => k + 1 === order.length || ts[order[k + 1]!] !== ts[i]);
}

const T0 = 1_767_225_600_000_000_000n;

describe('timeOrder (head column normalisation)', () => {
  it('equals a stable sort keeping the last write of each time, over random columns (property)', () => {
    const time = fc.oneof(
      // Near T0, so equal times and ties across runs are common.
      fc.bigInt({ min: -50n, max: 50n }).map((d) => T0 + d * 10_000_000_000n),
      // Around the 2^32 boundary of the low word, and negative (pre-1970) times.
      fc.bigInt({ min: -3n, max: 3n }).map((d) => (1n << 32n) + d),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    );
    // Ascending runs (as write requests append them) and arbitrary columns.
    const runs = fc.array(fc.array(time, { maxLength: 30 }).map((r) => r.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))), { maxLength: 8 }).map((rs) => rs.flat());
    fc.assert(
      fc.property(fc.oneof(runs, fc.array(time, { maxLength: 200 })), fc.nat({ max: 5 }), (ts, extra) => {
        // A column is a view of a larger array: only the first n count.
        const arr = new BigInt64Array(ts.length + extra);
        arr.set(ts);
        arr.fill(T0, ts.length);
        expect([...timeOrder(arr, ts.length)]).toEqual(reference(ts));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts a million points in a few out-of-order runs, as four concurrent writers append them', () => {
    const n = 1_000_000;
    const ts = new BigInt64Array(n);
    // Four interleaved request streams: blocks of 5,000 times, committed out of order.
    const blocks = Array.from({ length: n / 5000 }, (_, b) => b);
    for (let k = 0; k + 3 < blocks.length; k += 4) [blocks[k], blocks[k + 2]] = [blocks[k + 2]!, blocks[k]!];
    let w = 0;
    for (const b of blocks) for (let i = 0; i < 5000; i++) ts[w++] = T0 + BigInt(b * 5000 + i) * 10_000_000_000n;
    const order = timeOrder(ts, n);
    expect(order.length).toBe(n);
    for (let k = 1; k < n; k++) if (ts[order[k]!]! <= ts[order[k - 1]!]!) throw new Error(`not ascending at ${k}`);
  });

  it('gathers 8-byte values by an order without changing their bits', () => {
    const src = new Float64Array([1.5, -0, NaN, 3, 2 ** 60]);
    const dst = new Float64Array(5);
    gather8(src, Int32Array.from([4, 2, 1, 0, 3]), dst);
    expect([...dst]).toEqual([2 ** 60, NaN, -0, 1.5, 3]);
    expect(Object.is(dst[2], -0)).toBe(true);
    const big = new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, -1n]);
    const out = new BigInt64Array(3);
    gather8(big, Int32Array.from([2, 0, 1]), out);
    expect([...out]).toEqual([-1n, -(2n ** 63n), 2n ** 63n - 1n]);
  });
});
