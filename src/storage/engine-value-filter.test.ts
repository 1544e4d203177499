import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { FieldType, type FieldValue } from '../lineprotocol/point.js';
import { BlockFileStore } from './compaction/block-file-store.js';
import type { BlockStore, StoredBlock } from './compaction/stored-block.js';
import { Engine } from './engine.js';
import { PointBuilder } from './head/point-builder.js';
import type { ColumnValues, ReadRequest, SeriesBatch, ValueSelector } from './storage.js';

/**
 * ReadRequest.valueFilter: the engine copies out only the positions the selector keeps. (The
 * model test, engine-model.test.ts, checks it against a model across heads, blocks, overwrites,
 * deletes, compactions and restarts; these are the contract's edges.)
 */

const S = 1_000_000_000n;
const T0 = 1_767_225_600n * S;
const B = 'bucket01';

let dir: string;
let engine: Engine;
let pb: PointBuilder;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-value-filter-'));
  engine = await Engine.open({ dataDir: dir, clock: new FakeClock(Number((T0 + 3600n * S) / 1_000_000n)), fsync: false });
  await engine.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
  pb = new PointBuilder();
});

afterEach(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

async function collect(req: Partial<ReadRequest>): Promise<SeriesBatch[]> {
  const out: SeriesBatch[] = [];
  for await (const b of engine.read({ bucketId: B, startNs: T0, stopNs: T0 + 3600n * S, ...req })) out.push(b);
  return out;
}

/** `host.field@second=value` per row. */
function rows(batches: readonly SeriesBatch[]): string[] {
  return batches.flatMap((b) => [...b.timestampsNs].map((t, i) => `${b.tags[0]![1]}.${b.field}@${(t - T0) / S}=${String(b.values[i])}`));
}

/** Keeps the positions where `test` holds, for every type; records the types it was asked about. */
function selector(test: (v: number | bigint | string) => boolean, asked: FieldType[] = []): ValueSelector {
  return {
    select(type: FieldType, values: ColumnValues, keep: Uint32Array): number {
      asked.push(type);
      let m = 0;
      for (let i = 0; i < values.length; i++) if (test(values[i]!)) keep[m++] = i;
      return m;
    },
  };
}

async function writeSeries(host: string, field: string, values: readonly FieldValue[], type?: FieldType): Promise<void> {
  const points = values.map((v, i) =>
    type === undefined ? pb.point('cpu', { host }, { [field]: v }, T0 + BigInt(i) * S) : pb.typed('cpu', { host }, [[field, type, v]], T0 + BigInt(i) * S),
  );
  const r = await engine.write(B, points);
  expect(r.rejected).toEqual([]);
}

describe('Engine read with a valueFilter', () => {
  it.each<[string, readonly FieldValue[], (v: number | bigint | string) => boolean, string[], FieldType?]>([
    ['floats', [1.5, 95, -0, 91.25], (v) => (v as number) > 90, ['a.f@1=95', 'a.f@3=91.25']],
    ['integers beyond 2^53', [2n ** 62n + 1n, 3n, -(2n ** 63n)], (v) => v !== 3n, ['a.f@0=4611686018427387905', 'a.f@2=-9223372036854775808']],
    ['unsigned above 2^63', [2n ** 64n - 1n, 7n], (v) => (v as bigint) > 2n ** 63n, ['a.f@0=18446744073709551615'], FieldType.Unsigned],
    ['strings', ['x', 'y', 'z'], (v) => v !== 'y', ['a.f@0=x', 'a.f@2=z']],
    ['booleans', [true, false, true], (v) => v === 1, ['a.f@0=1', 'a.f@2=1']],
  ])('copies out exactly the kept %s with their times', async (_name, values, test, want, type) => {
    await writeSeries('a', 'f', values, type);
    const inHead = await collect({ valueFilter: selector(test) });
    expect(rows(inHead)).toEqual(want);
    await engine.flush();
    const fromBlocks = await collect({ valueFilter: selector(test) });
    expect(rows(fromBlocks)).toEqual(want);
    expect(fromBlocks[0]!.values.constructor).toBe((await collect({}))[0]!.values.constructor);
  });

  it('yields no batch for a series none of whose values pass, and a whole one where the selector declines (-1)', async () => {
    await writeSeries('a', 'f', [1, 2]);
    await writeSeries('b', 'f', [95, 1]);
    await writeSeries('c', 's', ['x']);
    const asked: FieldType[] = [];
    const declineStrings: ValueSelector = {
      select: (type, values, keep) => (type === FieldType.String ? -1 : selector((v) => (v as number) > 90, asked).select(type, values, keep)),
    };
    expect(rows(await collect({ valueFilter: declineStrings }))).toEqual(['b.f@0=95', 'c.s@0=x']);
    expect(asked).toEqual([FieldType.Float, FieldType.Float]);
  });

  it('gives room for every value of a longer series after a shorter one (the positions buffer is reused)', async () => {
    await writeSeries('a', 'f', [91]);
    await writeSeries('b', 'f', Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 95 : 5)));
    const got = await collect({ valueFilter: selector((v) => (v as number) > 90) });
    expect(got.map((b) => b.timestampsNs.length)).toEqual([1, 500]);
    expect([...got[1]!.timestampsNs.slice(0, 3)]).toEqual([T0, T0 + 2n * S, T0 + 4n * S]);
  });

  it('hands out copies: changing a returned batch changes no later read (cached block columns, live head)', async () => {
    await writeSeries('a', 'f', [95, 96, 1]);
    await engine.flush();
    await writeSeries('a', 'f', [1, 96, 99, 97]); // the head overwrites the block's points (newest wins), adds one
    const keep = selector((v) => (v as number) > 90);
    for (let k = 0; k < 2; k++) {
      const [b] = await collect({ valueFilter: keep });
      expect(rows([b!])).toEqual(['a.f@1=96', 'a.f@2=99', 'a.f@3=97']);
      (b!.values as Float64Array).fill(-1);
      b!.timestampsNs.fill(0n);
    }
    expect(rows(await collect({}))).toEqual(['a.f@0=1', 'a.f@1=96', 'a.f@2=99', 'a.f@3=97']);
  });

  it('hands out copies of a cached block column (no head): a re-read is unchanged', async () => {
    await writeSeries('a', 'f', [95, 1, 96]);
    await engine.flush();
    for (let k = 0; k < 3; k++) {
      const [b] = await collect({ valueFilter: selector((v) => (v as number) > 90) });
      expect(rows([b!])).toEqual(['a.f@0=95', 'a.f@2=96']);
      (b!.values as Float64Array).fill(-1);
      b!.timestampsNs.fill(0n);
    }
    expect(rows(await collect({}))).toEqual(['a.f@0=95', 'a.f@1=1', 'a.f@2=96']);
  });

  it('gives aggregates of the kept points only, and no batch for a series without any', async () => {
    await writeSeries('a', 'f', [1, 95, 2, 97, 99]);
    await writeSeries('b', 'f', [1, 2]);
    await engine.flush();
    // Metadata alone would count every point: a value filter reads them.
    const counts = await collect({ aggregate: 'count', valueFilter: selector((v) => (v as number) > 90) });
    expect(counts.map((b) => `${b.tags[0]![1]}:${[...(b.values as BigInt64Array)].join()}`)).toEqual(['a:3']);
    const sums = await collect({ aggregate: 'sum', valueFilter: selector((v) => (v as number) < 50) });
    expect(sums.map((b) => `${b.tags[0]![1]}:${[...(b.values as Float64Array)].join()}`)).toEqual(['a:3', 'b:3']);
    // Windows of 2 s: [0,2) holds 1 and 95, [2,4) 2 and 97, [4,6) 99.
    const means = await collect({ aggregate: 'mean', window: { everyNs: 2n * S, offsetNs: 0n }, valueFilter: selector((v) => (v as number) > 90) });
    expect(means.map((b) => `${b.tags[0]![1]}:${[...(b.values as Float64Array)].join()}`)).toEqual(['a:95,97,99']);
    const last = await collect({ aggregate: 'last', valueFilter: selector((v) => (v as number) < 50) });
    expect(rows(last)).toEqual(['a.f@2=2', 'b.f@1=2']);
  });

  it('fails an aggregate read with "unsupported aggregate" on a type the selector does not decide', async () => {
    await writeSeries('a', 'f', [1, 95]);
    const undecided: ValueSelector = { select: () => -1 };
    await expect(collect({ aggregate: 'count', valueFilter: undecided })).rejects.toThrow(/^unsupported aggregate count after a value filter that does not decide field type float$/);
  });

  it('applies after the time range and tombstones', async () => {
    await writeSeries('a', 'f', [95, 96, 97, 98, 99]);
    await engine.flush();
    await engine.delete({ bucketId: B, startNs: T0 + 1n * S, stopNs: T0 + 1n * S });
    const got = await collect({ startNs: T0 + 1n * S, stopNs: T0 + 4n * S, valueFilter: selector((v) => (v as number) > 96) });
    expect(rows(got)).toEqual(['a.f@2=97', 'a.f@3=98']);
  });
});

