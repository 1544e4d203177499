import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlockBytesCache } from './block-bytes-cache.js';
import { BlockCorruptionError } from './block-corruption-error.js';
import { BlockReader } from './block-reader.js';
import { writeBlock } from './block-writer.js';
import { sampleSeries } from './testdata/sample-series.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-block-bytes-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const T0 = 1_767_225_600_000_000_000n;

async function sampleBlock(name: string, points = 3000): Promise<string> {
  const path = join(dir, name);
  await writeBlock(path, sampleSeries(points, T0), { maxPointsPerChunk: 700 });
  return path;
}

/** Every series over a few ranges, as hex of the typed arrays (exact, NaN payloads included). */
async function readAll(r: BlockReader): Promise<string[]> {
  const out: string[] = [];
  const ranges: [bigint | undefined, bigint | undefined][] = [[undefined, undefined], [T0 + 7_000_000_000_000n, T0 + 19_000_000_000_000n], [T0 + 1n, undefined]];
  for (const s of r.series) {
    for (const [a, b] of ranges) {
      const c = await r.readSeries(s, a, b);
      const hex = (v: unknown): string => (ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') : JSON.stringify(v));
      out.push(`${s.key} ${s.field} ${hex(c.timestampsNs)} ${hex(c.values)}`);
    }
  }
  return out;
}

describe('BlockBytesCache', () => {
  it('serves the same series as plain preads once a block is held in memory', async () => {
    const path = await sampleBlock('a.block');
    const cache = new BlockBytesCache(64 * 1024 * 1024);
    const plain = await BlockReader.open(path, undefined);
    const cached = await BlockReader.open(path, cache);
    try {
      const want = await readAll(plain);
      expect(await readAll(cached)).toEqual(want);
      // The whole chunk region is held (file minus header, index and footer).
      expect(cache.sizeBytes).toBeGreaterThan(0);
      expect(cache.sizeBytes).toBeLessThan((await stat(path)).size);
      expect(await readAll(cached)).toEqual(want);
    } finally {
      await plain.close();
      await cached.close();
    }
    expect(cache.sizeBytes).toBe(0);
  });

  it('evicts the least recently used block past its size and refuses regions over a quarter of it', async () => {
    const size = 10_000;
    const cache = new BlockBytesCache(Math.ceil(size * 4.5));
    const owners = [{}, {}, {}, {}, {}];
    const region = new Uint8Array(size);
    for (const o of owners) cache.set(o, region);
    expect(cache.sizeBytes).toBe(size * 4);
    expect(cache.get(owners[0]!)).toBeUndefined();
    expect(cache.get(owners[4]!)).toBe(region);
    expect(cache.admits(size * 2)).toBe(false);
    cache.set({}, new Uint8Array(size * 2));
    expect(cache.sizeBytes).toBe(size * 4);
  });

  it('still detects a flipped chunk byte when the region is read whole', async () => {
    const path = await sampleBlock('bad.block');
    const bytes = await readFile(path);
    bytes[200] = bytes[200]! ^ 0x40;
    await writeFile(path, bytes);
    const r = await BlockReader.open(path, new BlockBytesCache(64 * 1024 * 1024));
    try {
      let failed = 0;
      for (const s of r.series) await r.readSeries(s).catch((e: unknown) => (failed += e instanceof BlockCorruptionError ? 1 : 0));
      expect(failed).toBe(1);
    } finally {
      await r.close();
    }
  });
});
