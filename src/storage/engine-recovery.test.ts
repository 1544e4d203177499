import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { FieldType, type FieldValue } from '../lineprotocol/point.js';
import { BlockFileStore } from './compaction/block-file-store.js';
import type { BlockStore, StoredBlock } from './compaction/stored-block.js';
import { Engine, type EngineOptions } from './engine.js';
import { PointBuilder } from './head/point-builder.js';
import type { SeriesBatch } from './storage.js';

const S = 1_000_000_000n;
const T0 = 1_767_225_600n * S;
const B = 'b1';

let dir: string;
let clock: FakeClock;
let pb: PointBuilder;
const open: Engine[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-recovery-'));
  clock = new FakeClock(Number((T0 + 3600n * S) / 1_000_000n));
  pb = new PointBuilder();
});

afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
  await rm(dir, { recursive: true, force: true });
});

async function openEngine(extra: Partial<EngineOptions> = {}): Promise<Engine> {
  const e = await Engine.open({ dataDir: dir, clock, fsync: false, ...extra });
  open.push(e);
  return e;
}

async function reopen(e: Engine, extra: Partial<EngineOptions> = {}): Promise<Engine> {
  await e.close();
  open.splice(open.indexOf(e), 1);
  return openEngine(extra);
}

async function dump(e: Engine, bucketId = B): Promise<string[]> {
  const out: string[] = [];
  const batches: SeriesBatch[] = [];
  for await (const b of e.read({ bucketId, startNs: 0n, stopNs: T0 + 1_000_000n * S })) batches.push(b);
  for (const b of batches) {
    const tags = b.tags.map(([k, v]) => `${k}=${v}`).join(',');
    for (let i = 0; i < b.timestampsNs.length; i++) out.push(`${b.measurement}{${tags}}.${b.field}@${(b.timestampsNs[i]! - T0) / S}=${String(b.values[i])}`);
  }
  return out;
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

describe('Engine recovery', () => {
  it('replays the WAL on open', async () => {
    let e = await openEngine();
    await e.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    await e.write(B, [pb.point('m', { h: 'a' }, { f: 1, i: 2n }, T0), pb.point('m', { h: 'a' }, { f: 3 }, T0 + S)]);
    await e.write(B, [pb.point('m', { h: 'a' }, { f: 4 }, T0 + S)]);
    await e.delete({ bucketId: B, startNs: T0, stopNs: T0, predicate: { kind: 'compare', key: '_field', op: '==', value: 'f' } });
    e = await reopen(e);
    expect(await dump(e)).toEqual(['m{h=a}.f@1=4', 'm{h=a}.i@0=2']);
  });

  it('serves blocks, tombstones and the WAL together after flush, delete and reopen', async () => {
    let e = await openEngine();
    await e.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    await e.write(B, [0n, 1n, 2n, 3n].map((s) => pb.point('m', {}, { f: Number(s) }, T0 + s * S)));
    await e.flush();
    expect(e.stats().blocks).toBe(1);
    await e.write(B, [pb.point('m', {}, { f: 10 }, T0 + S), pb.point('m', {}, { f: 5 }, T0 + 5n * S)]);
    await e.delete({ bucketId: B, startNs: T0 + 2n * S, stopNs: T0 + 2n * S });
    expect(await dump(e)).toEqual(['m{}.f@0=0', 'm{}.f@1=10', 'm{}.f@3=3', 'm{}.f@5=5']);
    e = await reopen(e);
    expect(await dump(e)).toEqual(['m{}.f@0=0', 'm{}.f@1=10', 'm{}.f@3=3', 'm{}.f@5=5']);
    await e.flush();
    e = await reopen(e);
    expect(await dump(e)).toEqual(['m{}.f@0=0', 'm{}.f@1=10', 'm{}.f@3=3', 'm{}.f@5=5']);
    expect(e.stats().blocks).toBe(2);
  });

  it('compaction merges blocks newest-wins, applies and purges tombstones, and survives reopen', async () => {
    let e = await openEngine();
    await e.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    for (let round = 0; round < 3; round++) {
      await e.write(B, [0n, 1n, 2n].map((s) => pb.point('m', { h: 'a' }, { f: round * 10 + Number(s) }, T0 + (s + BigInt(round)) * S)));
      await e.flush();
    }
    await e.delete({ bucketId: B, startNs: T0 + 4n * S, stopNs: T0 + 4n * S });
    const want = ['m{h=a}.f@0=0', 'm{h=a}.f@1=10', 'm{h=a}.f@2=20', 'm{h=a}.f@3=21'];
    expect(await dump(e)).toEqual(want);
    expect(e.stats().blocks).toBe(3);
    await e.compact();
    expect(e.stats().blocks).toBe(1);
    expect(await dump(e)).toEqual(want);
    const tomb = (await filesUnder(dir)).find((f) => f.endsWith('tombstones.json'))!;
    expect(JSON.parse(await readFile(tomb, 'utf8'))).toMatchObject({ tombstones: [] });
    e = await reopen(e);
    expect(await dump(e)).toEqual(want);
    expect(e.stats().blocks).toBe(1);
  });

  it('removes the WAL segments a flush covered', async () => {
    const e = await openEngine({ walSegmentSizeBytes: 1024 });
    await e.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    for (let i = 0n; i < 50n; i++) await e.write(B, [pb.point('m', {}, { f: Number(i), s: 'x'.repeat(50) }, T0 + i * S)]);
    const before = (await readdir(join(dir, 'wal'))).length;
    await e.flush();
    const after = (await readdir(join(dir, 'wal'))).length;
    expect(before).toBeGreaterThan(3);
    expect(after).toBeLessThanOrEqual(2);
  });

  it('truncates a torn WAL tail and keeps every complete record', async () => {
    let e = await openEngine();
    await e.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    await e.write(B, [pb.point('m', {}, { f: 1 }, T0)]);
    await e.write(B, [pb.point('m', {}, { f: 2 }, T0 + S)]);
    await e.close();
    open.splice(0);
    const segs = (await readdir(join(dir, 'wal'))).sort();
    await appendFile(join(dir, 'wal', segs[segs.length - 1]!), Buffer.from([0x20, 0, 0, 0, 1, 2, 3]));
    e = await openEngine();
    expect(await dump(e)).toEqual(['m{}.f@0=1', 'm{}.f@1=2']);
  });

  it('refuses to open on WAL corruption before the tail', async () => {
    const e = await openEngine();
    await e.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    await e.write(B, [pb.point('m', {}, { f: 1 }, T0)]);
    await e.write(B, [pb.point('m', {}, { f: 2 }, T0 + S)]);
    await e.close();
    open.splice(0);
    const segs = (await readdir(join(dir, 'wal'))).sort();
    const path = join(dir, 'wal', segs[segs.length - 1]!);
    const bytes = await readFile(path);
    bytes[40] = bytes[40]! ^ 0xff; // inside the first record, a complete record follows
    await writeFile(path, bytes);
    await expect(openEngine()).rejects.toMatchObject({ name: 'WalCorruptionError' });
  });

  it('reports a block with a bad checksum and never serves its data', async () => {
    let e = await openEngine();
    await e.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    await e.write(B, [pb.point('m', {}, { f: 1 }, T0)]);
    await e.flush();
    await e.write(B, [pb.point('m', {}, { f: 2 }, T0 + 8n * 24n * 3600n * S)]);
    await e.flush();
    await e.close();
    open.splice(0);
    const blocks = (await filesUnder(dir)).filter((f) => f.endsWith('.block'));
    expect(blocks).toHaveLength(2);
    const bytes = await readFile(blocks[0]!);
    bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 0x01; // inside the index
    await writeFile(blocks[0]!, bytes);
    e = await openEngine();
    expect(e.corruptBlocks).toEqual([blocks[0]]);
    expect(await dump(e)).toEqual(['m{}.f@691200=2']);
  });

  it('keeps bucket settings and applies retention to replayed data', async () => {
    let e = await openEngine();
    await e.ensureBucket({ bucketId: 'r', retentionNs: 3600n * S, shardGroupDurationNs: 0n });
    const now = clock.nowNs();
    await e.write('r', [pb.point('m', {}, { f: 1 }, now - 60n * S), pb.point('m', {}, { f: 2 }, now + 7200n * S)]);
    await e.close();
    open.splice(0);
    clock.advance(3 * 3600 * 1000);
    e = await openEngine();
    expect(await dump(e, 'r')).toEqual(['m{}.f@10800=2']);
  });
});

describe('Engine maintenance', () => {
  it('flushes an old head and compacts on the clock, without losing data', async () => {
    const e = await openEngine({ maintenanceIntervalMs: 1000, flushIntervalMs: 5000, compactAtBlocks: 3 });
    await e.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    const want: string[] = [];
    for (let round = 0; round < 3; round++) {
      await e.write(B, [pb.point('m', {}, { f: round }, T0 + BigInt(round) * S)]);
      want.push(`m{}.f@${round}=${round}`);
      clock.advance(6000); // fires maintenance: the head is older than flushIntervalMs
      await until(() => e.stats().headPoints === 0, `flush ${round}`);
      expect(await dump(e)).toEqual(want);
    }
    // The tick that flushed the third head found 3 blocks and compacted them.
    await until(() => e.stats().blocks === 1, 'compaction');
    expect(await dump(e)).toEqual(want);
  });
});

/** Waits (real time, up to 2 s) for background work started by the fake clock. */
async function until(cond: () => boolean, what = ''): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(cond(), what).toBe(true);
}

