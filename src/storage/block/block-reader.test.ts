import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import { BlockCorruptionError } from './block-corruption-error.js';
import { BlockReader } from './block-reader.js';
import { sampleSeries } from './testdata/sample-series.js';
import { writeBlock, type BlockSeriesInput } from './block-writer.js';
import type { ChunkStats } from './chunk-stats.js';
import { chunkOverlap } from './chunk-overlap.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-block-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Bitwise view of a column, so NaN payloads and -0 compare exactly. */
function exact(values: unknown): unknown {
  if (ArrayBuffer.isView(values)) return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('hex');
  return values;
}

function slice(values: BlockSeriesInput['values'], from: number, to: number): BlockSeriesInput['values'] {
  return Array.isArray(values) ? values.slice(from, to) : values.subarray(from, to);
}

/** Stats the slow, obvious way (bigint per value), to check the fast ones. */
function referenceStats(type: FieldType, ts: BigInt64Array, values: BlockSeriesInput['values']): ChunkStats {
  const n = ts.length;
  if (type === FieldType.String) return { type };
  if (type === FieldType.Boolean) {
    const v = values as Uint8Array;
    return { type, first: v[0] !== 0, last: v[n - 1] !== 0, trueCount: v.filter((x) => x !== 0).length };
  }
  const xs = Array.from(values as ArrayLike<number | bigint>);
  let minAt = -1;
  let maxAt = -1;
  xs.forEach((x, i) => {
    if (typeof x === 'number' && Number.isNaN(x)) return;
    if (minAt < 0 || x < xs[minAt]!) minAt = i;
    if (maxAt < 0 || x > xs[maxAt]!) maxAt = i;
  });
  if (minAt < 0) minAt = maxAt = 0;
  let sum: number | bigint;
  if (type === FieldType.Float) sum = (xs as number[]).reduce((a, b) => a + b, 0);
  else {
    const wide = (xs as bigint[]).reduce((a, b) => a + b, 0n);
    sum = type === FieldType.Integer ? BigInt.asIntN(64, wide) : BigInt.asUintN(64, wide);
  }
  return { type, sum, min: xs[minAt], max: xs[maxAt], first: xs[0], last: xs[n - 1], minAtNs: ts[minAt], maxAtNs: ts[maxAt] } as ChunkStats;
}

