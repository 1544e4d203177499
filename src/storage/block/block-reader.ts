import { open, type FileHandle } from 'node:fs/promises';
import { FieldType } from '../../lineprotocol/point.js';
import { crc32c } from '../crc32c.js';
import { decodeTimestamps, decodeValues } from '../encoding/column-encoding.js';
import type { ColumnValues } from '../storage.js';
import { BlockCorruptionError } from './block-corruption-error.js';
import { sharedBlockBytes, type BlockBytesCache } from './block-bytes-cache.js';
import { BLOCK_MAGIC, BLOCK_VERSION, CHUNK_OVERHEAD_BYTES, FOOTER_SIZE_BYTES, HEADER_SIZE_BYTES } from './block-format.js';
import { decodeBlockIndex, type BlockChunkEntry, type BlockIndex, type BlockSeriesEntry } from './block-index.js';

/** A decoded chunk or series range: parallel columns, as `SeriesBatch`. */
export interface ColumnData {
  readonly timestampsNs: BigInt64Array;
  readonly values: ColumnValues;
}

/**
 * An open block file. `open` verifies the footer, the index checksum and the chunk layout; each
 * read verifies the chunk checksums before decoding. Any failed check throws
 * `BlockCorruptionError` and no data from the failed part is returned.
 *
 * For push-downs, the index entries (`series`, `find`) carry per-chunk stats: aggregate chunks
 * entirely inside a range from `chunk.stats` (see `chunkOverlap`) and `readChunk` only the rest.
 *
 * Reads are positional (`pread`), so concurrent reads on one reader are safe. The caller owns
 * the reader and must `close()` it.
 */
export class BlockReader {
  private readonly byKey: Map<string, BlockSeriesEntry>;

