import { describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import { ByteReader } from '../encoding/byte-reader.js';
import { ByteWriter } from '../encoding/byte-writer.js';
import type { ColumnValues } from '../storage.js';
import { computeChunkStats, readChunkStats, writeChunkStats, type ChunkStats } from './chunk-stats.js';

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;
const times = (n: number): BigInt64Array => BigInt64Array.from({ length: n }, (_, i) => BigInt(i + 1) * 100n);

describe('computeChunkStats', () => {
  it.each<[string, FieldType, ColumnValues, Partial<Record<string, unknown>>]>([
    ['floats', FieldType.Float, Float64Array.of(3, 1, 4, 1, 5), { sum: 14, min: 1, max: 5, first: 3, last: 5, minAtNs: 200n, maxAtNs: 500n }],
    ['NaN first is skipped by min/max', FieldType.Float, Float64Array.of(NaN, 2, 1), { min: 1, max: 2, minAtNs: 300n, maxAtNs: 200n, first: NaN }],
    ['all NaN', FieldType.Float, Float64Array.of(NaN, NaN), { min: NaN, max: NaN, minAtNs: 100n, maxAtNs: 100n, sum: NaN }],
    ['infinities', FieldType.Float, Float64Array.of(Infinity, -Infinity), { min: -Infinity, max: Infinity, minAtNs: 200n, maxAtNs: 100n, sum: NaN }],
    ['first of equal minima wins', FieldType.Float, Float64Array.of(2, 1, 1, 2), { min: 1, minAtNs: 200n, max: 2, maxAtNs: 100n }],
    ['integers, sum wraps at 64 bits', FieldType.Integer, BigInt64Array.of(I64_MAX, 1n, 1n), { sum: I64_MIN + 1n, min: 1n, max: I64_MAX, minAtNs: 200n, maxAtNs: 100n }],
    ['integer extremes', FieldType.Integer, BigInt64Array.of(0n, I64_MIN, -1n, I64_MAX), { min: I64_MIN, max: I64_MAX, minAtNs: 200n, maxAtNs: 400n, sum: -2n }],
    ['integers across the 32-bit boundary', FieldType.Integer, BigInt64Array.of(2n ** 32n, 2n ** 32n - 1n, -(2n ** 32n)), { min: -(2n ** 32n), max: 2n ** 32n, sum: 2n ** 32n - 1n }],
    ['unsigned, sum wraps at 64 bits', FieldType.Unsigned, BigUint64Array.of(U64_MAX, 2n, 2n ** 63n), { sum: 2n ** 63n + 1n, min: 2n, max: U64_MAX, minAtNs: 200n, maxAtNs: 100n }],
    ['booleans', FieldType.Boolean, Uint8Array.of(0, 1, 1, 0, 1), { first: false, last: true, trueCount: 3 }],
    ['strings carry nothing but the count', FieldType.String, ['a', 'b'], {}],
  ])('%s', (_name, type, values, expected) => {
    const stats = computeChunkStats(type, times(values.length), values);
    expect(stats).toMatchObject({ type, ...expected });
    // And the stats survive the index encoding bit-exactly.
    const out = new ByteWriter();
    writeChunkStats(stats, out);
    const r = new ByteReader(out.bytes());
    const back: ChunkStats = readChunkStats(type, r);
    expect(r.remaining).toBe(0);
    expect(back).toEqual(stats);
  });
});
