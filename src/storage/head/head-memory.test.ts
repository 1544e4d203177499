import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../bench/tsbs-cpu.js';
import { Engine } from '../engine.js';
import { HeadMemory } from './head-memory.js';
import { PointBuilder } from './point-builder.js';

const S = 1_000_000_000n;
const T0 = 1_767_225_600n * S;
const B = 'b';
const HOUR = 3600n * S;

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-head-memory-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every point of the bucket as `series|field@t=value`, in read order. */
async function dump(engine: Engine): Promise<string[]> {
  const out: string[] = [];
  for await (const b of engine.read({ bucketId: B, startNs: T0, stopNs: T0 + 4n * HOUR })) {
    const key = `${b.tags.map(([k, v]) => `${k}=${v}`).join(',')}|${b.field}`;
    for (let i = 0; i < b.timestampsNs.length; i++) out.push(`${key}@${b.timestampsNs[i]! - T0}=${String(b.values[i])}`);
  }
  return out;
}

function expected(model: Map<string, Map<bigint, number>>): string[] {
  const out: string[] = [];
  for (const key of [...model.keys()].sort()) {
    const points = [...model.get(key)!].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (const [t, v] of points) out.push(`${key}@${t - T0}=${v}`);
  }
  return out;
}

describe('Engine head memory', () => {
  it.each([
    { slabs: 'plain buffers of 4 KiB', slabBytes: 4096 },
    { slabs: 'WebAssembly memories of 64 KiB', slabBytes: 65_536 },
  ])('reuses slabs across flushes without changing what was written, and returns them all after the last flush ($slabs)', async ({ slabBytes }) => {
    const memory = new HeadMemory(slabBytes);
    // Small heads flushed in the background while writing: generations retire (their slabs go
    // back to the pool) and later ones overwrite those slabs while earlier data is read from blocks.
    const engine = await Engine.open({ dataDir: dir, fsync: false, maxHeadValues: 400, headMemory: memory, readCacheBytes: 0 });
    try {
      await engine.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: HOUR });
      const pb = new PointBuilder();
      const rand = seededRandom(11);
      const model = new Map<string, Map<bigint, number>>();
      for (let batch = 0; batch < 60; batch++) {
        const points = [];
        for (let i = 0; i < 50; i++) {
          const host = `h${Math.floor(rand() * 6)}`;
          // Three partitions, out of order, with repeated timestamps (last write wins).
          const t = T0 + BigInt(Math.floor(rand() * 3 * 3600)) * S;
          const v = Math.round(rand() * 1000) / 10;
          points.push(pb.point('cpu', { host }, { u: v, w: -v }, t));
          for (const f of ['u', 'w']) {
            const key = `host=${host}|${f}`;
            if (!model.has(key)) model.set(key, new Map());
            model.get(key)!.set(t, f === 'u' ? v : -v);
          }
        }
        await engine.write(B, points);
        if (batch % 20 === 19) expect(await dump(engine)).toEqual(expected(model));
      }
      await engine.flush();
      expect(await dump(engine)).toEqual(expected(model));
      expect(memory.pool.takenSlabs).toBe(0);
      expect(memory.pool.spareSlabs).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
