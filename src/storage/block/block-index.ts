import { FieldType, type Tag } from '../../lineprotocol/point.js';
import { ByteReader } from '../encoding/byte-reader.js';
import type { ByteWriter } from '../encoding/byte-writer.js';
import { readChunkStats, writeChunkStats, type ChunkStats } from './chunk-stats.js';

/**
 * The index at the end of a block file: what the file covers and where every column chunk is,
 * with per-chunk stats. Loaded whole when a block is opened (it is small: about 80 bytes per
 * 1 000 points plus each distinct string once), so planning a read never touches the chunks.
 */
export interface BlockIndex {
  readonly partitionStartNs: bigint;
  /** Exclusive. */
  readonly partitionEndNs: bigint;
  readonly bucketId: string;
  /** Generations of blocks of the same partition this block supersedes (set by compaction). */
  readonly replacedGenerations: readonly number[];
  /** Sorted by series key, then field (JS string order); (key, field) is unique. */
  readonly series: readonly BlockSeriesEntry[];
}

export interface BlockSeriesEntry {
  /** Canonical series key (measurement + sorted tags, as `Series.key`). */
  readonly key: string;
  readonly measurement: string;
  readonly tags: readonly Tag[];
  readonly field: string;
  readonly type: FieldType;
  readonly pointCount: number;
  readonly minTimeNs: bigint;
  readonly maxTimeNs: bigint;
  /** In time order, not overlapping. */
  readonly chunks: readonly BlockChunkEntry[];
}

export interface BlockChunkEntry {
  /** The series' field type (repeated here so a chunk decodes on its own). */
  readonly type: FieldType;
  readonly minTimeNs: bigint;
  readonly maxTimeNs: bigint;
  readonly pointCount: number;
  /** File offset of the timestamps chunk; the values chunk follows it. */
  readonly offsetBytes: number;
  readonly timestampsLengthBytes: number;
  readonly valuesLengthBytes: number;
  readonly stats: ChunkStats;
}

export function encodeBlockIndex(index: BlockIndex, out: ByteWriter): void {
  out.i64(index.partitionStartNs);
  out.i64(index.partitionEndNs);
  out.str(index.bucketId);
  out.uvarint(index.replacedGenerations.length);
  for (const g of index.replacedGenerations) out.uvarint(g);

  const ids = new Map<string, number>();
  const sid = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = ids.size;
      ids.set(s, id);
    }
    return id;
  };
  for (const s of index.series) {
    sid(s.key);
    sid(s.measurement);
    for (const [k, v] of s.tags) {
      sid(k);
      sid(v);
    }
    sid(s.field);
  }
  out.uvarint(ids.size);
  for (const s of ids.keys()) out.str(s);

  out.uvarint(index.series.length);
  for (const s of index.series) {
    out.uvarint(sid(s.key));
    out.uvarint(sid(s.measurement));
    out.uvarint(s.tags.length);
    for (const [k, v] of s.tags) {
      out.uvarint(sid(k));
      out.uvarint(sid(v));
    }
    out.uvarint(sid(s.field));
    out.u8(s.type);
    out.uvarint(s.chunks.length);
    for (const c of s.chunks) {
      out.i64(c.minTimeNs);
      out.i64(c.maxTimeNs);
      out.uvarint(c.pointCount);
      out.uvarint(c.offsetBytes);
      out.uvarint(c.timestampsLengthBytes);
      out.uvarint(c.valuesLengthBytes);
      writeChunkStats(c.stats, out);
    }
  }
}

/**
 * Parses an index. Throws `RangeError` on anything malformed (a string id out of range, an unknown
 * field type, a read past the end, trailing bytes); the reader reports it as corruption.
 */
export function decodeBlockIndex(bytes: Uint8Array): BlockIndex {
  const r = new ByteReader(bytes);
  const partitionStartNs = r.i64();
  const partitionEndNs = r.i64();
  const bucketId = r.str();
  const replacedGenerations: number[] = [];
  for (let i = 0, n = r.uvarint(); i < n; i++) replacedGenerations.push(r.uvarint());

  const stringCount = r.uvarint();
  if (stringCount > r.remaining) throw new RangeError(`string table of ${stringCount} entries exceeds the index`);
  const strings: string[] = new Array<string>(stringCount);
  for (let i = 0; i < stringCount; i++) strings[i] = r.str();
  const str = (): string => {
    const id = r.uvarint();
    const s = strings[id];
    if (s === undefined) throw new RangeError(`string id ${id} out of ${stringCount}`);
    return s;
  };

  const seriesCount = r.uvarint();
  if (seriesCount > r.remaining) throw new RangeError(`${seriesCount} series exceed the index`);
  const series: BlockSeriesEntry[] = [];
  // Entries are sorted by key, so the fields of one series follow each other: they share one
  // tags array (an index stays resident while its block is open; 10 fields × 10 tags each
  // would otherwise be 100 pair arrays per series).
  let lastKey: string | undefined;
  let lastTags: readonly Tag[] = [];
  for (let i = 0; i < seriesCount; i++) {
    const key = str();
    const measurement = str();
    const tagCount = r.uvarint();
    if (tagCount > r.remaining) throw new RangeError(`${tagCount} tags exceed the index`);
    let tags: readonly Tag[];
    if (key === lastKey && tagCount === lastTags.length && sameTags(lastTags, r, strings)) {
      tags = lastTags;
    } else {
      const fresh: Tag[] = [];
      for (let t = 0; t < tagCount; t++) fresh.push([str(), str()]);
      tags = fresh;
      lastKey = key;
      lastTags = fresh;
    }
    const field = str();
    const type = r.u8();
    if (type > FieldType.Boolean) throw new RangeError(`unknown field type ${type}`);
    const chunkCount = r.uvarint();
    if (chunkCount === 0 || chunkCount > r.remaining) throw new RangeError(`series with ${chunkCount} chunks`);
    const chunks: BlockChunkEntry[] = [];
    let pointCount = 0;
    for (let c = 0; c < chunkCount; c++) {
      const chunk: BlockChunkEntry = {
        type: type as FieldType,
        minTimeNs: r.i64(),
        maxTimeNs: r.i64(),
        pointCount: r.uvarint(),
        offsetBytes: r.uvarint(),
        timestampsLengthBytes: r.uvarint(),
        valuesLengthBytes: r.uvarint(),
        stats: readChunkStats(type as FieldType, r),
      };
      pointCount += chunk.pointCount;
      chunks.push(chunk);
    }
    series.push({
      key,
      measurement,
      tags,
      field,
      type: type as FieldType,
      pointCount,
      minTimeNs: chunks[0]!.minTimeNs,
      maxTimeNs: chunks[chunks.length - 1]!.maxTimeNs,
      chunks,
    });
  }
  if (r.remaining !== 0) throw new RangeError(`${r.remaining} trailing bytes after the index`);
  return { partitionStartNs, partitionEndNs, bucketId, replacedGenerations, series };
}

/**
 * Whether the next `tags.length` string-id pairs in `r` name exactly `tags`; consumes them when
 * they do and leaves `r` where it was otherwise.
 */
function sameTags(tags: readonly Tag[], r: ByteReader, strings: readonly string[]): boolean {
  const start = r.pos;
  for (const [k, v] of tags) {
    if (strings[r.uvarint()] !== k || strings[r.uvarint()] !== v) {
      r.pos = start;
      return false;
    }
  }
  return true;
}