describe('Engine metadata aggregates', () => {
  it('answers count/first/last over the whole range from block indexes without reading chunks', async () => {
    const store = new BlockFileStore();
    let reads = 0;
    const counting: BlockStore = {
      write: async (...args) => countReads(await store.write(...args)),
      open: async (...args) => countReads(await store.open(...args)),
    };
    function countReads(b: StoredBlock): StoredBlock {
      const read = b.read.bind(b);
      return Object.assign(Object.create(b) as StoredBlock, { read: (...a: Parameters<StoredBlock['read']>) => (reads++, read(...a)) });
    }
    const e = await openEngine({ blockStore: counting });
    await e.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    await e.write(B, [1n, 2n, 3n].map((s) => pb.point('m', {}, { f: Number(s) * 1.5, b: s === 2n }, T0 + s * S)));
    await e.flush();
    await e.write(B, [pb.point('m', {}, { f: 9 }, T0 + 10n * S)]);
    await e.flush();
    const one = async (aggregate: 'count' | 'first' | 'last', field: string, stopNs = T0 + 20n * S): Promise<string> => {
      const out: string[] = [];
      for await (const b of e.read({ bucketId: B, startNs: T0, stopNs, aggregate, predicate: { kind: 'compare', key: '_field', op: '==', value: field } })) {
        out.push(`${(b.timestampsNs[0]! - T0) / S}=${String(b.values[0])}`);
      }
      return out.join(',');
    };
    expect(await one('count', 'f')).toBe('20=4');
    expect(await one('first', 'f')).toBe('1=1.5');
    expect(await one('last', 'f')).toBe('10=9');
    expect(await one('last', 'b')).toBe('3=0');
    expect(reads).toBe(0);
    // A range cutting a block needs its data.
    expect(await one('count', 'f', T0 + 3n * S)).toBe('3=2');
    expect(reads).toBeGreaterThan(0);
  });
});

