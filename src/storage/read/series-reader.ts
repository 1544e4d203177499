import type { FieldType } from '../../lineprotocol/point.js';
import type { StoredBlock } from '../compaction/stored-block.js';
import type { Partition } from '../head/partition.js';
import { matchesPredicate, type FieldSeries } from '../index/series-index.js';
import { removeRanges, type DeletedRange } from '../tombstone/apply-tombstones.js';
import type { Tombstone } from '../tombstone/tombstone.js';
import { sliceColumn, type Column } from './column.js';
import type { ColumnCache } from './column-cache.js';
import type { ValueSelector } from '../storage.js';
import { mergeColumns } from './merge-columns.js';
import { lowerBound } from './time-search.js';

/** Block data of one field series, fetched ahead of combining it with the head. */
export interface FetchedBlocks {
  /** Per partition (same order as `parts`): [block, its column restricted to the range]. */
  readonly perPartition: readonly (readonly [StoredBlock, Column][])[];
  /** The partitions and their versions when the fetch started; a change means fetch again. */
  readonly parts: readonly Partition[];
  readonly versions: readonly number[];
}

/**
 * Reads the block columns of one field series over `[startNs, stopNs)` (asynchronous: file reads,
 * checksums, decoding; served from `cache` when at least half the entry is wanted and cached). Blocks are
 * pinned while read, so a concurrent compaction cannot close them under the read.
 *
 * `values` (a raw read's value filter) lets a read of part of an entry skip decoding the chunks
 * whose value range it rules out, in the first block of each partition only: that block is the
 * oldest source `assemble` merges, so no older write can take the place of a point left out,
 * and a newer source's point at the same time wins either way. The points of the chunks read
 * are all kept (the filter itself runs on the assembled column).
 *
 * When every block wanted is served from the cache (a repeated query, the next run of a task),
 * the answer comes synchronously, without an async function's promise and suspension: a plain
 * loop here, and the reads in `readBlocks`. (One async function doing both took TurboFan 40-85 ms
 * to compile, on a fresh server's first answers.)
 */
export function fetchBlocks(
  fs: FieldSeries,
  parts: readonly Partition[],
  startNs: bigint,
  stopNs: bigint,
  cache: ColumnCache | undefined,
  values?: ValueSelector,
): FetchedBlocks | Promise<FetchedBlocks> {
  if (cache === undefined) return readBlocks(fs, parts, startNs, stopNs, cache, values);
  // (Built by push, not Array#map: see readBlocks.)
  const versions: number[] = [];
  for (const p of parts) versions.push(p.version);
  const perPartition: [StoredBlock, Column][][] = [];
  for (let k = 0; k < parts.length; k++) {
    const fromPart: [StoredBlock, Column][] = [];
    for (const block of parts[k]!.blocks) {
      const e = block.entry(fs.storageKey);
      if (e === undefined || e.maxTimeNs < startNs || e.minTimeNs >= stopNs) continue;
      const col = coversHalf(e, startNs, stopNs) ? cache.get(block, fs.storageKey) : undefined;
      if (col === undefined) return readBlocks(fs, parts, startNs, stopNs, cache, values);
      fromPart.push([block, restrict(col, startNs, stopNs)]);
    }
    perPartition.push(fromPart);
  }
  return { perPartition, parts, versions };
}

/** fetchBlocks when some block must be read from its file. */
async function readBlocks(
  fs: FieldSeries,
  parts: readonly Partition[],
  startNs: bigint,
  stopNs: bigint,
  cache: ColumnCache | undefined,
  values?: ValueSelector,
): Promise<FetchedBlocks> {
  // (Built by push, not Array#map: see perPartition.)
  const versions: number[] = [];
  for (const p of parts) versions.push(p.version);
  const wanted: [number, StoredBlock][] = [];
  for (let k = 0; k < parts.length; k++) {
    for (const block of parts[k]!.blocks) {
      const e = block.entry(fs.storageKey);
      if (e === undefined || e.maxTimeNs < startNs || e.minTimeNs >= stopNs) continue;
      block.pin();
      wanted.push([k, block]);
    }
  }
  // Arrays built by push, not Array#map: the array map() makes in unoptimised code has another
  // elements kind than the one it makes once inlined, and the change deoptimised this function.
  const perPartition: [StoredBlock, Column][][] = [];
  for (let k = 0; k < parts.length; k++) perPartition.push([]);
  try {
    for (const [k, block] of wanted) {
      const e = block.entry(fs.storageKey)!;
      const whole = cache !== undefined ? coversHalf(e, startNs, stopNs) : startNs <= e.minTimeNs && stopNs > e.maxTimeNs;
      let col = whole ? cache?.get(block, fs.storageKey) : undefined;
      if (col === undefined) {
        // A whole entry is cached for other reads: all of it is decoded.
        const skipping = !whole && values?.mayKeep !== undefined && perPartition[k]!.length === 0;
        col = await block.read(fs.storageKey, whole ? undefined : startNs, whole ? undefined : stopNs, skipping ? values : undefined);
        if (whole) cache?.set(block, fs.storageKey, col);
      }
      perPartition[k]!.push([block, restrict(col, startNs, stopNs)]);
    }
  } finally {
    for (const [, block] of wanted) block.unpin();
  }
  return { perPartition, parts, versions };
}

