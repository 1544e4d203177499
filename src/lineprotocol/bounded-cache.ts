/**
 * A Map that forgets everything when it reaches `maxEntries`. Interning caches use it so a stream
 * of ever-new series cannot grow memory without bound; clearing (rather than LRU bookkeeping)
 * keeps the hit path a single `Map.get`, and a working set that fits is rebuilt within one batch.
 */
export class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();
  /** How many times the cache has been cleared; lets holders of old values tell them apart. */
  private clearCount = 0;

  constructor(readonly maxEntries: number) {
    if (!(maxEntries >= 1)) throw new RangeError(`maxEntries must be >= 1, got ${maxEntries}`);
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.maxEntries) this.clear();
    this.map.set(key, value);
  }

  get generation(): number {
    return this.clearCount;
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
    this.clearCount++;
  }
}
