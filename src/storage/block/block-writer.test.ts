import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../../core/errors.js';
import { FieldType } from '../../lineprotocol/point.js';
import { BlockReader } from './block-reader.js';
import { sampleSeries } from './testdata/sample-series.js';
import { writeBlock, type BlockSeriesInput } from './block-writer.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-block-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const series = (overrides: Partial<BlockSeriesInput>): BlockSeriesInput => ({
  key: 'm,t=1',
  measurement: 'm',
  tags: [['t', '1']],
  field: 'f',
  type: FieldType.Float,
  timestampsNs: BigInt64Array.of(1n, 2n, 3n),
  values: Float64Array.of(1, 2, 3),
  ...overrides,
});

describe('writeBlock', () => {
  it('leaves exactly the block file, with no temp file, after success', async () => {
    const path = join(dir, 'ok.block');
    const meta = await writeBlock(path, sampleSeries(10));
    expect(await readdir(dir)).toEqual(['ok.block']);
    expect(meta).toMatchObject({ path, pointCount: 70 });
  });

  it.each([
    ['timestamps not ascending', [series({ timestampsNs: BigInt64Array.of(1n, 3n, 2n) })], /not strictly ascending/],
    ['duplicate timestamp', [series({ timestampsNs: BigInt64Array.of(1n, 2n, 2n) })], /not strictly ascending/],
    ['length mismatch', [series({ values: Float64Array.of(1, 2) })], /3 timestamps but 2 values/],
    ['wrong array type', [series({ values: BigInt64Array.of(1n, 2n, 3n) })], /Float64Array/],
    ['same series twice', [series({}), series({})], /twice/],
    ['outside the partition', [series({ timestampsNs: BigInt64Array.of(1n, 2n, 100n) })], /outside the partition/],
  ])('rejects bad input (%s) and leaves no file', async (_name, input, message) => {
    const path = join(dir, 'bad.block');
    const err = await writeBlock(path, input, { partitionStartNs: 0n, partitionEndNs: 100n }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as SluiceError).message).toMatch(message);
    expect(await readdir(dir)).toEqual([]);
  });

  it('leaves no partial file when the input fails midway', async () => {
    const path = join(dir, 'partial.block');
    const big = sampleSeries(5000);
    function* failing(): Generator<BlockSeriesInput> {
      yield big[0]!;
      yield big[1]!;
      throw new Error('head went away');
    }
    await expect(writeBlock(path, failing())).rejects.toThrow('head went away');
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps an existing block intact when a rewrite fails', async () => {
    const path = join(dir, 'keep.block');
    await writeBlock(path, sampleSeries(5));
    await expect(writeBlock(path, [series({ timestampsNs: BigInt64Array.of(2n, 1n, 3n) })])).rejects.toThrow();
    const reader = await BlockReader.open(path);
    await reader.verify();
    expect(reader.series).toHaveLength(7);
    await reader.close();
    expect(await readdir(dir)).toEqual(['keep.block']);
  });

  it('refuses to clobber a concurrent writer of the same block (temp file exists)', async () => {
    const path = join(dir, 'busy.block');
    await writeFile(`${path}.tmp`, 'in progress');
    await expect(writeBlock(path, sampleSeries(3))).rejects.toMatchObject({ code: 'EEXIST' });
    expect((await readdir(dir)).sort()).toEqual(['busy.block.tmp']);
  });

  it('writes an empty block when no series has points', async () => {
    const path = join(dir, 'empty.block');
    const meta = await writeBlock(path, [series({ timestampsNs: new BigInt64Array(0), values: new Float64Array(0) })]);
    expect(meta).toMatchObject({ pointCount: 0, minTimeNs: undefined });
    const reader = await BlockReader.open(path);
    expect(reader.series).toEqual([]);
    await reader.close();
  });

  it('yields the event loop while encoding a large block, not only at the end', async () => {
    // Most series below encode to over 256 KiB; the writer must let other work run in between.
    let turns = 0;
    let pulling = true;
    const tick = (): void => {
      turns++;
      if (pulling) setImmediate(tick);
    };
    const turnsAtPull: number[] = [];
    function* input(): Generator<BlockSeriesInput> {
      for (const s of sampleSeries(200_000)) {
        turnsAtPull.push(turns);
        yield s;
      }
      pulling = false;
    }
    setImmediate(tick);
    await writeBlock(join(dir, 'large.block'), input());
    expect(turnsAtPull).toHaveLength(7);
    // Without intermediate flushes every series would be pulled in the same turn.
    expect(new Set(turnsAtPull).size).toBeGreaterThanOrEqual(4);
  });

  it('rejects a chunk size outside [1, 2^20]', async () => {
    await expect(writeBlock(join(dir, 'x.block'), [], { maxPointsPerChunk: 0 })).rejects.toThrow(/maxPointsPerChunk/);
    expect(await readdir(dir)).toEqual([]);
  });
});
