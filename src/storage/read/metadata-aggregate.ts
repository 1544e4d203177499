import { FieldType, type FieldValue } from '../../lineprotocol/point.js';
import type { BlockEntryInfo } from '../compaction/stored-block.js';
import type { Partition } from '../head/partition.js';
import type { FieldSeries } from '../index/series-index.js';
import type { Aggregate } from '../storage.js';
import { deletedRanges } from './series-reader.js';
import { allocValues } from './column.js';
import type { AggregateRows } from './window-aggregate.js';

/**
 * `count`, `first` or `last` of one series over the whole range from block index metadata alone,
 * without reading or decoding any chunk. Applies only when the answer is exact: every block entry
 * of the series lies wholly inside the range, entries do not overlap in time (so no point is
 * counted twice), no tombstone touches them, no head holds points of the series, and the field
 * has one type. Returns undefined otherwise (the caller reads the data); an empty series gives
 * `null` (no row).
 */
export function aggregateFromMetadata(
  fs: FieldSeries,
  parts: readonly Partition[],
  aggregate: Aggregate,
  startNs: bigint,
  stopNs: bigint,
): AggregateRows | null | undefined {
  if (aggregate !== 'count' && aggregate !== 'first' && aggregate !== 'last') return undefined;
  const entries: BlockEntryInfo[] = [];
  for (const part of parts) {
    if (part.head.get(fs.id)?.length) return undefined;
    for (const f of part.frozen) if (f.columns.has(fs.id)) return undefined;
    for (const block of part.blocks) {
      const e = block.entry(fs.storageKey);
      if (e === undefined || e.maxTimeNs < startNs || e.minTimeNs >= stopNs) continue;
      if (e.minTimeNs < startNs || e.maxTimeNs >= stopNs) return undefined;
      if (deletedRanges(part.tombstones, block.seq, fs).some((r) => r.startNs <= e.maxTimeNs && r.stopNs >= e.minTimeNs)) return undefined;
      entries.push(e);
    }
  }
  if (entries.length === 0) return null;
  entries.sort((a, b) => (a.minTimeNs < b.minTimeNs ? -1 : 1));
  const type = entries[0]!.type;
  for (let k = 0; k < entries.length; k++) {
    if (entries[k]!.type !== type) return undefined;
    if (k > 0 && entries[k]!.minTimeNs <= entries[k - 1]!.maxTimeNs) return undefined;
  }
  const windowStartsNs = BigInt64Array.of(startNs);
  const windowStopsNs = BigInt64Array.of(stopNs);
  if (aggregate === 'count') {
    const n = entries.reduce((sum, e) => sum + e.count, 0);
    return { type: FieldType.Integer, timestampsNs: BigInt64Array.of(stopNs), values: BigInt64Array.of(BigInt(n)), windowStartsNs, windowStopsNs };
  }
  const e = aggregate === 'first' ? entries[0]! : entries[entries.length - 1]!;
  const value = aggregate === 'first' ? e.firstValue : e.lastValue;
  if (value === undefined) return undefined;
  const values = allocValues(type, 1);
  values[0] = toColumnValue(type, value) as never;
  return { type, timestampsNs: BigInt64Array.of(aggregate === 'first' ? e.minTimeNs : e.maxTimeNs), values, windowStartsNs, windowStopsNs };
}

function toColumnValue(type: FieldType, v: FieldValue): number | bigint | string {
  if (type === FieldType.Boolean) return v === true ? 1 : 0;
  return v as number | bigint | string;
}
