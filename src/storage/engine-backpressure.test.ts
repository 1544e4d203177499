import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlockFileStore } from './compaction/block-file-store.js';
import type { BlockStore } from './compaction/stored-block.js';
import { Engine } from './engine.js';
import { PointBuilder } from './head/point-builder.js';

const S = 1_000_000_000n;
const T0 = 1_767_225_600n * S;
const B = 'b';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-backpressure-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Engine head backpressure', () => {
  it('holds writes once the live head reaches twice the flush threshold while a flush is writing, and lets them through when it is done', async () => {
    const files = new BlockFileStore();
    // Block writes wait for the test to open the gate: the flush falls as far behind as we like.
    let openGate!: () => void;
    const gate = new Promise<void>((r) => (openGate = r));
    const gated: BlockStore = {
      write: async (...args) => {
        await gate;
        return files.write(...args);
      },
      open: (...args) => files.open(...args),
    };
    const engine = await Engine.open({ dataDir: dir, fsync: false, maxHeadValues: 100, blockStore: gated });
    try {
      await engine.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
      const pb = new PointBuilder();
      let t = 0n;
      const batch = (): ReturnType<PointBuilder['point']>[] => Array.from({ length: 50 }, () => pb.point('m', {}, { f: 1 }, T0 + t++ * S));
      let batches = 0;
      const write = async (): Promise<void> => {
        batches++;
        await engine.write(B, batch());
      };
      // 100 values: the threshold; the flush this starts blocks at the gate.
      await write();
      await write();
      // The live head refills to twice the threshold without waiting.
      while (engine.stats().headPoints < 200) await write();
      let done = false;
      const held = write().then(() => (done = true));
      await new Promise((r) => setTimeout(r, 50));
      expect(done).toBe(false);
      openGate();
      await held;
      expect(done).toBe(true);
      await engine.flush();
      let n = 0;
      for await (const b of engine.read({ bucketId: B, startNs: T0, stopNs: T0 + 1000n * S })) n += b.timestampsNs.length;
      expect(n).toBe(batches * 50);
    } finally {
      openGate();
      await engine.close();
    }
  });
});
