import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { FieldType, type FieldValue } from '../lineprotocol/point.js';
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

  it('is ignored by aggregate reads (they aggregate every point)', async () => {
    await writeSeries('a', 'f', [1, 95, 2]);
    const [b] = await collect({ aggregate: 'count', valueFilter: selector(() => false) });
    expect([...(b!.values as BigInt64Array)]).toEqual([3n]);
  });

  it('applies after the time range and tombstones', async () => {
    await writeSeries('a', 'f', [95, 96, 97, 98, 99]);
    await engine.flush();
    await engine.delete({ bucketId: B, startNs: T0 + 1n * S, stopNs: T0 + 1n * S });
    const got = await collect({ startNs: T0 + 1n * S, stopNs: T0 + 4n * S, valueFilter: selector((v) => (v as number) > 96) });
    expect(rows(got)).toEqual(['a.f@2=97', 'a.f@3=98']);
  });
});
