import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { internal } from '../../core/errors.js';
import type { FieldType, Tag } from '../../lineprotocol/point.js';
import { crc32c } from '../crc32c.js';
import { ByteWriter } from '../encoding/byte-writer.js';
import { encodeTimestamps, encodeValues, expectedArray, valuesMatchType } from '../encoding/column-encoding.js';
import type { ColumnValues } from '../storage.js';
import {
  BLOCK_MAGIC,
  BLOCK_VERSION,
  DEFAULT_MAX_POINTS_PER_CHUNK,
  FOOTER_SIZE_BYTES,
  HEADER_SIZE_BYTES,
  MAX_POINTS_PER_CHUNK,
} from './block-format.js';
import { encodeBlockIndex, type BlockChunkEntry, type BlockIndex, type BlockSeriesEntry } from './block-index.js';
import { computeChunkStats } from './chunk-stats.js';

/** One series' column for a block: the points of one (series, field) in one partition. */
export interface BlockSeriesInput {
  readonly key: string;
  readonly measurement: string;
  readonly tags: readonly Tag[];
  readonly field: string;
  readonly type: FieldType;
  /** Strictly ascending (the head has already applied last-write-wins). */
  readonly timestampsNs: BigInt64Array;
  /** Same length as `timestampsNs`; array type by field type, as `SeriesBatch.values`. */
  readonly values: ColumnValues;
}

export interface WriteBlockOptions {
  bucketId?: string;
  /** Partition bounds; every timestamp must fall inside. Default: the data's own range. */
  partitionStartNs?: bigint;
  /** Exclusive. */
  partitionEndNs?: bigint;
  /** Generations this block supersedes (compaction output). */
  replacedGenerations?: readonly number[];
  maxPointsPerChunk?: number;
}

export interface BlockMeta {
  readonly path: string;
  readonly sizeBytes: number;
  readonly pointCount: number;
  /** Undefined for a block without points. */
  readonly minTimeNs: bigint | undefined;
  readonly maxTimeNs: bigint | undefined;
  /** The index as written (what `BlockReader.open(path).index` will return). */
  readonly index: BlockIndex;
}

/**
 * Bytes buffered before a write(2). Each flush awaits the write, which is also where a long
 * block write yields the event loop: 256 KiB of output is a few milliseconds of encoding, so a
 * compaction never stalls the server's write acknowledgements for longer than that.
 */
const FLUSH_BYTES = 256 << 10;

/**
 * Writes a block file atomically: to `path + ".tmp"` (created exclusively), fsync, rename to
 * `path`, fsync the directory. On any failure (including one thrown by the `series` iterable) the
 * temp file is removed and `path` is untouched. Series with no points are skipped; (key, field)
 * must be unique. The series may come in any order; the index is sorted.
 */
export async function writeBlock(path: string, series: Iterable<BlockSeriesInput>, options: WriteBlockOptions = {}): Promise<BlockMeta> {
  const maxPoints = options.maxPointsPerChunk ?? DEFAULT_MAX_POINTS_PER_CHUNK;
  if (!Number.isInteger(maxPoints) || maxPoints < 1 || maxPoints > MAX_POINTS_PER_CHUNK) {
    throw internal(`maxPointsPerChunk must be an integer in [1, ${MAX_POINTS_PER_CHUNK}], got ${maxPoints}`);
  }
  const tmpPath = `${path}.tmp`;
  const fh = await open(tmpPath, 'wx');
  let closed = false;
  try {
    const file = new ChunkFile(fh);
    const header = new Uint8Array(HEADER_SIZE_BYTES);
    header.set(BLOCK_MAGIC, 0);
    header[4] = BLOCK_VERSION;
    file.out.bytesOf(header);

    const entries: BlockSeriesEntry[] = [];
    let minTimeNs: bigint | undefined;
    let maxTimeNs: bigint | undefined;
    let pointCount = 0;
    for (const s of series) {
      checkInput(s, options);
      const n = s.timestampsNs.length;
      if (n === 0) continue;
      const chunks: BlockChunkEntry[] = [];
      for (let start = 0; start < n; start += maxPoints) {
        const end = Math.min(n, start + maxPoints);
        chunks.push(await file.writeChunk(s, start, end));
      }
      const first = s.timestampsNs[0]!;
      const last = s.timestampsNs[n - 1]!;
      if (minTimeNs === undefined || first < minTimeNs) minTimeNs = first;
      if (maxTimeNs === undefined || last > maxTimeNs) maxTimeNs = last;
      pointCount += n;
      entries.push({
        key: s.key,
        measurement: s.measurement,
        tags: s.tags.map(([k, v]) => [k, v] as const),
        field: s.field,
        type: s.type,
        pointCount: n,
        minTimeNs: first,
        maxTimeNs: last,
        chunks,
      });
    }
    entries.sort(compareSeries);
    for (let i = 1; i < entries.length; i++) {
      if (compareSeries(entries[i - 1]!, entries[i]!) === 0) {
        throw internal(`block input has series ${entries[i]!.key} field ${entries[i]!.field} twice`);
      }
    }

    const index: BlockIndex = {
      partitionStartNs: options.partitionStartNs ?? minTimeNs ?? 0n,
      partitionEndNs: options.partitionEndNs ?? (maxTimeNs === undefined ? 0n : maxTimeNs + 1n),
      bucketId: options.bucketId ?? '',
      replacedGenerations: [...(options.replacedGenerations ?? [])],
      series: entries,
    };
    const sizeBytes = await file.finish(index);
    await fh.sync();
    closed = true;
    await fh.close();
    await rename(tmpPath, path);
    await syncDirectory(dirname(path));
    return { path, sizeBytes, pointCount, minTimeNs, maxTimeNs, index };
  } catch (e) {
    if (!closed) await fh.close().catch(() => undefined);
    await unlink(tmpPath).catch(() => undefined);
    throw e;
  }
}

