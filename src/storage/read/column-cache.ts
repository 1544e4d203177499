import type { StoredBlock } from '../compaction/stored-block.js';
import type { ColumnValues } from '../storage.js';
import type { Column } from './column.js';

/**
 * Full, the cache takes one new entry in this many (evicting the least recently used); the rest
 * are refused. See `ColumnCache`.
 */
export const ADMIT_WHEN_FULL_EVERY = 8;

/** Rebuilt times arrays kept for sharing (see `ColumnCache.rebuilt`), and the largest kept. */
const SHARED_TIMES = 4;
const MAX_SHARED_TIMES_BYTES = 1024 * 1024;

/** Results derived from one entry (`ColumnCache.source`) kept with it, most recently used last. */
const MAX_DERIVED = 4;

/**
 * A cached entry, found from a column read out of it (the entry's own values array or a view
 * into it): the whole entry and where the column starts in it, and the results derived from the
 * entry kept with it (`recall` / `remember`). Derived results are counted in the cache's size and
 * leave with their entry; entries are immutable, so they never go stale. A full cache keeps no
 * more: a result is kept only in free room, never in place of an entry.
 */
export interface CachedSource {
  /** Points in the whole entry. */
  readonly length: number;
  /** Index in the entry of the first value of the column looked up. */
  readonly offset: number;
  /** The time of the entry's point `i`. */
  timeAt(i: number): bigint;
  /** The whole entry (its times rebuilt when the entry keeps them as first + step). */
  whole(): Column;
  recall(name: string): unknown;
  /** Keeps `value` with the entry, if the cache has `bytes` of free room (see `room`). */
  remember(name: string, value: unknown, bytes: number): void;
  /** Free room in the cache, in bytes: what `remember` can keep. */
  room(): number;
}

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
 * it hits), and a new working set still moves in, more slowly. Before refusing or evicting, the
 * cache compacts older entries with regular times (see `Entry`).
 */
export class ColumnCache {
  private readonly entries = new Map<string, Entry>();
  /** Per entry key, results derived from it (`CachedSource`), most recently used last. */
  private readonly derived = new Map<string, Map<string, { readonly value: unknown; readonly bytes: number }>>();
  /**
   * The key of the entry whose values live in a memory (an ArrayBuffer; a string array itself):
   * how `source` finds an entry from a view. Decoding gives each column memory of its own; the
   * key of an entry since removed stays until its memory goes (`source` checks the entry).
   */
  private readonly byMemory = new WeakMap<object, string>();
  /** Keys of whole entries with regular times, oldest first: what to compact under pressure. */
  private readonly compactable = new Set<string>();
  private readonly blockIds = new WeakMap<StoredBlock, number>();
  private nextBlockId = 0;
  private bytes = 0;
  private refusals = 0;
  /**
   * The last few times arrays rebuilt for compact entries, most recent first. Series collected
   * together (one agent, one interval) share first time, step and count in a block, so a scan of
   * them rebuilds the same array again and again: one is kept and shared instead (columns are
   * read-only for every reader, as whole entries already are).
   */
  private readonly rebuilt: { readonly firstNs: bigint; readonly stepNs: number; readonly times: BigInt64Array }[] = [];

  constructor(private readonly maxBytes: number) {}

  get(block: StoredBlock, storageKey: string): Column | undefined {
    const key = this.key(block, storageKey);
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    if (e.column !== undefined) return e.column;
    return { type: e.type, timestampsNs: this.times(e.firstNs, e.stepNs, e.values.length), values: e.values };
  }

  /** `regularTimes(firstNs, stepNs, n)`, shared with the last hits that had the same times. */
  private times(firstNs: bigint, stepNs: number, n: number): BigInt64Array {
    const memo = this.rebuilt;
    for (let k = 0; k < memo.length; k++) {
      const m = memo[k]!;
      if (m.firstNs === firstNs && m.stepNs === stepNs && m.times.length === n) {
        if (k > 0) {
          memo.splice(k, 1);
          memo.unshift(m);
        }
        return m.times;
      }
    }
    const times = regularTimes(firstNs, stepNs, n);
    if (n * 8 <= MAX_SHARED_TIMES_BYTES) {
      memo.unshift({ firstNs, stepNs, times });
      if (memo.length > SHARED_TIMES) memo.pop();
    }
    return times;
  }

