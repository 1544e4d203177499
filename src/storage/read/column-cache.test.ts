import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import type { StoredBlock } from '../compaction/stored-block.js';
import { ADMIT_WHEN_FULL_EVERY, ColumnCache, regularStep, regularTimes } from './column-cache.js';
import type { Column } from './column.js';

/** A column of `n` points with irregular times: 16 bytes each, plus the cache's 64 bytes of overhead. */
function column(n: number): Column {
  return { type: FieldType.Float, timestampsNs: BigInt64Array.from({ length: n }, (_, i) => BigInt(i * i)), values: new Float64Array(n) };
}
const ENTRY_BYTES = 100 * 16 + 64;
const block = {} as StoredBlock;

/** Reads keys 0..keys-1 in order, `passes` times, caching misses; hits of the last pass. */
function cyclicScan(cache: ColumnCache, keys: number, passes: number): number {
  let hits = 0;
  for (let p = 0; p < passes; p++) {
    hits = 0;
    for (let k = 0; k < keys; k++) {
      if (cache.get(block, `s${k}`) !== undefined) hits++;
      else cache.set(block, `s${k}`, column(100));
    }
  }
  return hits;
}

describe('ColumnCache', () => {
  it('is plain LRU while it has room', () => {
    const cache = new ColumnCache(10 * ENTRY_BYTES);
    expect(cyclicScan(cache, 10, 2)).toBe(10);
    expect(cache.sizeBytes).toBe(10 * ENTRY_BYTES);
  });

  it('keeps a stable part of a repeated scan larger than itself (plain LRU would hit nothing)', () => {
    const cache = new ColumnCache(50 * ENTRY_BYTES);
    const hits = cyclicScan(cache, 100, 6);
    expect(hits).toBeGreaterThanOrEqual(35);
    expect(cache.sizeBytes).toBeLessThanOrEqual(50 * ENTRY_BYTES);
  });

  it('still lets a new working set in when full, one entry in ADMIT_WHEN_FULL_EVERY', () => {
    const cache = new ColumnCache(20 * ENTRY_BYTES);
    cyclicScan(cache, 20, 1);
    for (let k = 0; k < 20 * ADMIT_WHEN_FULL_EVERY; k++) cache.set(block, `new${k}`, column(100));
    expect(cache.entryCount).toBe(20);
    let fresh = 0;
    for (let k = 0; k < 20 * ADMIT_WHEN_FULL_EVERY; k++) if (cache.get(block, `new${k}`) !== undefined) fresh++;
    expect(fresh).toBe(20);
  });

  it('refuses an entry over a quarter of its size', () => {
    const cache = new ColumnCache(3 * ENTRY_BYTES);
    cache.set(block, 'big', column(100));
    expect(cache.get(block, 'big')).toBeUndefined();
  });

  it('keeps entries whole while there is room, then compacts regular times (first + step) instead of evicting', () => {
    const cache = new ColumnCache(70_000);
    const regular = (k: number): Column => ({
      type: FieldType.Float,
      timestampsNs: BigInt64Array.from({ length: 1000 }, (_, i) => 1_767_225_600_000_000_000n + BigInt(k * 1000 + i) * 10_000_000_000n),
      values: Float64Array.from({ length: 1000 }, (_, i) => i / 3 + k),
    });
    const cols = [0, 1, 2, 3, 4].map(regular);
    for (let k = 0; k < 4; k++) cache.set(block, `s${k}`, cols[k]!);
    expect(cache.get(block, 's0')).toBe(cols[0]); // whole: a hit costs nothing
    expect(cache.sizeBytes).toBeGreaterThan(64_000);
    cache.set(block, 's4', cols[4]!);
    expect(cache.entryCount).toBe(5);
    expect(cache.sizeBytes).toBeLessThanOrEqual(70_000);
    // The least recently used (s1) was compacted first: rebuilt on a hit, exactly.
    const s1 = cache.get(block, 's1')!;
    expect(s1).not.toBe(cols[1]);
    cols.forEach((col, k) => {
      const got = cache.get(block, `s${k}`)!;
      expect(got.timestampsNs).toEqual(col.timestampsNs);
      expect(got.values).toBe(col.values);
    });
  });
});

describe('ColumnCache, compact entries with the same times', () => {
  it('share one rebuilt times array per first time, step and length, and never mix them up', () => {
    // Room for whole entries only while few: the rest are kept compact (times rebuilt on a hit).
    const cache = new ColumnCache(40_000);
    const T = 1_767_225_600_000_000_000n;
    const col = (first: bigint, step: bigint, n: number, k: number): Column => ({
      type: FieldType.Float,
      timestampsNs: BigInt64Array.from({ length: n }, (_, i) => first + BigInt(i) * step),
      values: Float64Array.from({ length: n }, (_, i) => i + k / 10),
    });
    const cols = new Map<string, Column>();
    const shapes: [bigint, bigint, number][] = [
      [T, 10_000_000_000n, 500],
      [T, 10_000_000_000n, 499],
      [T + 1n, 10_000_000_000n, 500],
      [-T, 7n, 500],
    ];
    for (let k = 0; k < 20; k++) {
      const [first, step, n] = shapes[k % shapes.length]!;
      cols.set(`s${k}`, col(first, step, n, k));
      cache.set(block, `s${k}`, cols.get(`s${k}`)!);
    }
    const seen = new Map<string, BigInt64Array>();
    let shared = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (const [key, want] of cols) {
        const got = cache.get(block, key);
        if (got === undefined || got === want) continue; // refused, or still whole
        expect(got.timestampsNs).toEqual(want.timestampsNs);
        expect(got.values).toBe(want.values);
        const shape = `${want.timestampsNs[0]}/${want.timestampsNs[1]! - want.timestampsNs[0]!}/${want.timestampsNs.length}`;
        const before = seen.get(shape);
        if (before === got.timestampsNs) shared++;
        seen.set(shape, got.timestampsNs);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect(shared).toBeGreaterThan(10);
  });
});

describe('regularStep / regularTimes', () => {
  it('round-trip any regular series, anywhere in the int64 range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n - 2n ** 52n }), fc.bigInt({ min: 1n, max: 2n ** 40n }), fc.integer({ min: 2, max: 300 }), (first, step, n) => {
        fc.pre(step * BigInt(n - 1) < 2n ** 52n);
        const ts = BigInt64Array.from({ length: n }, (_, i) => first + BigInt(i) * step);
        const s = regularStep(ts);
        expect(s).toBe(Number(step));
        expect(regularTimes(first, s!, n)).toEqual(ts);
      }),
      { numRuns: 300 },
    );
  });

  it.each<[string, bigint[]]>([
    ['one point', [5n]],
    ['a gap', [0n, 10n, 20n, 31n, 40n]],
    ['equal ends but uneven inside', [0n, 10n, 25n, 30n]],
    ['not increasing', [10n, 10n, 10n]],
    ['a span too large for doubles', [0n, 2n ** 52n, 2n ** 53n]],
  ])('refuse %s', (_name, times) => {
    expect(regularStep(BigInt64Array.from(times))).toBeUndefined();
  });
});