/**
 * Chunk skipping: a read of part of an entry (not cached whole) leaves out the chunks whose stats
 * `mayKeep` rules out, in the first block of a partition only. Blocks of 1,000-point chunks.
 */
describe('Engine read with a valueFilter that rules out block chunks', () => {
  /** Per block read: points asked for by time range, points returned, whether chunks could be skipped. */
  let blockReads: { skipping: boolean; returned: number }[];
  let chunked: Engine;
  let chunkedDir: string;

  beforeEach(async () => {
    blockReads = [];
    chunkedDir = await mkdtemp(join(tmpdir(), 'sluice-chunk-skip-'));
    const store = new BlockFileStore();
    const recording = (b: StoredBlock): StoredBlock =>
      Object.assign(Object.create(b) as StoredBlock, {
        read: async (...a: Parameters<StoredBlock['read']>) => {
          const col = await b.read(...a);
          blockReads.push({ skipping: a[3] !== undefined, returned: col.timestampsNs.length });
          return col;
        },
      });
    const blockStore: BlockStore = { write: async (...a) => recording(await store.write(...a)), open: async (...a) => recording(await store.open(...a)) };
    chunked = await Engine.open({ dataDir: chunkedDir, clock: new FakeClock(Number((T0 + 86_400n * S) / 1_000_000n)), fsync: false, blockStore, readCacheBytes: 0 });
    await chunked.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
  });

  afterEach(async () => {
    await chunked.close();
    await rm(chunkedDir, { recursive: true, force: true });
  });

  /** Point i of 5,000 (one per second): chunks 1 and 3 (points 1000-1999, 3000-3999) hold values above 90. */
  const valueAt = (i: number): number => (Math.floor(i / 1000) % 2 === 1 && i % 3 === 0 ? 95 + (i % 4) : i % 90);

  async function read(req: Partial<ReadRequest>): Promise<string[]> {
    const out: SeriesBatch[] = [];
    for await (const b of chunked.read({ bucketId: B, startNs: T0 + 10n * S, stopNs: T0 + 4990n * S, ...req })) out.push(b);
    return rows(out);
  }

  const above90 = (): ValueSelector => {
    const base = selector((v) => (v as number) > 90);
    return { select: base.select, mayKeep: (_type, _min, max) => (max as number) > 90 };
  };

  it('decodes only the chunks that may hold kept values, and keeps exactly the passing points', async () => {
    await chunked.write(B, Array.from({ length: 5000 }, (_, i) => pb.point('cpu', { host: 'a' }, { f: valueAt(i) }, T0 + BigInt(i) * S)));
    await chunked.flush();
    const all = await read({});
    const want = all.filter((r) => Number(r.split('=')[1]) > 90);
    expect(want.length).toBeGreaterThan(0);
    blockReads = [];
    expect(await read({ valueFilter: above90() })).toEqual(want);
    // Chunks 1 and 3 only: 2,000 points decoded instead of the 4,980 in range.
    expect(blockReads).toEqual([{ skipping: true, returned: 2000 }]);
  });

  it("never lets an older block show through where a newer block's failing value was: only the first block skips", async () => {
    // Block 1 (older): every point passes. Block 2 (newer): the same times, values that fail in
    // chunks 0, 2, 4 (their stats rule them out) and some that pass in chunks 1, 3.
    await chunked.write(B, Array.from({ length: 5000 }, (_, i) => pb.point('cpu', { host: 'a' }, { f: 99 }, T0 + BigInt(i) * S)));
    await chunked.flush();
    await chunked.write(B, Array.from({ length: 5000 }, (_, i) => pb.point('cpu', { host: 'a' }, { f: valueAt(i) }, T0 + BigInt(i) * S)));
    await chunked.flush();
    const want = (await read({})).filter((r) => Number(r.split('=')[1]) > 90);
    blockReads = [];
    expect(await read({ valueFilter: above90() })).toEqual(want);
    expect(want.length).toBeLessThan(2000);
    expect(blockReads.map((r) => r.skipping)).toEqual([true, false]);
  });

  it('does not scan the points of chunks it rules out when a partition has one source, and scans all once another source joins', async () => {
    await chunked.write(B, Array.from({ length: 5000 }, (_, i) => pb.point('cpu', { host: 'a' }, { f: valueAt(i) }, T0 + BigInt(i) * S)));
    await chunked.flush();
    let scanned = 0;
    const counting = (): ValueSelector => {
      const inner = above90();
      return { select: (t, v, k) => ((scanned += v.length), inner.select(t, v, k)), mayKeep: inner.mayKeep! };
    };
    const all = await read({ startNs: T0, stopNs: T0 + 5000n * S });
    const want = all.filter((r) => Number(r.split('=')[1]) > 90);
    // The whole entry is decoded (the read takes all of it); only chunks 1 and 3 are scanned.
    expect(await read({ startNs: T0, stopNs: T0 + 5000n * S, valueFilter: counting() })).toEqual(want);
    expect(scanned).toBe(2000);
    // A head point inside chunk 0 (whose block values all fail): the partition has two sources now.
    await chunked.write(B, [pb.point('cpu', { host: 'a' }, { f: 99.5 }, T0 + 5n * S)]);
    scanned = 0;
    expect(await read({ startNs: T0, stopNs: T0 + 5000n * S, valueFilter: counting() })).toEqual(['a.f@5=99.5', ...want]);
    expect(scanned).toBe(5000);
  });

  it("scans an older block's points that fall inside a newer block's ruled-out chunks (other times than the newer block's)", async () => {
    // Block 1: odd seconds, passing. Block 2 (newer): even seconds, failing: its chunks span the odd seconds too.
    await chunked.write(B, Array.from({ length: 1500 }, (_, i) => pb.point('cpu', { host: 'a' }, { f: 99 }, T0 + BigInt(2 * i + 1) * S)));
    await chunked.flush();
    await chunked.write(B, Array.from({ length: 1500 }, (_, i) => pb.point('cpu', { host: 'a' }, { f: 5 }, T0 + BigInt(2 * i) * S)));
    await chunked.flush();
    const got = await read({ startNs: T0, stopNs: T0 + 3000n * S, valueFilter: above90() });
    expect(got.length).toBe(1500);
    expect(got[0]).toBe('a.f@1=99');
  });

  it('skips nothing from a block whose chunks all may pass, and nothing when the read takes the whole entry', async () => {
    await chunked.write(B, Array.from({ length: 3000 }, (_, i) => pb.point('cpu', { host: 'a' }, { f: 91 + (i % 5) }, T0 + BigInt(i) * S)));
    await chunked.flush();
    blockReads = [];
    expect((await read({ valueFilter: above90() })).length).toBe(2990);
    expect(blockReads).toEqual([{ skipping: true, returned: 2990 }]);
    blockReads = [];
    const whole = await read({ startNs: T0, stopNs: T0 + 3000n * S, valueFilter: above90() });
    expect(whole.length).toBe(3000);
    expect(blockReads).toEqual([{ skipping: false, returned: 3000 }]);
  });
});
