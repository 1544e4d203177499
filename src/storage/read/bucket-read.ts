import { invalid } from '../../core/errors.js';
import { FIELD_TYPE_NAMES } from '../../lineprotocol/point.js';
import type { Bucket } from '../head/bucket.js';
import type { Partition } from '../head/partition.js';
import type { FieldSeries } from '../index/series-index.js';
import type { ReadRequest, SeriesBatch } from '../storage.js';
import type { Column } from './column.js';
import type { ColumnCache } from './column-cache.js';
import { gatherColumn } from './gather-column.js';
import { aggregateFromMetadata } from './metadata-aggregate.js';
import { MetadataView } from './metadata-view.js';
import { selectOutside } from './select-values.js';
import { assemble, fetchBlocks, isStale, type FetchedBlocks, type TimeSpan } from './series-reader.js';
import { aggregateColumn, type AggregateRows } from './window-aggregate.js';
import { aggregateWindows } from './window-memo.js';

/** Series whose blocks are fetched ahead of the one being aggregated and handed out. */
export const READ_AHEAD = 8;

/** One storage read of a bucket, series by series (`bucketRead`). */
export interface BucketRead {
  /**
   * The next series' batches (none for a series with nothing in range), or undefined once every
   * series is done (or the read was aborted or the bucket dropped). A promise only when the
   * series' blocks are still being read.
   */
  next(): SeriesBatch[] | Promise<SeriesBatch[] | undefined> | undefined;
  /** Settles abandoned read-aheads, so that their pins are released and no rejection goes unhandled. */
  settle(): Promise<void>;
}

/**
 * A read of `series` in `parts` of `bucket`. Block reads of the next `READ_AHEAD` series run
 * while the current one is aggregated and handed out.
 *
 * This is the whole of Engine.read but its `yield`s, in plain functions: V8 saves and restores
 * every live register of an async generator at each suspension, and one generator with all of
 * this took TurboFan 25-55 ms to compile (on a background thread, but beside the query and its
 * client on a two-core machine, during a fresh server's first answers). A series whose blocks are
 * all in the column cache is answered synchronously.
 *
 * Closures rather than a class: a class's instance map lives only as long as an instance, and a
 * full GC between two reads would discard the optimised code that embeds it (core/shape-anchors.ts).
 */
export function bucketRead(
  bucket: Bucket,
  parts: readonly Partition[],
  series: readonly FieldSeries[],
  request: ReadRequest,
  cache: ColumnCache | undefined,
): BucketRead {
  const { startNs, stopNs, valueFilter } = request;
  /** Per series index: its blocks, fetched or being fetched. */
  const fetches: (FetchedBlocks | Promise<FetchedBlocks>)[] = [];
  // count/first/last over the whole range may come from block metadata without any read. The
  // read-ahead computes a series' answer first; it is used as is when nothing it depends on
  // moved since (metadata-view.ts), else computed again, so a batch is the answer at its use.
  // (Not with a value filter: metadata counts every value.)
  const aggregate = request.window === undefined && valueFilter === undefined ? request.aggregate : undefined;
  let view = aggregate === undefined ? undefined : MetadataView.of(bucket, startNs, stopNs);
  /** Per series index: the read-ahead's metadata answer (when not undefined) and the view it came from. */
  const answers: (AggregateRows | null | undefined)[] = [];
  const answeredUnder: (MetadataView | undefined)[] = [];
  const scratch: ReadScratch = { keep: new Uint32Array(0) };
  /** The next series to hand out. */
  let next = 0;

  const fetch = (fs: FieldSeries, from: readonly Partition[]): FetchedBlocks | Promise<FetchedBlocks> =>
    fetchBlocks(fs, from, startNs, stopNs, cache, valueFilter);
  const fromMetadata = (fs: FieldSeries): AggregateRows | null | undefined => {
    if (view === undefined || aggregate === undefined) return undefined;
    if (!view.isCurrent()) view = MetadataView.of(bucket, startNs, stopNs);
    return aggregateFromMetadata(fs, view.parts, aggregate, startNs, stopNs);
  };
  const prefetch = (k: number): void => {
    if (k >= series.length) return;
    const meta = fromMetadata(series[k]!);
    if (meta === undefined) fetches[k] = fetch(series[k]!, parts);
    else {
      answers[k] = meta;
      answeredUnder[k] = view;
    }
  };
  /** Called right after the staleness check (synchronously): the columns may share memory with the head. */
  const batches = (fs: FieldSeries, now: readonly Partition[], fetched: FetchedBlocks): SeriesBatch[] | undefined => {
    if (bucket.dropped) return undefined;
    // Spans of chunks whose value range the filter rules out need no scan (select-values.ts).
    const ruledOut = valueFilter?.mayKeep === undefined ? undefined : { values: valueFilter, spans: [] as TimeSpan[] };
    const cols = assemble(fs, now, fetched, startNs, stopNs, ruledOut);
    return seriesBatches(fs, cols, request, ruledOut?.spans, scratch, cache);
  };
  /**
   * `fetching`'s outcome, fetched again while writes created partitions or flushes or compactions
   * moved data between sources meanwhile, so that a batch is never seen in part.
   */
  const batchesWhenFetched = async (fs: FieldSeries, fetching: FetchedBlocks | Promise<FetchedBlocks>): Promise<SeriesBatch[] | undefined> => {
    let fetched = await fetching;
    if (request.signal?.aborted === true) return undefined;
    let now = bucket.overlapping(startNs, stopNs);
    while (isStale(now, fetched)) {
      fetched = await fetch(fs, now);
      now = bucket.overlapping(startNs, stopNs);
    }
    return batches(fs, now, fetched);
  };

  for (let k = 0; k < Math.min(READ_AHEAD, series.length); k++) prefetch(k);
  return {
    next() {
      const k = next++;
      if (k >= series.length) return undefined;
      const fs = series[k]!;
      prefetch(k + READ_AHEAD);
      // A read-ahead answer of undefined needs no check: the fetch path is right in any state.
      const under = answeredUnder[k];
      let meta: AggregateRows | null | undefined;
      if (under === undefined) meta = fetches[k] === undefined ? fromMetadata(fs) : undefined;
      else {
        meta = under === view && under.isCurrent() && under.headEmpty(fs) ? answers[k] : fromMetadata(fs);
        answers[k] = undefined;
        answeredUnder[k] = undefined;
      }
      if (meta !== undefined) return meta === null ? [] : [aggregateBatch(fs, meta)];
      const fetched = fetches[k] ?? fetch(fs, parts);
      if (fetched instanceof Promise) return batchesWhenFetched(fs, fetched);
      if (request.signal?.aborted === true) return undefined;
      const now = bucket.overlapping(startNs, stopNs);
      if (isStale(now, fetched)) return batchesWhenFetched(fs, fetch(fs, now));
      return batches(fs, now, fetched);
    },
    async settle() {
      const pending: Promise<FetchedBlocks>[] = [];
      for (const f of fetches) if (f instanceof Promise) pending.push(f);
      await Promise.allSettled(pending);
    },
  };
}

