import { describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import type { StoredBlock } from '../compaction/stored-block.js';
import { ADMIT_WHEN_FULL_EVERY, ColumnCache } from './column-cache.js';
import type { Column } from './column.js';

/** A column of `n` points: 16 bytes each, plus the cache's 64 bytes of overhead. */
function column(n: number): Column {
  return { type: FieldType.Float, timestampsNs: new BigInt64Array(n), values: new Float64Array(n) };
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
});