describe('BlockReader over a block written by writeBlock', () => {
  it.each([
    [1, 1000],
    [7, 1000],
    [250, 64],
    [1000, 1000],
  ])('round-trips every field type bit-exactly (%i points, %i per chunk)', async (points, perChunk) => {
    const input = sampleSeries(points);
    const path = join(dir, 'b.block');
    const meta = await writeBlock(path, input, { bucketId: 'bkt', maxPointsPerChunk: perChunk });
    const reader = await BlockReader.open(path);
    try {
      expect(reader.index).toEqual(meta.index);
      expect(reader.index.bucketId).toBe('bkt');
      expect(reader.sizeBytes).toBe(meta.sizeBytes);
      expect(reader.series.map((s) => `${s.key} ${s.field}`)).toEqual(input.map((s) => `${s.key} ${s.field}`).sort());
      for (const s of input) {
        const entry = reader.find(s.key, s.field)!;
        expect(entry).toMatchObject({ measurement: s.measurement, tags: s.tags, type: s.type, pointCount: points });
        expect(entry.minTimeNs).toBe(s.timestampsNs[0]);
        expect(entry.maxTimeNs).toBe(s.timestampsNs[points - 1]);
        expect(entry.chunks).toHaveLength(Math.ceil(points / perChunk));
        const all = await reader.readSeries(entry);
        expect(exact(all.timestampsNs)).toEqual(exact(s.timestampsNs));
        expect(exact(all.values)).toEqual(exact(s.values));
        let at = 0;
        for (const chunk of entry.chunks) {
          const part = await reader.readChunk(chunk);
          const end = at + chunk.pointCount;
          expect(exact(part.timestampsNs)).toEqual(exact(s.timestampsNs.subarray(at, end)));
          expect(exact(part.values)).toEqual(exact(slice(s.values, at, end)));
          expect(chunk.stats).toEqual(referenceStats(s.type, s.timestampsNs.subarray(at, end), slice(s.values, at, end)));
          at = end;
        }
      }
      await reader.verify();
    } finally {
      await reader.close();
    }
  });

  it.each([
    ['whole range', undefined, undefined, 0, 100],
    ['inside one chunk', 3n, 7n, 3, 7],
    ['across chunks', 5n, 95n, 5, 95],
    ['before the data', -100n, 0n, 0, 0],
    ['after the data', 100n, 200n, 100, 100],
    ['exact chunk edge', 32n, 64n, 32, 64],
  ])('readSeries keeps [start, stop): %s', async (_name, start, stop, from, to) => {
    const timestampsNs = BigInt64Array.from({ length: 100 }, (_, i) => BigInt(i) * 10n);
    const values = Float64Array.from({ length: 100 }, (_, i) => i);
    const path = join(dir, 'r.block');
    await writeBlock(path, [{ key: 'm', measurement: 'm', tags: [], field: 'f', type: FieldType.Float, timestampsNs, values }], { maxPointsPerChunk: 32 });
    const reader = await BlockReader.open(path);
    try {
      const entry = reader.find('m', 'f')!;
      const got = await reader.readSeries(entry, start === undefined ? undefined : start * 10n, stop === undefined ? undefined : stop * 10n);
      expect(Array.from(got.values as Float64Array)).toEqual(Array.from(values.subarray(from, to)));
      expect(Array.from(got.timestampsNs)).toEqual(Array.from(timestampsNs.subarray(from, to)));
    } finally {
      await reader.close();
    }
  });

  it.each<[string, bigint | undefined, bigint | undefined, (first: number) => boolean, number]>([
    ['every other chunk, whole range', undefined, undefined, (first) => first % 64 === 0, 64],
    ['no chunk', undefined, undefined, () => false, 0],
    ['kept chunks inside a range', 40n, 90n, (first) => first !== 64, 24],
  ])('readSeries decodes only the chunks keepChunk accepts: %s', async (_name, start, stop, keep, count) => {
    const timestampsNs = BigInt64Array.from({ length: 100 }, (_, i) => BigInt(i) * 10n);
    const values = Float64Array.from({ length: 100 }, (_, i) => i);
    const path = join(dir, 'k.block');
    await writeBlock(path, [{ key: 'm', measurement: 'm', tags: [], field: 'f', type: FieldType.Float, timestampsNs, values }], { maxPointsPerChunk: 32 });
    const reader = await BlockReader.open(path);
    try {
      const entry = reader.find('m', 'f')!;
      const asked: number[] = [];
      const got = await reader.readSeries(entry, start === undefined ? undefined : start * 10n, stop === undefined ? undefined : stop * 10n, (c) => {
        const first = Number(c.minTimeNs / 10n);
        asked.push(first);
        return keep(first);
      });
      // Asked only about chunks overlapping the range; the points of the kept ones, in order.
      const want = [...values].filter((v) => (start === undefined || v >= start) && (stop === undefined || v < stop) && keep(Math.floor(v / 32) * 32));
      expect(Array.from(got.values as Float64Array)).toEqual(want);
      expect(Array.from(got.timestampsNs)).toEqual(want.map((v) => BigInt(v) * 10n));
      expect(asked.every((first) => (start === undefined || first + 31 >= start) && (stop === undefined || first < stop))).toBe(true);
      expect(got.timestampsNs.length).toBe(count);
    } finally {
      await reader.close();
    }
  });

  it.each([
    [0n, 10_000n],
    [55n, 5_555n],
    [100n, 200n],
    [1_234n, 1_235n],
    [-50n, 7_000n],
  ])('answers sum/count over [%i, %i) from chunk stats plus only the partial chunks', async (start, stop) => {
    const timestampsNs = BigInt64Array.from({ length: 1000 }, (_, i) => BigInt(i) * 7n);
    const values = BigInt64Array.from({ length: 1000 }, (_, i) => BigInt((i * 7919) % 1000) - 500n);
    const path = join(dir, 'agg.block');
    await writeBlock(path, [{ key: 'm', measurement: 'm', tags: [], field: 'n', type: FieldType.Integer, timestampsNs, values }], { maxPointsPerChunk: 64 });
    const reader = await BlockReader.open(path);
    try {
      const entry = reader.find('m', 'n')!;
      let sum = 0n;
      let count = 0;
      let decoded = 0;
      for (const chunk of entry.chunks) {
        const overlap = chunkOverlap(chunk, start, stop);
        if (overlap === 'inside' && chunk.stats.type === FieldType.Integer) {
          sum += chunk.stats.sum;
          count += chunk.pointCount;
        } else if (overlap === 'partial') {
          decoded++;
          const data = await reader.readChunk(chunk);
          data.timestampsNs.forEach((t, i) => {
            if (t >= start && t < stop) {
              sum += (data.values as BigInt64Array)[i]!;
              count++;
            }
          });
        }
      }
      const full = await reader.readSeries(entry, start, stop);
      expect(count).toBe(full.timestampsNs.length);
      expect(sum).toBe((Array.from(full.values as BigInt64Array)).reduce((a, b) => a + b, 0n));
      expect(decoded).toBeLessThanOrEqual(2);
    } finally {
      await reader.close();
    }
  });

  it('answers find() only for (key, field) pairs it holds', async () => {
    const path = join(dir, 'f.block');
    await writeBlock(path, sampleSeries(3));
    const reader = await BlockReader.open(path);
    expect(reader.find('cpu,host=a', 'usage')).toBeDefined();
    expect(reader.find('cpu,host=a', 'up')).toBeUndefined();
    expect(reader.find('cpu,host=zz', 'usage')).toBeUndefined();
    await reader.close();
  });

  it('stores the partition and replaced generations', async () => {
    const path = join(dir, 'p.block');
    await writeBlock(path, sampleSeries(3, 1000n), { partitionStartNs: 0n, partitionEndNs: 10n ** 12n, replacedGenerations: [1, 2, 9] });
    const reader = await BlockReader.open(path);
    expect(reader.index).toMatchObject({ partitionStartNs: 0n, partitionEndNs: 10n ** 12n, replacedGenerations: [1, 2, 9] });
    await reader.close();
  });
});

