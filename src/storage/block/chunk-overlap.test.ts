import { describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import type { BlockChunkEntry } from './block-index.js';
import { chunkOverlap, type ChunkOverlap } from './chunk-overlap.js';

const chunk = (minTimeNs: bigint, maxTimeNs: bigint): BlockChunkEntry => ({
  type: FieldType.String,
  minTimeNs,
  maxTimeNs,
  pointCount: 2,
  offsetBytes: 8,
  timestampsLengthBytes: 5,
  valuesLengthBytes: 5,
  stats: { type: FieldType.String },
});

describe('chunkOverlap', () => {
  it.each<[string, bigint, bigint, ChunkOverlap]>([
    ['range covers the chunk', 0n, 100n, 'inside'],
    ['range is exactly the chunk', 10n, 21n, 'inside'],
    ['stop equals the last point (exclusive)', 10n, 20n, 'partial'],
    ['start after the first point', 11n, 100n, 'partial'],
    ['range inside the chunk', 12n, 15n, 'partial'],
    ['range ends at the first point (exclusive)', 0n, 10n, 'outside'],
    ['range starts after the last point', 21n, 30n, 'outside'],
    ['range starts at the last point', 20n, 30n, 'partial'],
  ])('%s', (_name, start, stop, expected) => {
    expect(chunkOverlap(chunk(10n, 20n), start, stop)).toBe(expected);
  });
});
