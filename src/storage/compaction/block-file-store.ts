import { BlockReader } from '../block/block-reader.js';
import { writeBlock } from '../block/block-writer.js';
import type { BlockChunkEntry, BlockSeriesEntry } from '../block/block-index.js';
import type { FieldValue } from '../../lineprotocol/point.js';
import type { Column } from '../read/column.js';
import type { ValueSelector } from '../storage.js';
import type { BlockEntryInfo, BlockSeriesInput, BlockStore, BlockWriteOptions, ChunkValueRange, StoredBlock } from './stored-block.js';

/**
 * Adapter from the engine's BlockStore port to the block files of src/storage/block
 * (docs/formats/block.md). The engine names files itself (`<minSeq>-<maxSeq>.block` in the
 * partition directory, block-file-name.ts) and passes the partition bounds and the replaced
 * seqs, which the block index records as its bounds and replaced generations.
 */
export class BlockFileStore implements BlockStore {
  async write(path: string, seq: number, series: readonly BlockSeriesInput[], options: BlockWriteOptions): Promise<StoredBlock> {
    await writeBlock(
      path,
      series.map((s) => ({
        key: s.storageKey.slice(0, s.storageKey.length - s.field.length - 1),
        measurement: s.measurement,
        tags: s.tags,
        field: s.field,
        type: s.column.type,
        timestampsNs: s.column.timestampsNs,
        values: s.column.values,
      })),
      {
        bucketId: options.bucketId,
        partitionStartNs: options.partitionStartNs,
        partitionEndNs: options.partitionEndNs,
        replacedGenerations: options.replacedSeqs,
      },
    );
    return this.open(path, seq);
  }

  async open(path: string, seq: number): Promise<StoredBlock> {
    return new FileBlock(await BlockReader.open(path), seq);
  }
}

class FileBlock implements StoredBlock {
  private readonly byKey = new Map<string, { info: BlockEntryInfo; entry: BlockSeriesEntry }>();
  private pins = 0;
  private closing: { promise: Promise<void>; resolve: () => void } | undefined;
  private closed = false;
  readonly minTimeNs: bigint;
  readonly maxTimeNs: bigint;

  constructor(
    private readonly reader: BlockReader,
    readonly seq: number,
  ) {
    let min: bigint | undefined;
    let max: bigint | undefined;
    for (const e of reader.series) {
      const storageKey = `${e.key}\u0000${e.field}`;
      const info: BlockEntryInfo = {
        storageKey,
        measurement: e.measurement,
        tags: e.tags,
        field: e.field,
        type: e.type,
        count: e.pointCount,
        minTimeNs: e.minTimeNs,
        maxTimeNs: e.maxTimeNs,
        ...edgeValues(e),
      };
      this.byKey.set(storageKey, { info, entry: e });
      if (min === undefined || e.minTimeNs < min) min = e.minTimeNs;
      if (max === undefined || e.maxTimeNs > max) max = e.maxTimeNs;
    }
    this.minTimeNs = min ?? 0n;
    this.maxTimeNs = max ?? -1n;
  }

  get path(): string {
    return this.reader.path;
  }

  get sizeBytes(): number {
    return this.reader.sizeBytes;
  }

  entry(storageKey: string): BlockEntryInfo | undefined {
    return this.byKey.get(storageKey)?.info;
  }

  *entries(): Iterable<BlockEntryInfo> {
    for (const { info } of this.byKey.values()) yield info;
  }

  async read(storageKey: string, startNs?: bigint, stopNs?: bigint, values?: ValueSelector): Promise<Column> {
    const found = this.byKey.get(storageKey);
    if (found === undefined) throw new Error(`block ${this.path} has no series ${storageKey}`);
    const mayKeep = values?.mayKeep;
    // Numeric chunks carry their min and max (floats: NaN skipped, NaN only when all are NaN).
    const keepChunk =
      mayKeep === undefined ? undefined : (c: BlockChunkEntry): boolean => !('min' in c.stats) || mayKeep.call(values, c.stats.type, c.stats.min, c.stats.max);
    const data = await this.reader.readSeries(found.entry, startNs, stopNs, keepChunk);
    return { type: found.entry.type, timestampsNs: data.timestampsNs, values: data.values };
  }

  chunkValueRanges(storageKey: string): readonly ChunkValueRange[] | undefined {
    const found = this.byKey.get(storageKey);
    if (found === undefined) return undefined;
    const out: ChunkValueRange[] = [];
    for (const c of found.entry.chunks) {
      if (!('min' in c.stats)) return undefined;
      out.push({ minTimeNs: c.minTimeNs, maxTimeNs: c.maxTimeNs, min: c.stats.min, max: c.stats.max });
    }
    return out;
  }

  pin(): void {
    this.pins++;
  }

  unpin(): void {
    this.pins--;
    if (this.pins === 0 && this.closing !== undefined) this.closing.resolve();
  }

  /** Closes the file once no reader pins it (a retired block may still be mid-read). */
  async close(): Promise<void> {
    if (this.pins > 0) {
      const pending = (this.closing ??= withResolvers());
      await pending.promise;
    }
    if (this.closed) return;
    this.closed = true;
    await this.reader.close();
  }
}

function withResolvers(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** First and last values of an entry from its first and last chunk stats (none for strings). */
function edgeValues(e: BlockSeriesEntry): { firstValue?: FieldValue; lastValue?: FieldValue } {
  const first = e.chunks[0]?.stats;
  const last = e.chunks[e.chunks.length - 1]?.stats;
  if (first === undefined || last === undefined || !('first' in first) || !('last' in last)) return {};
  return { firstValue: first.first, lastValue: last.last };
}
