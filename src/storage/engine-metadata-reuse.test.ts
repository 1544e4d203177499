import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import { PointBuilder } from './head/point-builder.js';
import type { Aggregate, SeriesBatch } from './storage.js';

const S = 1_000_000_000n;
const T0 = 1_767_225_600n * S;
const B = 'b';
const HOSTS = 12;

let dir: string;
let engine: Engine;
const pb = new PointBuilder();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-meta-reuse-'));
  engine = await Engine.open({ dataDir: dir, fsync: false });
  await engine.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
  // Three points per host, flushed: every host's count/first/last comes from block metadata.
  const points = [];
  for (let h = 0; h < HOSTS; h++) for (let i = 0; i < 3; i++) points.push(pb.point('m', { host: `h${String(h).padStart(2, '0')}` }, { v: BigInt(h * 10 + i) }, T0 + BigInt(i) * S));
  await engine.write(B, points);
  await engine.flush();
});

afterEach(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

const hostOf = (b: SeriesBatch): string => b.tags.find(([k]) => k === 'host')![1];

/**
 * A read computes the metadata answers of the next few series ahead of their use (with its block
 * read-ahead). A change made between that and the use must show in the batch exactly as if the
 * answer were computed at use: here the change hits h05 after h00's batch was taken, when h05's
 * answer has already been computed ahead.
 */
describe('Engine metadata answers computed ahead', () => {
  const cases: { name: string; aggregate: Aggregate; change: () => Promise<unknown>; h05: string | undefined }[] = [
    { name: 'count sees a point written meanwhile', aggregate: 'count', change: () => engine.write(B, [pb.point('m', { host: 'h05' }, { v: 99n }, T0 + 9n * S)]), h05: '4' },
    { name: 'last sees a point written meanwhile', aggregate: 'last', change: () => engine.write(B, [pb.point('m', { host: 'h05' }, { v: 99n }, T0 + 9n * S)]), h05: '99' },
    { name: 'first sees an earlier point written and flushed meanwhile', aggregate: 'first', change: async () => {
      await engine.write(B, [pb.point('m', { host: 'h05' }, { v: -1n }, T0 - 1n)]);
      await engine.flush();
    }, h05: '-1' },
    { name: 'count misses a series deleted meanwhile', aggregate: 'count', change: () => engine.delete({ bucketId: B, startNs: T0, stopNs: T0 + 60n * S, predicate: { kind: 'compare', key: 'host', op: '==', value: 'h05' } }), h05: undefined },
    { name: 'count sees part of a series deleted meanwhile', aggregate: 'count', change: () => engine.delete({ bucketId: B, startNs: T0, stopNs: T0, predicate: { kind: 'compare', key: 'host', op: '==', value: 'h05' } }), h05: '2' },
    { name: 'count is unchanged by a compaction meanwhile', aggregate: 'count', change: async () => {
      await engine.write(B, [pb.point('m', { host: 'h00' }, { v: 7n }, T0 + 30n * S)]);
      await engine.flush();
      await engine.compact();
    }, h05: '3' },
  ];
  it.each(cases)('$name', async ({ aggregate, change, h05 }) => {
    const got = new Map<string, string>();
    let changed = false;
    for await (const b of engine.read({ bucketId: B, startNs: T0 - S, stopNs: T0 + 60n * S, aggregate })) {
      got.set(hostOf(b), String(b.values[0]));
      if (!changed) {
        changed = true;
        await change();
      }
    }
    expect(got.get('h05')).toBe(h05);
    // The other hosts are untouched (h00's batch was taken before the change).
    const h04 = { count: '3', first: '40', last: '42' }[aggregate as 'count' | 'first' | 'last'];
    expect(got.get('h04')).toBe(h04);
    expect(got.size).toBe(h05 === undefined ? HOSTS - 1 : HOSTS);
  });
});
