/**
 * The data regions of open blocks (the column chunks, compressed as on disk) kept in memory,
 * least recently used out, bounded by `maxBytes`. A query touching many series of a block then
 * costs one large read instead of one `pread` per series (each a thread-pool round trip), and
 * later queries none; at ~1 byte per value this holds far more data than a cache of decoded
 * columns. Chunk checksums are still verified on every decode, so a cached region is no less
 * checked than a fresh read.
 *
 * Owners are opaque (a `BlockReader`); `delete` when the owner closes.
 */
export class BlockBytesCache {
  private readonly entries = new Map<object, Uint8Array>();
  private usedBytes = 0;

  constructor(readonly maxBytes: number) {}

  get sizeBytes(): number {
    return this.usedBytes;
  }

  /** Whether a region of `sizeBytes` is worth caching (small enough not to flush everything). */
  admits(sizeBytes: number): boolean {
    return sizeBytes > 0 && sizeBytes <= this.maxBytes / 4;
  }

  get(owner: object): Uint8Array | undefined {
    const bytes = this.entries.get(owner);
    if (bytes === undefined) return undefined;
    this.entries.delete(owner);
    this.entries.set(owner, bytes);
    return bytes;
  }

  set(owner: object, bytes: Uint8Array): void {
    if (!this.admits(bytes.byteLength)) return;
    this.delete(owner);
    this.entries.set(owner, bytes);
    this.usedBytes += bytes.byteLength;
    for (const [k, v] of this.entries) {
      if (this.usedBytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.usedBytes -= v.byteLength;
    }
  }

  delete(owner: object): void {
    const old = this.entries.get(owner);
    if (old === undefined) return;
    this.entries.delete(owner);
    this.usedBytes -= old.byteLength;
  }
}

/** Default for every block reader of the process: 256 MiB of compressed chunks (~250 M values of TSBS data). */
export const sharedBlockBytes = new BlockBytesCache(256 * 1024 * 1024);
