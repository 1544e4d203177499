import { FieldType } from '../../../lineprotocol/point.js';
import type { BlockSeriesInput } from '../block-writer.js';

/**
 * Test fixtures shared by the block tests: one series per field type, with the awkward values
 * (NaN payloads, -0, ±Infinity, int64 extremes, empty and non-ASCII strings).
 */
export function sampleSeries(pointsPerSeries: number, startNs = 1_767_225_600_000_000_000n): BlockSeriesInput[] {
  const n = pointsPerSeries;
  const ts = (jitter: boolean): BigInt64Array =>
    BigInt64Array.from({ length: n }, (_, i) => startNs + BigInt(i) * 10_000_000_000n + (jitter ? BigInt((i * 7919) % 1000) : 0n));
  const base = (field: string, type: FieldType, host = 'a') => ({
    key: `cpu,host=${host}`,
    measurement: 'cpu',
    tags: [['host', host]] as const,
    field,
    type,
  });
  const special = [NaN, -0, Infinity, -Infinity, 0, 1e-300, Number.MAX_VALUE];
  return [
    { ...base('usage', FieldType.Float), timestampsNs: ts(false), values: Float64Array.from({ length: n }, (_, i) => Math.round(5000 + 300 * Math.sin(i)) / 100) },
    { ...base('weird', FieldType.Float), timestampsNs: ts(true), values: Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? special[i % special.length]! : Math.sin(i))) },
    { ...base('count', FieldType.Integer), timestampsNs: ts(true), values: BigInt64Array.from({ length: n }, (_, i) => (i % 11 === 3 ? -(2n ** 63n) : i % 13 === 4 ? 2n ** 63n - 1n : BigInt(i * 3 - 50))) },
    { ...base('bytes', FieldType.Unsigned), timestampsNs: ts(false), values: BigUint64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 2n ** 64n - 1n : BigInt(i) * 1000n)) },
    { ...base('state', FieldType.String), timestampsNs: ts(false), values: Array.from({ length: n }, (_, i) => ['ok', 'warn', ''][i % 3]!) },
    { ...base('message', FieldType.String, 'b'), timestampsNs: ts(true), values: Array.from({ length: n }, (_, i) => `événement ${i} 🎉`) },
    { ...base('up', FieldType.Boolean, 'b'), timestampsNs: ts(false), values: Uint8Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : 1)) },
  ];
}
