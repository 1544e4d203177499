import type { FieldType, FieldValue, Tag } from '../../lineprotocol/point.js';
import type { Column } from '../read/column.js';
import type { ValueSelector } from '../storage.js';

/** What the engine knows about one field series inside a block, without reading its data. */
export interface BlockEntryInfo {
  /** Series key + NUL + field key (FieldSeries.storageKey). */
  readonly storageKey: string;
  readonly measurement: string;
  readonly tags: readonly Tag[];
  readonly field: string;
  readonly type: FieldType;
  readonly count: number;
  readonly minTimeNs: bigint;
  readonly maxTimeNs: bigint;
  /** Values at `minTimeNs` / `maxTimeNs` from the index's chunk stats (absent for strings). */
  readonly firstValue?: FieldValue;
  readonly lastValue?: FieldValue;
}

/**
 * An immutable block file as the engine sees it: an index of entries and a way to read one
 * entry's points. Implemented by an adapter over src/storage/block (block-store.ts), so the
 * engine does not depend on the block file layout.
 */
export interface StoredBlock {
  /** Allocation order within the engine; a higher seq holds newer writes. */
  readonly seq: number;
  readonly path: string;
  readonly sizeBytes: number;
  readonly minTimeNs: bigint;
  readonly maxTimeNs: bigint;
  entry(storageKey: string): BlockEntryInfo | undefined;
  entries(): Iterable<BlockEntryInfo>;
  /**
   * The points of one entry in `[startNs, stopNs)` (default: all), time-ordered, no duplicates;
   * only chunks overlapping the range are read. With `values`, chunks whose value range (their
   * stats' min and max) `values.mayKeep` rules out are left out whole, undecoded: the result
   * then lacks points that fail the value filter, so the caller may only ask this where no older
   * source could show through in their place. Throws on a checksum mismatch.
   */
  read(storageKey: string, startNs?: bigint, stopNs?: bigint, values?: ValueSelector): Promise<Column>;
  /**
   * The time span and value range of each chunk of a numeric entry, in time order (`min`/`max`
   * as chunk stats keep them: floats skip NaN, NaN only when every value is NaN); undefined for
   * other types. Lets a value-filtered read skip scanning chunks it rules out.
   */
  chunkValueRanges?(storageKey: string): readonly ChunkValueRange[] | undefined;
  /**
   * Readers pin a block while they read it; `close` waits until every pin is released, so
   * compaction and retention can retire a block that a concurrent read is still using.
   */
  pin(): void;
  unpin(): void;
  close(): Promise<void>;
}

/** One chunk's time span (inclusive) and value range, from the block index. */
export interface ChunkValueRange {
  readonly minTimeNs: bigint;
  readonly maxTimeNs: bigint;
  readonly min: number | bigint;
  readonly max: number | bigint;
}

/** One field series' points handed to a block writer. */
export interface BlockSeriesInput {
  readonly storageKey: string;
  readonly measurement: string;
  readonly tags: readonly Tag[];
  readonly field: string;
  readonly column: Column;
}

/** Writes and opens blocks (the engine's port to the block file format). */
export interface BlockStore {
  /** Writes a block durably (file fsynced and renamed into place) and opens it. */
  write(path: string, seq: number, series: readonly BlockSeriesInput[], options: BlockWriteOptions): Promise<StoredBlock>;
  open(path: string, seq: number): Promise<StoredBlock>;
}

export interface BlockWriteOptions {
  readonly bucketId: string;
  readonly partitionStartNs: bigint;
  /** Exclusive. */
  readonly partitionEndNs: bigint;
  /** Seqs of the blocks a compaction output replaces. */
  readonly replacedSeqs: readonly number[];
}