/**
 * Whether a read of `[startNs, stopNs)` should decode (and cache) the whole entry rather than the
 * chunks it overlaps: when it wants at least half of the entry's time span, a re-read of the same
 * or a neighbouring range (dashboards, the next task run) is then a cache hit, for at most twice
 * the decoding once. A read of the last minutes of a long entry decodes only its last chunks.
 */
function coversHalf(e: { minTimeNs: bigint; maxTimeNs: bigint }, startNs: bigint, stopNs: bigint): boolean {
  const from = startNs > e.minTimeNs ? startNs : e.minTimeNs;
  const to = stopNs <= e.maxTimeNs ? stopNs : e.maxTimeNs + 1n;
  return (to - from) * 2n >= e.maxTimeNs + 1n - e.minTimeNs;
}

/**
 * Whether `fetched` no longer fits `parts` (the partitions overlapping the range now): one was
 * added (a write created it) or dropped, or a partition's blocks or frozen heads changed.
 */
export function isStale(parts: readonly Partition[], fetched: FetchedBlocks): boolean {
  if (parts.length !== fetched.parts.length) return true;
  return parts.some((p, k) => p !== fetched.parts[k] || p.version !== fetched.versions[k]);
}

/**
 * Combines fetched block data with frozen and live heads (synchronously: call it right after
 * checking `isStale`), applies tombstones and merges so the newest write of a timestamp wins.
 * Returns one column per run of partitions with the same field type (a field may change type
 * between shard groups), in time order.
 *
 * Ownership: the columns may share memory with the live head and the cache; use or copy them
 * before the next `await`, and never write to them.
 */
export function assemble(
  fs: FieldSeries,
  parts: readonly Partition[],
  fetched: FetchedBlocks,
  startNs: bigint,
  stopNs: bigint,
  ruledOut?: { readonly values: ValueSelector; readonly spans: TimeSpan[] },
): Column[] {
  const out: Column[] = [];
  let run: Column[] = [];
  let runType: FieldType | undefined;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (part.dropped) continue;
    const sources: Column[] = [];
    for (const [block, col] of fetched.perPartition[k]!) sources.push(removeRanges(col, deletedRanges(part.tombstones, block.seq, fs)));
    const fromBlocks = sources.length;
    for (const f of part.frozen) {
      const c = f.columns.get(fs.id);
      if (c !== undefined) sources.push(restrict(removeRanges(c, deletedRanges(part.tombstones, f.seq, fs)), startNs, stopNs));
    }
    const live = part.head.get(fs.id);
    if (live !== undefined && live.length > 0) sources.push(restrict(live.view(), startNs, stopNs));
    if (ruledOut !== undefined) addRuledOut(fs, fetched.perPartition[k]!, sources, fromBlocks, startNs, stopNs, ruledOut.values, ruledOut.spans);
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

/** A time span, both ends inclusive. */
export interface TimeSpan {
  readonly fromNs: bigint;
  readonly toNs: bigint;
}

/**
 * Adds to `spans` the parts of `[startNs, stopNs)` covered by chunks whose value range `values`
 * rules out, where a partition's points come from one block alone (no other block, frozen or live
 * head holds points of the series in range): every point of the merged column in such a span is
 * then that chunk's and fails the filter, so it need not be scanned. Spans come in time order.
 */
function addRuledOut(
  fs: FieldSeries,
  blocks: readonly (readonly [StoredBlock, Column])[],
  sources: readonly Column[],
  fromBlocks: number,
  startNs: bigint,
  stopNs: bigint,
  values: ValueSelector,
  spans: TimeSpan[],
): void {
  const mayKeep = values.mayKeep;
  if (mayKeep === undefined) return;
  let only = -1;
  for (let i = 0; i < sources.length; i++) {
    if (sources[i]!.timestampsNs.length === 0) continue;
    if (only >= 0 || i >= fromBlocks) return;
    only = i;
  }
  if (only < 0) return;
  const [block, col] = blocks[only]!;
  const ranges = block.chunkValueRanges?.(fs.storageKey);
  if (ranges === undefined) return;
  for (const r of ranges) {
    if (r.maxTimeNs < startNs || r.minTimeNs >= stopNs || mayKeep.call(values, col.type, r.min, r.max)) continue;
    spans.push({ fromNs: r.minTimeNs > startNs ? r.minTimeNs : startNs, toNs: r.maxTimeNs < stopNs ? r.maxTimeNs : stopNs - 1n });
  }
}

/** fetchBlocks + assemble, fetching again while a flush or compaction moved data meanwhile. */
export async function readSeries(
  fs: FieldSeries,
  parts: readonly Partition[],
  startNs: bigint,
  stopNs: bigint,
  cache: ColumnCache | undefined,
): Promise<Column[]> {
  for (;;) {
    const fetched = await fetchBlocks(fs, parts, startNs, stopNs, cache);
    if (!isStale(parts, fetched)) return assemble(fs, parts, fetched, startNs, stopNs);
  }
  // (`parts` is fixed here: callers that must see partitions created meanwhile pass a fresh list.)
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
