import { describe, expect, it } from 'vitest';
import { HeadArena } from './head-arena.js';
import { HeadMemory } from './head-memory.js';
import { SlabPool } from './slab-pool.js';

describe('SlabPool', () => {
  it.each([
    { name: 'WebAssembly-mapped (multiple of 64 KiB)', slabBytes: 65_536 },
    { name: 'plain buffer (smaller)', slabBytes: 4096 },
  ])('hands out zeroed slabs of its size and reuses given-back ones: $name', ({ slabBytes }) => {
    const pool = new SlabPool(slabBytes);
    const a = pool.take();
    expect(a.byteLength).toBe(slabBytes);
    expect(new Uint8Array(a).every((b) => b === 0)).toBe(true);
    new Uint8Array(a).fill(7);
    expect(pool.takenSlabs).toBe(1);
    pool.give(a);
    expect(pool.takenSlabs).toBe(0);
    expect(pool.spareSlabs).toBe(1);
    // A spare comes back as it was left: the pool does not clear it.
    const again = pool.take();
    expect(again).toBe(a);
    expect(new Uint8Array(again)[0]).toBe(7);
  });

  it('trims spares down to a count, dropping the rest', () => {
    const pool = new SlabPool(1024);
    const slabs = [pool.take(), pool.take(), pool.take()];
    for (const s of slabs) pool.give(s);
    pool.trim(1);
    expect(pool.spareSlabs).toBe(1);
    pool.trim(0);
    expect(pool.spareSlabs).toBe(0);
    expect(pool.take()).not.toBe(slabs[0]);
  });

  it.each([0, -8, 12, 1.5])('refuses slab size %s', (bytes) => {
    expect(() => new SlabPool(bytes)).toThrow(RangeError);
  });

  it('refuses a slab of another size', () => {
    expect(() => new SlabPool(1024).give(new ArrayBuffer(2048))).toThrow(RangeError);
  });
});

describe('HeadArena', () => {
  it('carves 8-byte aligned, disjoint regions from slabs, a new slab when one is full', () => {
    const pool = new SlabPool(1024);
    const arena = new HeadArena(pool);
    const sizes = [8, 3, 100, 256, 200, 256, 256, 1]; // 1,088 bytes once aligned
    const regions = sizes.map((n) => ({ n, ...arena.alloc(n) }));
    for (const r of regions) expect(r.byteOffset % 8).toBe(0);
    // Fill each region with its index and check none overwrote another.
    regions.forEach((r, i) => new Uint8Array(r.buffer, r.byteOffset, r.n).fill(i + 1));
    regions.forEach((r, i) => expect(new Uint8Array(r.buffer, r.byteOffset, r.n).every((b) => b === i + 1)).toBe(true));
    expect(arena.slabCount).toBe(2);
    expect(pool.takenSlabs).toBe(2);
  });

  it('gives a region larger than a quarter slab its own buffer, outside the pool', () => {
    const pool = new SlabPool(1024);
    const arena = new HeadArena(pool);
    const big = arena.alloc(257);
    expect(big.buffer.byteLength).toBe(264);
    expect(arena.slabCount).toBe(0);
    expect(pool.takenSlabs).toBe(0);
  });

  it.each([
    { name: 'sealed with no frozen head', retains: 0, releasesBeforeSeal: 0 },
    { name: 'sealed, then its two frozen heads released', retains: 2, releasesBeforeSeal: 0 },
    { name: 'a frozen head released before the seal', retains: 2, releasesBeforeSeal: 1 },
  ])('returns its slabs once sealed and unretained: $name', ({ retains, releasesBeforeSeal }) => {
    const pool = new SlabPool(1024);
    const arena = new HeadArena(pool);
    for (let i = 0; i < 5; i++) arena.alloc(256); // four fill a slab, the fifth takes a second
    for (let i = 0; i < retains; i++) arena.retain();
    for (let i = 0; i < releasesBeforeSeal; i++) arena.release();
    expect(pool.takenSlabs).toBe(2);
    arena.seal();
    for (let i = releasesBeforeSeal; i < retains; i++) {
      expect(pool.takenSlabs).toBe(2);
      arena.release();
    }
    expect(pool.takenSlabs).toBe(0);
    expect(pool.spareSlabs).toBe(2);
    expect(() => arena.alloc(8)).toThrow(/after its slabs were returned/);
  });

  it('refuses more releases than retains', () => {
    const arena = new HeadArena(new SlabPool(1024));
    arena.retain();
    arena.release();
    expect(() => arena.release()).toThrow(/released more often/);
  });
});

describe('HeadMemory', () => {
  it('rotates generations and keeps as many spares as the live generation holds', () => {
    const memory = new HeadMemory(1024);
    const first = memory.current;
    for (let i = 0; i < 12; i++) first.alloc(256); // three slabs
    const old = memory.rotate();
    expect(old).toBe(first);
    expect(memory.current).not.toBe(first);
    memory.current.alloc(256); // the new generation takes one slab
    old.seal(); // three slabs come back
    expect(memory.pool.spareSlabs).toBe(3);
    memory.trimSpares();
    expect(memory.pool.spareSlabs).toBe(1);
    // Writes stopped: the next rotation leaves an empty generation and no spare is kept.
    const second = memory.rotate();
    second.seal();
    memory.trimSpares();
    expect(memory.pool.spareSlabs).toBe(0);
    expect(memory.pool.takenSlabs).toBe(0);
  });
});