/** Buffers chunk bytes and tracks file offsets. */
class ChunkFile {
  readonly out = new ByteWriter(FLUSH_BYTES + (1 << 20));
  /** File offset of `out`'s first byte. */
  private flushedBytes = 0;

  constructor(private readonly fh: FileHandle) {}

  async writeChunk(s: BlockSeriesInput, start: number, end: number): Promise<BlockChunkEntry> {
    const ts = s.timestampsNs.subarray(start, end);
    const values = Array.isArray(s.values) ? s.values.slice(start, end) : s.values.subarray(start, end);
    const offsetBytes = this.flushedBytes + this.out.length;
    const timestampsLengthBytes = this.column((out) => encodeTimestamps(ts, out));
    const valuesLengthBytes = this.column((out) => encodeValues(s.type, values, out));
    const entry: BlockChunkEntry = {
      type: s.type,
      minTimeNs: ts[0]!,
      maxTimeNs: ts[ts.length - 1]!,
      pointCount: ts.length,
      offsetBytes,
      timestampsLengthBytes,
      valuesLengthBytes,
      stats: computeChunkStats(s.type, ts, values),
    };
    if (this.out.length >= FLUSH_BYTES) await this.flush();
    return entry;
  }

  /** codec id + payload + CRC32C of both; returns the chunk's length. */
  private column(encode: (out: ByteWriter) => number): number {
    const out = this.out;
    const start = out.length;
    out.u8(0);
    const codecId = encode(out);
    out.raw()[start] = codecId;
    out.u32(crc32c(out.raw(), 0, start, out.length));
    return out.length - start;
  }

  private async flush(): Promise<void> {
    const bytes = this.out.bytes();
    await writeAll(this.fh, bytes, this.flushedBytes);
    this.flushedBytes += bytes.length;
    this.out.reset();
  }

  /** Writes the index and footer; returns the file size. */
  async finish(index: BlockIndex): Promise<number> {
    const indexOffset = this.flushedBytes + this.out.length;
    const indexStart = this.out.length;
    encodeBlockIndex(index, this.out);
    const indexLength = this.out.length - indexStart;
    const indexCrc = crc32c(this.out.raw(), 0, indexStart, this.out.length);
    const footerStart = this.out.length;
    this.out.u64(BigInt(indexOffset));
    this.out.u64(BigInt(indexLength));
    this.out.u32(indexCrc);
    this.out.u32(0);
    this.out.u32(crc32c(this.out.raw(), 0, footerStart, this.out.length));
    this.out.bytesOf(BLOCK_MAGIC);
    if (this.out.length - footerStart !== FOOTER_SIZE_BYTES) throw new Error('footer size mismatch');
    await this.flush();
    return this.flushedBytes;
  }
}

async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** fsync a directory so a rename in it survives a crash. */
export async function syncDirectory(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

function compareSeries(a: BlockSeriesEntry, b: BlockSeriesEntry): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.field !== b.field) return a.field < b.field ? -1 : 1;
  return 0;
}

function checkInput(s: BlockSeriesInput, options: WriteBlockOptions): void {
  const n = s.timestampsNs.length;
  if (!valuesMatchType(s.type, s.values)) {
    throw internal(`block input ${s.key} ${s.field}: values of field type ${s.type} must be a ${expectedArray(s.type)}`);
  }
  if (s.values.length !== n) {
    throw internal(`block input ${s.key} ${s.field}: ${n} timestamps but ${s.values.length} values`);
  }
  if (!isStrictlyAscending(s.timestampsNs)) {
    throw internal(`block input ${s.key} ${s.field}: timestamps are not strictly ascending`);
  }
  if (n === 0) return;
  const { partitionStartNs: start, partitionEndNs: end } = options;
  if ((start !== undefined && s.timestampsNs[0]! < start) || (end !== undefined && s.timestampsNs[n - 1]! >= end)) {
    throw internal(`block input ${s.key} ${s.field}: points outside the partition [${start}, ${end})`);
  }
}

/** Compares 64-bit halves: no bigint per value. */
function isStrictlyAscending(timestampsNs: BigInt64Array): boolean {
  const w = new Int32Array(timestampsNs.buffer, timestampsNs.byteOffset, timestampsNs.length * 2);
  for (let i = 1; i < timestampsNs.length; i++) {
    const hi = w[2 * i + 1]!;
    const prevHi = w[2 * i - 1]!;
    if (hi < prevHi || (hi === prevHi && w[2 * i]! >>> 0 <= w[2 * i - 2]! >>> 0)) return false;
  }
  return true;
}
