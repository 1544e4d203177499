import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { parsePartitionDirName, type Bucket } from '../head/bucket.js';
import { readTombstones } from '../tombstone/tombstone-file.js';
import { parseBlockFileName } from './block-file-name.js';
import { readFieldTypes } from './field-types-file.js';
import type { BlockStore } from './stored-block.js';

export interface RecoveredBlocks {
  /** The highest block seq in use (blocks and tombstones), 0 when none. */
  maxSeq: number;
  /** Paths of blocks that failed verification: reported, never served. */
  corruptBlocks: string[];
}

/**
 * Loads every partition directory of `buckets` from disk: opens block indexes, registers their
 * series in the bucket's index and field types in the partition, and loads tombstones. Leftovers
 * of an interrupted compaction (a block whose seq range lies inside another's) and temporary
 * files are removed. A block that fails its checksum is logged and skipped.
 */
export async function recoverBuckets(buckets: Map<string, Bucket>, store: BlockStore | undefined, logger: Logger): Promise<RecoveredBlocks> {
  let maxSeq = 0;
  const corruptBlocks: string[] = [];
  for (const bucket of buckets.values()) {
    for (const dirName of await listDir(bucket.dir)) {
      const bounds = parsePartitionDirName(dirName);
      if (bounds === undefined) continue;
      const part = bucket.addPartition(bounds.startNs, bounds.endNs);
      const files = await listDir(part.dir);
      for (const f of files) if (f.endsWith('.tmp')) await rm(join(part.dir, f), { force: true });
      part.tombstones = await readTombstones(part.dir);
      for (const t of part.tombstones) maxSeq = Math.max(maxSeq, t.maxBlockSeq);
      const named = files.flatMap((f) => {
        const r = parseBlockFileName(f);
        return r === undefined ? [] : [{ file: f, ...r }];
      });
      for (const b of named) {
        const covered = named.some((o) => o !== b && o.minSeq <= b.minSeq && o.maxSeq >= b.maxSeq && (o.minSeq !== b.minSeq || o.maxSeq !== b.maxSeq));
        if (covered) {
          await rm(join(part.dir, b.file), { force: true });
          continue;
        }
        maxSeq = Math.max(maxSeq, b.maxSeq);
        if (store === undefined) continue;
        const path = join(part.dir, b.file);
        try {
          const block = await store.open(path, b.maxSeq);
          part.blocks.push(block);
          for (const e of block.entries()) {
            const seriesKey = e.storageKey.slice(0, e.storageKey.length - e.field.length - 1);
            const entry = bucket.index.series({ key: seriesKey, measurement: e.measurement, tags: e.tags });
            bucket.index.field(entry, e.field);
            if (part.fieldType(e.measurement, e.field) === undefined) part.setFieldType(e.measurement, e.field, e.type);
          }
        } catch (err) {
          corruptBlocks.push(path);
          logger.error({ err, path }, 'block failed verification; it is not served');
        }
      }
      part.blocks.sort((a, b) => a.seq - b.seq);
      await readFieldTypes(part);
    }
  }
  return { maxSeq, corruptBlocks };
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