describe('Engine flush failures', () => {
  it('writes heads left frozen by a failed flush on the next flush, before removing WAL segments', async () => {
    const files = new BlockFileStore();
    let failNext = true;
    const flaky: BlockStore = {
      write: async (...args) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        return files.write(...args);
      },
      open: (...args) => files.open(...args),
    };
    let e = await openEngine({ blockStore: flaky, walSegmentSizeBytes: 1024 });
    await e.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    await e.write(B, [pb.point('m', {}, { f: 1 }, T0)]);
    await expect(e.flush()).rejects.toThrow('disk full');
    expect(await dump(e)).toEqual(['m{}.f@0=1']); // still served from the frozen head
    await e.write(B, [pb.point('m', {}, { f: 2 }, T0 + S)]);
    await e.flush();
    expect(e.stats().blocks).toBe(2);
    e = await reopen(e, { blockStore: files });
    expect(await dump(e)).toEqual(['m{}.f@0=1', 'm{}.f@1=2']);
  });
});

describe('Engine value types through blocks', () => {
  it('keeps every field type exact through flush, compaction and reopen', async () => {
    let e = await openEngine();
    await e.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    const fields = (s: bigint): [string, FieldType, FieldValue][] => [
      ['f', FieldType.Float, s === 0n ? -0 : Number(s) / 3],
      ['i', FieldType.Integer, -(2n ** 63n) + s],
      ['u', FieldType.Unsigned, 2n ** 64n - 1n - s],
      ['s', FieldType.String, `välue ${'x'.repeat(Number(s))} "q"`],
      ['b', FieldType.Boolean, s % 2n === 0n],
    ];
    for (const s of [0n, 1n, 2n]) await e.write(B, [pb.typed('m', { t: 'a' }, fields(s), T0 + s * S)]);
    await e.flush();
    for (const s of [3n, 4n]) await e.write(B, [pb.typed('m', { t: 'a' }, fields(s), T0 + s * S)]);
    await e.flush();
    await e.compact();
    e = await reopen(e);
    const got = new Map<string, unknown[]>();
    for await (const b of e.read({ bucketId: B, startNs: T0, stopNs: T0 + 10n * S })) {
      expect(Array.from(b.timestampsNs)).toEqual([0n, 1n, 2n, 3n, 4n].map((s) => T0 + s * S));
      got.set(b.field, Array.from(b.values as ArrayLike<unknown>));
    }
    const want = (k: number): unknown[] => [0n, 1n, 2n, 3n, 4n].map((s) => fields(s)[k]![2]);
    expect(got.get('f')).toEqual(want(0));
    expect(Object.is(got.get('f')![0], -0)).toBe(true);
    expect(got.get('i')).toEqual(want(1));
    expect(got.get('u')).toEqual(want(2));
    expect(got.get('s')).toEqual(want(3));
    expect(got.get('b')).toEqual(want(4).map((v) => (v === true ? 1 : 0)));
  });
});
