import { describe, expect, it } from 'vitest';
import { WriteBodyPool } from './write-body-pool.js';

describe('WriteBodyPool', () => {
  it('hands back the same memory for the next body that fits', () => {
    const pool = new WriteBodyPool();
    const a = pool.take(1000);
    expect(a.length).toBe(1000);
    a.fill(7);
    pool.give(a.subarray(0, 10)); // any view of taken memory gives it back
    const b = pool.take(2000);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(2000);
    expect(pool.freeCount).toBe(0);
  });

  it('allocates when nothing free is large enough (powers of two from 64 KiB)', () => {
    const pool = new WriteBodyPool();
    const small = pool.take(10);
    pool.give(small);
    const big = pool.take(100_000);
    expect(big.buffer).not.toBe(small.buffer);
    expect(big.buffer.byteLength).toBe(128 * 1024);
    expect(pool.freeCount).toBe(1);
  });

  it.each<[string, (pool: WriteBodyPool) => Uint8Array]>([
    ['a Buffer from Node’s shared slab', () => Buffer.allocUnsafe(10)],
    ['a plain Uint8Array', () => new Uint8Array(100_000)],
    ['a copy of taken memory', (pool) => Buffer.from(pool.take(10))],
  ])('ignores memory it did not make: %s', (_name, make) => {
    const pool = new WriteBodyPool();
    pool.give(make(pool));
    expect(pool.freeCount).toBe(0);
  });

  it('does not keep a buffer twice when given twice', () => {
    const pool = new WriteBodyPool();
    const a = pool.take(10);
    pool.give(a);
    pool.give(a);
    expect(pool.freeCount).toBe(1);
    expect(pool.take(10).buffer).toBe(a.buffer);
    expect(pool.take(10).buffer).not.toBe(a.buffer);
  });

  it('keeps at most maxFree buffers, preferring the larger ones, and none over maxPooledBytes', () => {
    const pool = new WriteBodyPool(2, 1024 * 1024);
    const sizes = [64 * 1024, 256 * 1024, 128 * 1024, 2 * 1024 * 1024];
    const taken = sizes.map((n) => pool.take(n));
    for (const b of taken) pool.give(b);
    expect(pool.freeCount).toBe(2);
    // The 64 KiB one was dropped for the 128 KiB one; the 2 MiB one was never kept.
    expect(pool.take(200 * 1024).buffer).toBe(taken[1]!.buffer);
    expect(pool.take(100 * 1024).buffer).toBe(taken[2]!.buffer);
    expect(pool.freeCount).toBe(0);
  });
});
