import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/tsbs-cpu.js';
import { BlockFileStore } from './compaction/block-file-store.js';
import type { BlockStore, StoredBlock } from './compaction/stored-block.js';
import { Engine } from './engine.js';
import { PointBuilder } from './head/point-builder.js';
import type { ValueSelector } from './storage.js';

/** Keeps even integer values; rules out a chunk whose values are all one odd number. */
const evenValues: ValueSelector = {
  select(_type, values, keep) {
    const v = values as BigInt64Array;
    let m = 0;
    for (let i = 0; i < v.length; i++) if (v[i]! % 2n === 0n) keep[m++] = i;
    return m;
  },
  mayKeep: (_type, min, max) => min !== max || (min as bigint) % 2n === 0n,
};

const S = 1_000_000_000n;
const T0 = 1_767_225_600n * S;
const PER_BATCH = 10;
const SERIES = 8;

/**
 * Writes, flushes, compactions and reads interleaved on one engine without awaiting each other:
 * every read must see each series' part of a batch whole or not at all (a batch is applied to the
 * head at once, heads move to blocks whole, and a read fetches again when data moved), every
 * batch acknowledged before the read began, and at the end every batch.
 */
describe('Engine under concurrent writes, flushes, compactions and reads', () => {
  it('shows whole batches only, every acknowledged one, and loses nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-concurrency-'));
    // Block reads take a few milliseconds, so flushes and compactions finish while reads are
    // between fetching block data and combining it with the head (the race reads must survive).
    const files = new BlockFileStore();
    const slow = (b: StoredBlock): StoredBlock => {
      const read = b.read.bind(b);
      return Object.assign(Object.create(b) as StoredBlock, {
        read: async (...a: Parameters<StoredBlock['read']>) => {
          await new Promise((r) => setTimeout(r, 15));
          return read(...a);
        },
      });
    };
    const blockStore: BlockStore = { write: async (...a) => slow(await files.write(...a)), open: async (...a) => slow(await files.open(...a)) };
    const engine = await Engine.open({ dataDir: dir, fsync: false, maxHeadValues: 800, compactionBudgetValues: 2000, readCacheBytes: 0, blockStore });
    try {
      await engine.ensureBucket({ bucketId: 'b', retentionNs: 0n, shardGroupDurationNs: 60n * S });
      const pb = new PointBuilder();
      const rand = seededRandom(11);
      const pending: Promise<unknown>[] = [];
      const writes: Promise<unknown>[] = [];
      const acked = new Set<bigint>();
      // Batches being deleted (tag b, whole time range; only acknowledged batches are deleted, so
      // the delete surely covers them), and those whose delete was acknowledged.
      const deleted = new Set<bigint>();
      const deleting = new Set<bigint>();
      // Reads are not snapshots across series (a batch applied between two series is seen by
      // the later one only, as in InfluxDB), but each series is read atomically.
      // With `evenOnly`, through a value filter keeping even batch numbers (chunks whose values are
      // one odd number are ruled out whole, so chunk skipping and unscanned spans race too).
      const checkRead = async (evenOnly = false): Promise<number> => {
        const ackedBefore = [...acked].filter((k) => !deleting.has(k) && (!evenOnly || k % 2n === 0n));
        const deletedBefore = [...deleted];
        const total = new Map<bigint, number>();
        const request = { bucketId: 'b', startNs: T0, stopNs: T0 + 100_000n * S, ...(evenOnly ? { valueFilter: evenValues } : {}) };
        for await (const batch of engine.read(request)) {
          const perBatch = new Map<bigint, number>();
          for (const v of batch.values as BigInt64Array) perBatch.set(v, (perBatch.get(v) ?? 0) + 1);
          const name = batch.tags.map(([k, v]) => `${k}=${v}`).join(',');
          for (const [k, n] of perBatch) {
            if (evenOnly) expect(k % 2n, `odd batch ${k} through the filter`).toBe(0n);
            expect(n, `series ${name} batch ${k}`).toBe(PER_BATCH);
            total.set(k, (total.get(k) ?? 0) + n);
          }
        }
        // A read sees every write acknowledged before it began (unless a delete of it is under
        // way) and none deleted before it began.
        for (const k of ackedBefore) if (!deleting.has(k)) expect(total.get(k), `acked batch ${k}`).toBe(SERIES * PER_BATCH);
        for (const k of deletedBefore) expect(total.has(k), `deleted batch ${k}`).toBe(false);
        return total.size;
      };
      // count over the whole range (answered from block metadata where a series is all in blocks,
      // computed ahead by the read-ahead): whole batches too, every acknowledged one, no deleted one.
      const checkCount = async (): Promise<number> => {
        const ackedBefore = [...acked].filter((k) => !deleting.has(k));
        const deletedBefore = [...deleted];
        const seen = new Map<bigint, number>();
        for await (const batch of engine.read({ bucketId: 'b', startNs: T0, stopNs: T0 + 100_000n * S, aggregate: 'count' })) {
          const k = BigInt(batch.tags.find(([t]) => t === 'b')![1]);
          expect(batch.values[0], `count of batch ${k}`).toBe(BigInt(PER_BATCH));
          seen.set(k, (seen.get(k) ?? 0) + 1);
        }
        for (const k of ackedBefore) if (!deleting.has(k)) expect(seen.get(k), `acked batch ${k} counted`).toBe(SERIES);
        for (const k of deletedBefore) expect(seen.has(k), `deleted batch ${k} counted`).toBe(false);
        return seen.size;
      };
      const BATCHES = 150;
      for (let k = 0; k < BATCHES; k++) {
        const points = [];
        for (let i = 0; i < PER_BATCH; i++) {
          // Batches overlap in time (k·7 s apart, 10 s long; +k ns keeps times distinct), so reads
          // interleave points of several sources.
          const ts = T0 + BigInt(k) * 7n * S + BigInt(i) * S;
          for (let s = 0; s < SERIES; s++) {
            points.push(pb.point('m', { s: String(s), b: String(k) }, { k: BigInt(k) }, ts + BigInt(s) * 1000n + BigInt(k)));
          }
        }
        const written = engine.write('b', points).then(() => acked.add(BigInt(k)));
        writes.push(written);
        pending.push(written);
        if (k >= 10 && k % 10 === 3) {
          // Delete an earlier batch (its series: tag b = k - 10) once it is acknowledged, so the
          // delete surely covers it; waiting for that one write leaves the rest in flight.
          const victim = BigInt(k - 10);
          await writes[k - 10];
          deleting.add(victim);
          pending.push(
            engine
              .delete({ bucketId: 'b', startNs: T0, stopNs: T0 + 100_000n * S, predicate: { kind: 'compare', key: 'b', op: '==', value: String(k - 10) } })
              .then(() => deleted.add(victim)),
          );
        }
        const r = rand();
        if (r < 0.15) pending.push(engine.flush());
        else if (r < 0.2) pending.push(engine.compact());
        if (rand() < 0.4) pending.push(checkRead());
        if (rand() < 0.3) pending.push(checkRead(true));
        if (rand() < 0.3) pending.push(checkCount());
        // Spread the work over time so reads straddle flushes and compactions.
        await new Promise((r) => setTimeout(r, 2));
      }
      await Promise.all(pending);
      expect(deleted.size).toBe(14);
      expect(await checkRead()).toBe(BATCHES - deleted.size);
      expect(await checkRead(true)).toBe(BATCHES / 2 - [...deleted].filter((k) => k % 2n === 0n).length);
      await engine.flush();
      await engine.compact();
      expect(await checkRead()).toBe(BATCHES - deleted.size);
      expect(await checkCount()).toBe(BATCHES - deleted.size);
    } finally {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