describe('BlockReader corruption detection', () => {
  /** Opens the block and reads everything; returns the error, or 'served' if data came back. */
  async function readAll(path: string): Promise<unknown> {
    let reader: BlockReader;
    try {
      reader = await BlockReader.open(path);
    } catch (e) {
      return e;
    }
    try {
      await reader.verify();
      return 'served';
    } catch (e) {
      return e;
    } finally {
      await reader.close();
    }
  }

  it('detects a flipped bit at every offset of a block file and never serves it', async () => {
    const good = join(dir, 'good.block');
    const input = sampleSeries(40);
    await writeBlock(good, input, { maxPointsPerChunk: 16 });
    const original = await readFile(good);
    expect(await readAll(good)).toBe('served');
    const bad = join(dir, 'bad.block');
    const undetected: number[] = [];
    for (let offset = 0; offset < original.length; offset++) {
      const copy = Buffer.from(original);
      copy[offset]! ^= 1 << (offset % 8);
      await writeFile(bad, copy);
      const result = await readAll(bad);
      if (!(result instanceof BlockCorruptionError)) undetected.push(offset);
      else expect(result.path).toBe(bad);
    }
    expect(original.length).toBeGreaterThan(1000);
    expect(undetected).toEqual([]);
  });

  it('detects random overwrites and truncations (property)', async () => {
    const good = join(dir, 'good2.block');
    await writeBlock(good, sampleSeries(30), { maxPointsPerChunk: 8 });
    const original = await readFile(good);
    const bad = join(dir, 'bad2.block');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ at: fc.nat({ max: original.length - 1 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }).map(({ at, bytes }) => {
            const copy = Buffer.from(original);
            copy.set(bytes.subarray(0, copy.length - at), at);
            return copy;
          }),
          fc.nat({ max: original.length - 1 }).map((length) => original.subarray(0, length)),
        ),
        async (mangled) => {
          if (mangled.equals(original)) return;
          await writeFile(bad, mangled);
          expect(await readAll(bad)).toBeInstanceOf(BlockCorruptionError);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reports a corrupt chunk with its offset while other series stay readable', async () => {
    const path = join(dir, 'c.block');
    await writeBlock(path, sampleSeries(50));
    const clean = await BlockReader.open(path);
    const victim = clean.series[0]!;
    const chunk = victim.chunks[0]!;
    await clean.close();
    const bytes = await readFile(path);
    bytes[chunk.offsetBytes + chunk.timestampsLengthBytes + 3]! ^= 0x10;
    await writeFile(path, bytes);

    const reader = await BlockReader.open(path);
    try {
      const err = await reader.readChunk(reader.series[0]!.chunks[0]!).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BlockCorruptionError);
      expect(err).toMatchObject({ path, offsetBytes: chunk.offsetBytes + chunk.timestampsLengthBytes, code: 'internal error' });
      for (const s of reader.series.slice(1)) await expect(reader.readSeries(s)).resolves.toBeDefined();
    } finally {
      await reader.close();
    }
  });

  it.each([
    ['empty file', (_b: Buffer) => Buffer.alloc(0)],
    ['truncated tail', (b: Buffer) => b.subarray(0, b.length - 1)],
    ['truncated to half', (b: Buffer) => b.subarray(0, b.length >> 1)],
    ['extra byte appended', (b: Buffer) => Buffer.concat([b, Buffer.of(0)])],
    ['zeroed footer', (b: Buffer) => Buffer.concat([b.subarray(0, b.length - 32), Buffer.alloc(32)])],
    ['other version', (b: Buffer) => Buffer.concat([b.subarray(0, 4), Buffer.of(2), b.subarray(5)])],
  ])('rejects a structurally broken file at open: %s', async (_name, mangle) => {
    const path = join(dir, 's.block');
    await writeBlock(path, sampleSeries(20));
    await writeFile(path, mangle(await readFile(path)));
    await expect(BlockReader.open(path)).rejects.toBeInstanceOf(BlockCorruptionError);
  });
});
