import type { StoredBlock } from '../compaction/stored-block.js';
import type { Column } from './column.js';

/**
 * Full, the cache takes one new entry in this many (evicting the least recently used); the rest
 * are refused. See `ColumnCache`.
 */
export const ADMIT_WHEN_FULL_EVERY = 8;

/**
 * Decoded block columns, least recently used first out, bounded by `maxBytes`. Blocks are
 * immutable, so an entry never goes stale; a retired block's entries simply age out. Dashboards
 * and tasks re-read the same recent series again and again: this turns the read + checksum +
 * decode of a series into a map look-up.
 *
 * Scan resistance: a query over more data than the cache holds (a day of every series, read in
 * the same order each time) would, under plain LRU, evict each entry just before its next use and
 * hit nothing. So once full, only one new entry in `ADMIT_WHEN_FULL_EVERY` replaces an old one:
 * repeated large scans keep a stable part of their data cached (about cache size / scan size of
 * it hits), and a new working set still moves in, more slowly.
 */
export class ColumnCache {
  private readonly entries = new Map<string, { column: Column; bytes: number }>();
  private readonly blockIds = new WeakMap<StoredBlock, number>();
  private nextBlockId = 0;
  private bytes = 0;
  private refusals = 0;

  constructor(private readonly maxBytes: number) {}

  get(block: StoredBlock, storageKey: string): Column | undefined {
    const key = this.key(block, storageKey);
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.column;
  }

  set(block: StoredBlock, storageKey: string, column: Column): void {
    const bytes = columnBytes(column);
    if (bytes > this.maxBytes / 4) return;
    const key = this.key(block, storageKey);
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    } else if (this.bytes + bytes > this.maxBytes && ++this.refusals % ADMIT_WHEN_FULL_EVERY !== 0) {
      return;
    }
    this.entries.set(key, { column, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  get entryCount(): number {
    return this.entries.size;
  }

  private key(block: StoredBlock, storageKey: string): string {
    let id = this.blockIds.get(block);
    if (id === undefined) {
      id = this.nextBlockId++;
      this.blockIds.set(block, id);
    }
    return `${id}\u0001${storageKey}`;
  }
}

function columnBytes(c: Column): number {
  const v = c.values;
  const valueBytes = Array.isArray(v) ? v.reduce((n, s) => n + 16 + s.length * 2, 0) : v.byteLength;
  return c.timestampsNs.byteLength + valueBytes + 64;
}
