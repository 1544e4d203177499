import type { FieldType } from '../../lineprotocol/point.js';
import type { Bucket } from '../head/bucket.js';
import type { Partition } from '../head/partition.js';
import { matchesPredicate, type FieldSeries } from '../index/series-index.js';
import { removeRanges, type DeletedRange } from '../tombstone/apply-tombstones.js';
import type { Tombstone } from '../tombstone/tombstone.js';
import { sliceColumn, type Column } from './column.js';
import { mergeColumns } from './merge-columns.js';
import { lowerBound } from './time-search.js';

/**
 * Reads one field series over `[startNs, stopNs)` from every source in `parts` (blocks, frozen
 * heads, live head), applies tombstones and merges so the newest write of a timestamp wins.
 * Returns one column per run of partitions with the same field type (a field may change type
 * between shard groups), in time order.
 *
 * Ownership: the returned columns may share memory with the live head. Use or copy them before
 * the next `await` (a later write or delete may change the head).
 */
export async function readSeries(
  bucket: Bucket,
  fs: FieldSeries,
  parts: readonly Partition[],
  startNs: bigint,
  stopNs: bigint,
): Promise<Column[]> {
  // All asynchronous block reads first; the head is looked at only after the last await.
  const fromBlocks: Column[][] = [];
  for (const part of parts) {
    const cols: Column[] = [];
    for (const block of part.blocks) {
      const e = block.entry(fs.storageKey);
      if (e === undefined || e.maxTimeNs < startNs || e.minTimeNs >= stopNs) continue;
      const col = await block.read(fs.storageKey, startNs, stopNs);
      cols.push(restrict(removeRanges(col, deletedRanges(part.tombstones, block.seq, fs)), startNs, stopNs));
    }
    fromBlocks.push(cols);
  }
  if (bucket.dropped) return [];

  const out: Column[] = [];
  let run: Column[] = [];
  let runType: FieldType | undefined;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (part.dropped) continue;
    const sources = fromBlocks[k]!;
    for (const f of part.frozen) {
      const c = f.columns.get(fs.id);
      if (c !== undefined) sources.push(restrict(removeRanges(c, deletedRanges(part.tombstones, f.seq, fs)), startNs, stopNs));
    }
    const live = part.head.get(fs.id);
    if (live !== undefined && live.length > 0) sources.push(restrict(live.view(), startNs, stopNs));
    const merged = mergeColumns(sources);
    if (merged === undefined) continue;
    if (runType !== undefined && merged.type !== runType) {
      out.push(mergeColumns(run)!);
      run = [];
    }
    runType = merged.type;
    run.push(merged);
  }
  if (run.length > 0) out.push(mergeColumns(run)!);
  return out;
}

/** Whether the field series has at least one point in `[startNs, stopNs)`. */
export async function hasData(bucket: Bucket, fs: FieldSeries, parts: readonly Partition[], startNs: bigint, stopNs: bigint): Promise<boolean> {
  for (const part of parts) {
    const live = part.head.get(fs.id);
    if (live !== undefined && live.length > 0) {
      const ts = live.view().timestampsNs;
      const i = lowerBound(ts, startNs);
      if (i < ts.length && ts[i]! < stopNs) return true;
    }
  }
  const cols = await readSeries(bucket, fs, parts, startNs, stopNs);
  return cols.some((c) => c.timestampsNs.length > 0);
}

/** The ranges deleted from a block (or frozen head) `seq` of series `fs`. */
export function deletedRanges(tombstones: readonly Tombstone[], seq: number, fs: FieldSeries): DeletedRange[] {
  const out: DeletedRange[] = [];
  for (const t of tombstones) if (t.maxBlockSeq >= seq && matchesPredicate(t.predicate, fs)) out.push(t);
  return out;
}

function restrict(col: Column, startNs: bigint, stopNs: bigint): Column {
  const ts = col.timestampsNs;
  const i = lowerBound(ts, startNs);
  const j = lowerBound(ts, stopNs, i);
  return sliceColumn(col, i, j);
}