/** Buffers a read reuses from series to series. */
interface ReadScratch {
  /** Positions a value filter keeps (grown as needed). */
  keep: Uint32Array;
}

/**
 * The batches of one series' assembled columns: the points the request's value filter keeps
 * (copied out of the shared columns), or their aggregate.
 */
function seriesBatches(
  fs: FieldSeries,
  cols: readonly Column[],
  request: ReadRequest,
  ruledOutSpans: TimeSpan[] | undefined,
  scratch: ReadScratch,
  cache: ColumnCache | undefined,
): SeriesBatch[] {
  const valueFilter = request.valueFilter;
  const batches: SeriesBatch[] = [];
  for (const col of cols) {
    if (request.aggregate === undefined) {
      const n = col.timestampsNs.length;
      if (n === 0) continue;
      if (valueFilter !== undefined) {
        // Only the points that pass are copied out of the shared columns.
        if (scratch.keep.length < n) scratch.keep = new Uint32Array(Math.max(n, scratch.keep.length * 2));
        const m = selectOutside(col, valueFilter, ruledOutSpans ?? [], scratch.keep);
        if (m === 0) continue;
        if (m > 0) {
          batches.push(rawBatch(fs, gatherColumn(col, scratch.keep, m)));
          continue;
        }
      }
      batches.push(rawBatch(fs, { type: col.type, timestampsNs: col.timestampsNs.slice(), values: col.values.slice() }));
    } else {
      let kept = col;
      if (valueFilter !== undefined) {
        // The aggregate sees only the values the filter keeps; a series without any yields nothing.
        const n = col.timestampsNs.length;
        if (n === 0) continue;
        if (scratch.keep.length < n) scratch.keep = new Uint32Array(Math.max(n, scratch.keep.length * 2));
        const m = selectOutside(col, valueFilter, ruledOutSpans ?? [], scratch.keep);
        if (m < 0) {
          throw invalid(`unsupported aggregate ${request.aggregate} after a value filter that does not decide field type ${FIELD_TYPE_NAMES[col.type]}`);
        }
        if (m === 0) continue;
        if (m < n) kept = gatherColumn(col, scratch.keep, m);
      }
      // A column straight from the cache may have its windows' aggregates kept with it (window-memo.ts).
      const rows =
        kept === col
          ? aggregateWindows(cache, col, request.aggregate, request.startNs, request.stopNs, request.window)
          : aggregateColumn(kept, request.aggregate, request.startNs, request.stopNs, request.window);
      if (rows !== undefined) batches.push(aggregateBatch(fs, rows));
    }
  }
  return batches;
}

/**
 * A raw series batch, built as one literal: every batch of a read has the same shape (spreads
 * made objects of varying hidden classes, and an intermediate object per batch).
 */
function rawBatch(fs: FieldSeries, col: Column): SeriesBatch {
  return { measurement: fs.entry.measurement, tags: fs.entry.tags, field: fs.field, type: col.type, timestampsNs: col.timestampsNs, values: col.values };
}

/** An aggregate series batch (rows per window, or one for the whole range), as `rawBatch`. */
function aggregateBatch(fs: FieldSeries, rows: AggregateRows): SeriesBatch {
  return {
    measurement: fs.entry.measurement,
    tags: fs.entry.tags,
    field: fs.field,
    type: rows.type,
    timestampsNs: rows.timestampsNs,
    values: rows.values,
    windowStartsNs: rows.windowStartsNs,
    windowStopsNs: rows.windowStopsNs,
  };
}
