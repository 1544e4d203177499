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
  // Called once or twice per series of a read (1,000 series for a per-host question): the common
  // case of one block entry allocates nothing but the answer; a list only when there are more.
  let only: BlockEntryInfo | undefined;
  let more: BlockEntryInfo[] | undefined;
  for (const part of parts) {
    if (part.head.get(fs.id)?.length) return undefined;
    for (const f of part.frozen) if (f.columns.has(fs.id)) return undefined;
    for (const block of part.blocks) {
      const e = block.entry(fs.storageKey);
      if (e === undefined || e.maxTimeNs < startNs || e.minTimeNs >= stopNs) continue;
      if (e.minTimeNs < startNs || e.maxTimeNs >= stopNs) return undefined;
      if (part.tombstones.length > 0 && deletedRanges(part.tombstones, block.seq, fs).some((r) => r.startNs <= e.maxTimeNs && r.stopNs >= e.minTimeNs)) return undefined;
      if (only === undefined) only = e;
      else (more ??= [only]).push(e);
    }
  }
  if (only === undefined) return null;
  let first = only;
  let last = only;
  let n = only.count;
  if (more !== undefined) {
    more.sort((a, b) => (a.minTimeNs < b.minTimeNs ? -1 : 1));
    n = 0;
    for (let k = 0; k < more.length; k++) {
      if (more[k]!.type !== only.type) return undefined;
      if (k > 0 && more[k]!.minTimeNs <= more[k - 1]!.maxTimeNs) return undefined;
      n += more[k]!.count;
    }
    first = more[0]!;
    last = more[more.length - 1]!;
  }
  const type = only.type;
  const { windowStartsNs, windowStopsNs } = rangeWindow(startNs, stopNs);
  if (aggregate === 'count') {
    // A count's time is the window stop: the same one-element array.
    return { type: FieldType.Integer, timestampsNs: windowStopsNs, values: BigInt64Array.of(BigInt(n)), windowStartsNs, windowStopsNs };
  }
  const e = aggregate === 'first' ? first : last;
  const value = aggregate === 'first' ? e.firstValue : e.lastValue;
  if (value === undefined) return undefined;
  const values = allocValues(type, 1);
  values[0] = toColumnValue(type, value) as never;
  return { type, timestampsNs: BigInt64Array.of(aggregate === 'first' ? e.minTimeNs : e.maxTimeNs), values, windowStartsNs, windowStopsNs };
}

/**
 * The one-window `windowStartsNs`/`windowStopsNs` of a whole-range answer, shared by every series
 * of a read (and by reads of the same range): batch arrays are read-only to their consumers, and
 * four typed arrays per series (two calls per series) were most of this module's cost.
 */
let lastWindow: { startNs: bigint; stopNs: bigint; windowStartsNs: BigInt64Array; windowStopsNs: BigInt64Array } | undefined;

function rangeWindow(startNs: bigint, stopNs: bigint): { windowStartsNs: BigInt64Array; windowStopsNs: BigInt64Array } {
  if (lastWindow === undefined || lastWindow.startNs !== startNs || lastWindow.stopNs !== stopNs) {
    lastWindow = { startNs, stopNs, windowStartsNs: BigInt64Array.of(startNs), windowStopsNs: BigInt64Array.of(stopNs) };
  }
  return lastWindow;
}

function toColumnValue(type: FieldType, v: FieldValue): number | bigint | string {
  if (type === FieldType.Boolean) return v === true ? 1 : 0;
  return v as number | bigint | string;
}