  /** The load of the whole data region into `bytesCache`, while under way. */
  private loading: Promise<Uint8Array | undefined> | undefined;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    readonly sizeBytes: number,
    readonly index: BlockIndex,
    /** End of the chunks (= index offset); they start right after the header. */
    private readonly dataEndBytes: number,
    private readonly bytesCache: BlockBytesCache | undefined,
  ) {
    this.byKey = new Map(index.series.map((s) => [seriesLookupKey(s.key, s.field), s]));
  }

  /** `bytesCache`: where the chunk bytes may be kept for later reads (default: the process-wide one). */
  static async open(path: string, bytesCache: BlockBytesCache | undefined = sharedBlockBytes): Promise<BlockReader> {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const { index, indexOffset } = await readIndex(path, fh, size);
      return new BlockReader(path, fh, size, index, indexOffset, bytesCache);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** Index entries, sorted by series key then field. */
  get series(): readonly BlockSeriesEntry[] {
    return this.index.series;
  }

  /** The entry of one (series key, field), if this block has points for it. */
  find(key: string, field: string): BlockSeriesEntry | undefined {
    return this.byKey.get(seriesLookupKey(key, field));
  }

  /** Reads, verifies and decodes one chunk. */
  async readChunk(chunk: BlockChunkEntry): Promise<ColumnData> {
    const length = chunk.timestampsLengthBytes + chunk.valuesLengthBytes;
    const bytes = await this.readRange(chunk.offsetBytes, length);
    return this.decodeChunk(chunk, bytes, 0);
  }

  /**
   * The points of one series in `[startNs, stopNs)` (default: all). Only the chunks overlapping
   * the range are read, in one contiguous read (a series' chunks are adjacent in the file), and
   * of those only the ones `keepChunk` accepts (default: all) are decoded and returned.
   */
  async readSeries(series: BlockSeriesEntry, startNs?: bigint, stopNs?: bigint, keepChunk?: (chunk: BlockChunkEntry) => boolean): Promise<ColumnData> {
    const chunks = series.chunks.filter(
      (c) =>
        (startNs === undefined || c.maxTimeNs >= startNs) && (stopNs === undefined || c.minTimeNs < stopNs) && (keepChunk === undefined || keepChunk(c)),
    );
    if (chunks.length === 0) return emptyColumns(series);
    const first = chunks[0]!;
    const last = chunks[chunks.length - 1]!;
    const from = first.offsetBytes;
    const to = last.offsetBytes + last.timestampsLengthBytes + last.valuesLengthBytes;
    const data = await this.dataRegion();
    // Decoding takes offsets into `bytes`: the whole data region starts at the header's end.
    const [bytes, base] = data === undefined ? [await this.readRange(from, to - from), from] : [data, HEADER_SIZE_BYTES];
    const parts = chunks.map((c) => this.decodeChunk(c, bytes, c.offsetBytes - base));
    return trim(concat(series, parts), startNs, stopNs);
  }

  /**
   * The whole data region from the bytes cache, loaded in one read on first use; undefined when
   * there is no cache or the block is too large for it (then each read is its own pread).
   */
  private async dataRegion(): Promise<Uint8Array | undefined> {
    const cache = this.bytesCache;
    if (cache === undefined) return undefined;
    const cached = cache.get(this);
    if (cached !== undefined) return cached;
    const length = this.dataEndBytes - HEADER_SIZE_BYTES;
    if (!cache.admits(length)) return undefined;
    this.loading ??= this.readRange(HEADER_SIZE_BYTES, length)
      .then((bytes) => {
        cache.set(this, bytes);
        return bytes;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** Reads and decodes every chunk: a full integrity check (for startup checks and `verify`). */
  async verify(): Promise<void> {
    for (const s of this.index.series) await this.readSeries(s);
  }

  async close(): Promise<void> {
    this.bytesCache?.delete(this);
    await this.loading?.catch(() => undefined);
    this.bytesCache?.delete(this);
    await this.fh.close();
  }

  private async readRange(offsetBytes: number, lengthBytes: number): Promise<Uint8Array> {
    const bytes = new Uint8Array(lengthBytes);
    let done = 0;
    while (done < lengthBytes) {
      const { bytesRead } = await this.fh.read(bytes, done, lengthBytes - done, offsetBytes + done);
      if (bytesRead === 0) throw new BlockCorruptionError(this.path, offsetBytes + done, 'unexpected end of file');
      done += bytesRead;
    }
    return bytes;
  }

  /** `bytes[at…]` holds the chunk's timestamps column then its values column. */
  private decodeChunk(chunk: BlockChunkEntry, bytes: Uint8Array, at: number): ColumnData {
    const tsPayload = this.verifiedPayload(bytes, at, chunk.timestampsLengthBytes, chunk.offsetBytes);
    const valuesAt = at + chunk.timestampsLengthBytes;
    const valuesOffset = chunk.offsetBytes + chunk.timestampsLengthBytes;
    const valuesPayload = this.verifiedPayload(bytes, valuesAt, chunk.valuesLengthBytes, valuesOffset);
    let timestampsNs: BigInt64Array;
    let values: ColumnValues;
    try {
      timestampsNs = decodeTimestamps(bytes[at]!, tsPayload, chunk.pointCount);
    } catch (e) {
      throw new BlockCorruptionError(this.path, chunk.offsetBytes, `timestamps chunk does not decode: ${String(e)}`, e);
    }
    try {
      values = decodeValues(chunk.type, bytes[valuesAt]!, valuesPayload, chunk.pointCount);
    } catch (e) {
      throw new BlockCorruptionError(this.path, valuesOffset, `values chunk does not decode: ${String(e)}`, e);
    }
    if (timestampsNs[0] !== chunk.minTimeNs || timestampsNs[chunk.pointCount - 1] !== chunk.maxTimeNs) {
      throw new BlockCorruptionError(this.path, chunk.offsetBytes, 'chunk times disagree with the index');
    }
    return { timestampsNs, values };
  }

  /** Checks a column chunk's CRC; returns its payload (without codec id and CRC). */
  private verifiedPayload(bytes: Uint8Array, at: number, lengthBytes: number, fileOffset: number): Uint8Array {
    const end = at + lengthBytes - 4;
    const stored = (bytes[end]! | (bytes[end + 1]! << 8) | (bytes[end + 2]! << 16) | (bytes[end + 3]! << 24)) >>> 0;
    if (crc32c(bytes, 0, at, end) !== stored) throw new BlockCorruptionError(this.path, fileOffset, 'chunk checksum mismatch');
    return bytes.subarray(at + 1, end);
  }
}

function seriesLookupKey(key: string, field: string): string {
  // A NUL cannot occur in line protocol keys, so the join is unambiguous.
  return `${key}\u0000${field}`;
}

async function readIndex(path: string, fh: FileHandle, size: number): Promise<{ index: BlockIndex; indexOffset: number }> {
  if (size < HEADER_SIZE_BYTES + FOOTER_SIZE_BYTES) {
    throw new BlockCorruptionError(path, 0, `file of ${size} bytes is shorter than header and footer`);
  }
  const header = new Uint8Array(HEADER_SIZE_BYTES);
  await fh.read(header, 0, HEADER_SIZE_BYTES, 0);
  if (!startsWith(header, BLOCK_MAGIC, 0)) throw new BlockCorruptionError(path, 0, 'bad header magic');
  if (header[4] !== BLOCK_VERSION) throw new BlockCorruptionError(path, 4, `unsupported block version ${header[4]}`);
  if (header[5] !== 0 || header[6] !== 0 || header[7] !== 0) throw new BlockCorruptionError(path, 5, 'reserved header bytes are not zero');

  const footerOffset = size - FOOTER_SIZE_BYTES;
  const footer = new Uint8Array(FOOTER_SIZE_BYTES);
  await fh.read(footer, 0, FOOTER_SIZE_BYTES, footerOffset);
  const fv = new DataView(footer.buffer);
  if (!startsWith(footer, BLOCK_MAGIC, 28)) throw new BlockCorruptionError(path, footerOffset + 28, 'bad footer magic');
  if (crc32c(footer, 0, 0, 24) !== fv.getUint32(24, true)) throw new BlockCorruptionError(path, footerOffset, 'footer checksum mismatch');
  const indexOffset = Number(fv.getBigUint64(0, true));
  const indexLength = Number(fv.getBigUint64(8, true));
  if (fv.getUint32(20, true) !== 0) throw new BlockCorruptionError(path, footerOffset + 20, 'reserved footer bytes are not zero');
  if (indexOffset < HEADER_SIZE_BYTES || indexOffset + indexLength !== footerOffset) {
    throw new BlockCorruptionError(path, footerOffset, `index [${indexOffset}, +${indexLength}) does not end at the footer`);
  }

  const indexBytes = new Uint8Array(indexLength);
  await fh.read(indexBytes, 0, indexLength, indexOffset);
  if (crc32c(indexBytes) !== fv.getUint32(16, true)) throw new BlockCorruptionError(path, indexOffset, 'index checksum mismatch');
  let index: BlockIndex;
  try {
    index = decodeBlockIndex(indexBytes);
  } catch (e) {
    throw new BlockCorruptionError(path, indexOffset, `index does not parse: ${String(e)}`, e);
  }
  checkLayout(path, index, indexOffset);
  return { index, indexOffset };
}

/**
 * Chunks must tile `[header end, index)` exactly, series times must be ordered and inside the
 * partition: with the checksums, this leaves no byte of the file unchecked.
 */
function checkLayout(path: string, index: BlockIndex, indexOffset: number): void {
  const chunks: BlockChunkEntry[] = [];
  for (const s of index.series) {
    let prevMax: bigint | undefined;
    for (const c of s.chunks) {
      const bad =
        c.pointCount < 1 ||
        c.timestampsLengthBytes < CHUNK_OVERHEAD_BYTES ||
        c.valuesLengthBytes < CHUNK_OVERHEAD_BYTES ||
        c.minTimeNs > c.maxTimeNs ||
        (prevMax !== undefined && c.minTimeNs <= prevMax) ||
        c.minTimeNs < index.partitionStartNs ||
        c.maxTimeNs >= index.partitionEndNs;
      if (bad) throw new BlockCorruptionError(path, indexOffset, `series ${s.key} ${s.field} has an inconsistent chunk entry`);
      prevMax = c.maxTimeNs;
      chunks.push(c);
    }
  }
  chunks.sort((a, b) => a.offsetBytes - b.offsetBytes);
  let expected = HEADER_SIZE_BYTES;
  for (const c of chunks) {
    if (c.offsetBytes !== expected) {
      throw new BlockCorruptionError(path, expected, `chunks do not tile the file (next chunk at ${c.offsetBytes})`);
    }
    expected += c.timestampsLengthBytes + c.valuesLengthBytes;
  }
  if (expected !== indexOffset) throw new BlockCorruptionError(path, expected, `chunks end at ${expected}, index starts at ${indexOffset}`);
}

function startsWith(bytes: Uint8Array, magic: Uint8Array, at: number): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

function emptyColumns(series: BlockSeriesEntry): ColumnData {
  return { timestampsNs: new BigInt64Array(0), values: typedValues(series.type, 0) };
}

/** A zeroed values array of `n` for a field type (strings: an empty array to push into). */
function typedValues(type: FieldType, n: number): ColumnValues {
  switch (type) {
    case FieldType.Float:
      return new Float64Array(n);
    case FieldType.Integer:
      return new BigInt64Array(n);
    case FieldType.Unsigned:
      return new BigUint64Array(n);
    case FieldType.String:
      return [];
    case FieldType.Boolean:
      return new Uint8Array(n);
  }
}

function concat(series: BlockSeriesEntry, parts: ColumnData[]): ColumnData {
  if (parts.length === 1) return parts[0]!;
  const n = parts.reduce((sum, p) => sum + p.timestampsNs.length, 0);
  const timestampsNs = new BigInt64Array(n);
  let at = 0;
  for (const p of parts) {
    timestampsNs.set(p.timestampsNs, at);
    at += p.timestampsNs.length;
  }
  if (series.type === FieldType.String) {
    return { timestampsNs, values: parts.flatMap((p) => p.values as string[]) };
  }
  const values = typedValues(series.type, n) as Float64Array;
  at = 0;
  for (const p of parts) {
    values.set(p.values as Float64Array, at);
    at += p.values.length;
  }
  return { timestampsNs, values };
}

/** Keeps `[startNs, stopNs)` (timestamps are ascending). */
function trim(data: ColumnData, startNs: bigint | undefined, stopNs: bigint | undefined): ColumnData {
  const ts = data.timestampsNs;
  let from = 0;
  let to = ts.length;
  if (startNs !== undefined) while (from < to && ts[from]! < startNs) from++;
  if (stopNs !== undefined) while (to > from && ts[to - 1]! >= stopNs) to--;
  if (from === 0 && to === ts.length) return data;
  const v = data.values;
  return { timestampsNs: ts.subarray(from, to), values: Array.isArray(v) ? v.slice(from, to) : v.subarray(from, to) };
}