  set(block: StoredBlock, storageKey: string, column: Column): void {
    const whole = wholeEntry(column);
    const key = this.key(block, storageKey);
    const old = this.entries.get(key);
    if (old !== undefined) this.remove(key, old);
    let entry: Entry = whole.bytes > this.maxBytes / 4 ? compacted(whole) : whole;
    if (entry.bytes > this.maxBytes / 4) return;
    if (this.bytes + entry.bytes > this.maxBytes) {
      // Room first from results derived from entries (recomputed from an entry, unlike an entry
      // re-read from disk), then from halving older entries (regular times kept as first +
      // step), then from this one; only then does an old entry have to go.
      this.dropDerived(this.bytes + entry.bytes - this.maxBytes);
      this.compactOldest(this.bytes + entry.bytes - this.maxBytes);
      if (this.bytes + entry.bytes > this.maxBytes) entry = compacted(entry);
    }
    if (old === undefined && this.bytes + entry.bytes > this.maxBytes && ++this.refusals % ADMIT_WHEN_FULL_EVERY !== 0) return;
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    if (entry.column !== undefined && entry.regular !== undefined) this.compactable.add(key);
    this.byMemory.set(memoryOf(column.values), key);
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(k, e);
    }
  }

  /**
   * The cached entry `values` came from (its values array, or a typed-array view into it), or
   * undefined. Does not count as a use of the entry.
   */
  source(values: ColumnValues): CachedSource | undefined {
    const key = this.byMemory.get(memoryOf(values));
    const e = key === undefined ? undefined : this.entries.get(key);
    if (key === undefined || e === undefined) return undefined;
    const own = e.column === undefined ? e.values : e.column.values;
    const offset = offsetIn(own, values);
    if (offset < 0) return undefined;
    return {
      length: own.length,
      offset,
      timeAt: (i) => (e.column === undefined ? e.firstNs + BigInt(i * e.stepNs) : e.column.timestampsNs[i]!),
      whole: () => e.column ?? { type: e.type, timestampsNs: this.times(e.firstNs, e.stepNs, e.values.length), values: e.values },
      recall: (name) => {
        const kept = this.derived.get(key);
        const d = kept?.get(name);
        if (d === undefined) return undefined;
        if (kept!.size > 1) {
          kept!.delete(name);
          kept!.set(name, d);
        }
        return d.value;
      },
      room: () => this.maxBytes - this.bytes,
      remember: (name, value, bytes) => {
        if (this.entries.get(key) !== e || bytes > this.maxBytes / 8) return;
        // Only into free room: evicting an entry would undo the scan resistance (a full cache
        // admits one new entry in ADMIT_WHEN_FULL_EVERY) and cost a re-read, and compacting
        // one makes each of its hits rebuild its times.
        if (this.bytes + bytes > this.maxBytes) return;
        let kept = this.derived.get(key);
        if (kept === undefined) this.derived.set(key, (kept = new Map()));
        const old = kept.get(name);
        if (old !== undefined) {
          kept.delete(name);
          this.bytes -= old.bytes;
        }
        kept.set(name, { value, bytes });
        this.bytes += bytes;
        for (const [n, d] of kept) {
          if (kept.size <= MAX_DERIVED) break;
          kept.delete(n);
          this.bytes -= d.bytes;
        }
      },
    };
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  get entryCount(): number {
    return this.entries.size;
  }

  private remove(key: string, e: Entry): void {
    this.entries.delete(key);
    this.compactable.delete(key);
    this.bytes -= e.bytes;
    const kept = this.derived.get(key);
    if (kept === undefined) return;
    this.derived.delete(key);
    for (const d of kept.values()) this.bytes -= d.bytes;
  }

  /** Drops results derived from entries, of the entries that got their first one earliest first, until `needBytes` are freed. */
  private dropDerived(needBytes: number): void {
    let freed = 0;
    for (const [key, kept] of this.derived) {
      if (freed >= needBytes) break;
      this.derived.delete(key);
      for (const d of kept.values()) freed += d.bytes;
    }
    this.bytes -= freed;
  }

  /** Compacts whole regular entries, oldest first, until `needBytes` are freed or none is left. */
  private compactOldest(needBytes: number): void {
    let freed = 0;
    for (const key of this.compactable) {
      if (freed >= needBytes) break;
      this.compactable.delete(key);
      const e = this.entries.get(key);
      if (e === undefined || e.column === undefined) continue;
      const c = compacted(e);
      // Same key: the entry keeps its place in the LRU order.
      this.entries.set(key, c);
      freed += e.bytes - c.bytes;
      this.bytes -= e.bytes - c.bytes;
    }
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

/** The memory values live in: a typed array's buffer, a string array itself. */
function memoryOf(values: ColumnValues): object {
  return Array.isArray(values) ? values : values.buffer;
}

/** Where `view` starts in `own` (the same array, or a typed-array view inside it), else -1. */
function offsetIn(own: ColumnValues, view: ColumnValues): number {
  if (own === view) return 0;
  if (Array.isArray(own) || Array.isArray(view) || own.constructor !== view.constructor || own.buffer !== view.buffer) return -1;
  const size = own.BYTES_PER_ELEMENT;
  const d = view.byteOffset - own.byteOffset;
  if (d < 0 || d % size !== 0 || d + view.byteLength > own.byteLength) return -1;
  return d / size;
}

/**
 * A cached column: whole (times as an array; `regular` says whether they could be two numbers),
 * or compact — when its times are a regular series (`first + i·step`, the usual shape of
 * collected metrics) — its values with the times as two numbers, rebuilt on each hit. Entries are
 * kept whole while there is room (a hit is then free) and compacted, oldest first, when the cache
 * fills: that halves a float series' footprint, so twice the data stays decoded, and the rebuild
 * is a fill, far cheaper than the read + checksum + decode it saves.
 */
type Entry =
  | { readonly column: Column; readonly regular: { readonly firstNs: bigint; readonly stepNs: number } | undefined; readonly bytes: number }
  | { readonly column: undefined; readonly type: Column['type']; readonly values: Column['values']; readonly firstNs: bigint; readonly stepNs: number; readonly bytes: number };

function valueBytes(v: Column['values']): number {
  return Array.isArray(v) ? v.reduce((n, s) => n + 16 + s.length * 2, 0) : v.byteLength;
}

function wholeEntry(c: Column): Entry {
  const stepNs = regularStep(c.timestampsNs);
  const regular = stepNs === undefined ? undefined : { firstNs: c.timestampsNs[0]!, stepNs };
  return { column: c, regular, bytes: c.timestampsNs.byteLength + valueBytes(c.values) + 64 };
}

/** The compact form of a whole regular entry; `e` itself otherwise. */
function compacted(e: Entry): Entry {
  if (e.column === undefined || e.regular === undefined) return e;
  const c = e.column;
  return { column: undefined, type: c.type, values: c.values, firstNs: e.regular.firstNs, stepNs: e.regular.stepNs, bytes: valueBytes(c.values) + 80 };
}

const TWO_32 = 4294967296;
/** Spans below 2^52 ns (~52 days) are exact as doubles. */
const MAX_EXACT_SPAN = 2n ** 52n;

/** The step when `ts[i] == ts[0] + i·step` for every i (step > 0, span exact as a double). */
export function regularStep(ts: BigInt64Array): number | undefined {
  const n = ts.length;
  if (n < 2) return undefined;
  const span = ts[n - 1]! - ts[0]!;
  const step = ts[1]! - ts[0]!;
  if (step <= 0n || span >= MAX_EXACT_SPAN || step * BigInt(n - 1) !== span) return undefined;
  const stepD = Number(step);
  // Relative times from the 32-bit halves: no bigint per point.
  const h = new Int32Array(ts.buffer, ts.byteOffset, n * 2);
  const baseHi = h[1]!;
  const baseLo = h[0]! >>> 0;
  for (let i = 2; i < n; i++) {
    if ((h[2 * i + 1]! - baseHi) * TWO_32 + ((h[2 * i]! >>> 0) - baseLo) !== i * stepD) return undefined;
  }
  return stepD;
}

/** `first + i·step` for i in [0, n), written as 32-bit halves with a carry. */
export function regularTimes(firstNs: bigint, stepNs: number, n: number): BigInt64Array {
  const out = new BigInt64Array(n);
  const h = new Int32Array(out.buffer);
  let hi = Number(BigInt.asIntN(32, firstNs >> 32n));
  let lo = Number(BigInt.asUintN(32, firstNs));
  const stepHi = Math.floor(stepNs / TWO_32);
  const stepLo = stepNs - stepHi * TWO_32;
  for (let i = 0; i < n; i++) {
    h[2 * i] = lo | 0;
    h[2 * i + 1] = hi | 0;
    lo += stepLo;
    hi += stepHi;
    if (lo >= TWO_32) {
      lo -= TWO_32;
      hi += 1;
    }
  }
  return out;
}
