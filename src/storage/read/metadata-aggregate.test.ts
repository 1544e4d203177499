import { describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import type { BlockEntryInfo } from '../compaction/stored-block.js';
import type { Partition } from '../head/partition.js';
import type { FieldSeries } from '../index/series-index.js';
import type { Aggregate } from '../storage.js';
import type { Tombstone } from '../tombstone/tombstone.js';
import { aggregateFromMetadata } from './metadata-aggregate.js';

// aggregateFromMetadata against hand-made partitions: only the members it reads are modelled
// (head, frozen heads, blocks with `entry`/`seq`, tombstones). End-to-end agreement with plain
// execution over real data is test/query-metadata-aggregates.test.ts; this pins the rules.

const KEY = 'cpu,host=a\u0000usage';
const fs = { id: 7, storageKey: KEY, field: 'usage', entry: { measurement: 'cpu', tags: [['host', 'a']] } } as unknown as FieldSeries;

function entry(minTimeNs: bigint, maxTimeNs: bigint, count: number, extra: Partial<BlockEntryInfo> = {}): BlockEntryInfo {
  return { storageKey: KEY, measurement: 'cpu', tags: [['host', 'a']], field: 'usage', type: FieldType.Float, count, minTimeNs, maxTimeNs, firstValue: Number(minTimeNs), lastValue: Number(maxTimeNs), ...extra };
}

interface PartSpec {
  blocks: (BlockEntryInfo | undefined)[];
  headPoints?: number;
  frozen?: boolean;
  tombstones?: Tombstone[];
}

function partition(p: PartSpec): Partition {
  return {
    head: new Map(p.headPoints === undefined ? [] : [[fs.id, { length: p.headPoints }]]),
    frozen: p.frozen === true ? [{ columns: new Map([[fs.id, {}]]) }] : [],
    blocks: p.blocks.map((e, k) => ({ seq: k + 1, entry: (key: string) => (key === KEY ? e : undefined) })),
    tombstones: p.tombstones ?? [],
  } as unknown as Partition;
}

type Want = { time: bigint; value: number | bigint } | null | undefined;
const cases: { name: string; parts: PartSpec[]; aggregate: Aggregate; start?: bigint; stop?: bigint; want: Want }[] = [
  { name: 'one entry: count', parts: [{ blocks: [entry(10n, 20n, 3)] }], aggregate: 'count', want: { time: 100n, value: 3n } },
  { name: 'one entry: first', parts: [{ blocks: [entry(10n, 20n, 3)] }], aggregate: 'first', want: { time: 10n, value: 10 } },
  { name: 'one entry: last', parts: [{ blocks: [entry(10n, 20n, 3)] }], aggregate: 'last', want: { time: 20n, value: 20 } },
  {
    name: 'entries across blocks and partitions: counts add, first/last from the ends',
    parts: [{ blocks: [entry(40n, 50n, 2), undefined] }, { blocks: [entry(10n, 20n, 3)] }],
    aggregate: 'count',
    want: { time: 100n, value: 5n },
  },
  { name: 'entries out of order: first is the earliest', parts: [{ blocks: [entry(40n, 50n, 2), entry(10n, 20n, 3)] }], aggregate: 'first', want: { time: 10n, value: 10 } },
  { name: 'entries out of order: last is the latest', parts: [{ blocks: [entry(40n, 50n, 2), entry(10n, 20n, 3)] }], aggregate: 'last', want: { time: 50n, value: 50 } },
  { name: 'entries overlapping in time', parts: [{ blocks: [entry(10n, 30n, 3), entry(30n, 50n, 2)] }], aggregate: 'count', want: undefined },
  { name: 'an entry reaching past the range', parts: [{ blocks: [entry(10n, 20n, 3)] }], aggregate: 'count', stop: 15n, want: undefined },
  { name: 'an entry wholly outside the range is left out', parts: [{ blocks: [entry(10n, 20n, 3), entry(200n, 300n, 9)] }], aggregate: 'count', want: { time: 100n, value: 3n } },
  { name: 'no entry in the range', parts: [{ blocks: [entry(200n, 300n, 9)] }], aggregate: 'last', want: null },
  { name: 'head points of the series', parts: [{ blocks: [entry(10n, 20n, 3)], headPoints: 1 }], aggregate: 'count', want: undefined },
  { name: 'an empty head column', parts: [{ blocks: [entry(10n, 20n, 3)], headPoints: 0 }], aggregate: 'count', want: { time: 100n, value: 3n } },
  { name: 'a frozen head holding the series', parts: [{ blocks: [entry(10n, 20n, 3)], frozen: true }], aggregate: 'count', want: undefined },
  {
    name: 'a tombstone over the entry',
    parts: [{ blocks: [entry(10n, 20n, 3)], tombstones: [{ startNs: 15n, stopNs: 16n, predicate: undefined, maxBlockSeq: 1 }] }],
    aggregate: 'count',
    want: undefined,
  },
  {
    name: 'a tombstone beside the entry',
    parts: [{ blocks: [entry(10n, 20n, 3)], tombstones: [{ startNs: 21n, stopNs: 30n, predicate: undefined, maxBlockSeq: 1 }] }],
    aggregate: 'count',
    want: { time: 100n, value: 3n },
  },
  {
    name: 'a tombstone older than the block',
    parts: [{ blocks: [entry(10n, 20n, 3)], tombstones: [{ startNs: 15n, stopNs: 16n, predicate: undefined, maxBlockSeq: 0 }] }],
    aggregate: 'count',
    want: { time: 100n, value: 3n },
  },
  { name: 'the field changing type between entries', parts: [{ blocks: [entry(10n, 20n, 3), entry(30n, 40n, 1, { type: FieldType.Integer })] }], aggregate: 'count', want: undefined },
  { name: 'an aggregate metadata cannot answer', parts: [{ blocks: [entry(10n, 20n, 3)] }], aggregate: 'sum', want: undefined },
];

describe('aggregateFromMetadata', () => {
  it.each(cases)('$name', ({ parts, aggregate, start = 0n, stop = 100n, want }) => {
    const got = aggregateFromMetadata(fs, parts.map(partition), aggregate, start, stop);
    if (want === undefined || want === null) {
      expect(got).toBe(want);
      return;
    }
    expect(got).toBeDefined();
    expect([...got!.timestampsNs]).toEqual([want.time]);
    expect([...(got!.values as Float64Array | BigInt64Array)]).toEqual([want.value]);
    expect([...got!.windowStartsNs]).toEqual([start]);
    expect([...got!.windowStopsNs]).toEqual([stop]);
  });

  it('gives each range its own window, also when ranges alternate', () => {
    const parts = [partition({ blocks: [entry(10n, 20n, 3)] })];
    for (const [start, stop] of [[0n, 100n], [5n, 50n], [0n, 100n], [1n, 21n]] as const) {
      for (const aggregate of ['count', 'first', 'last'] as const) {
        const got = aggregateFromMetadata(fs, parts, aggregate, start, stop)!;
        expect([got.windowStartsNs[0], got.windowStopsNs[0]]).toEqual([start, stop]);
        if (aggregate === 'count') expect(got.timestampsNs[0]).toBe(stop);
      }
    }
  });
});
