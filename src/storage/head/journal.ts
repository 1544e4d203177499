/**
 * The engine's port to the write-ahead log: durable, ordered payloads. `append` resolves once
 * the payload is fsynced (callers may append concurrently; the log orders them and commits them
 * in groups). Implemented over src/storage/wal by wal-journal.ts.
 */
export interface Journal {
  append(payload: Uint8Array): Promise<void>;
  /** Starts a new segment; returns its index. Records appended before the call are in earlier segments. */
  cut(): Promise<number>;
  /** Removes every segment with index < `segmentIndex` (their records are covered by blocks). */
  removeSegmentsBefore(segmentIndex: number): Promise<void>;
  sizeBytes(): number;
  close(): Promise<void>;
}

/** A journal that keeps nothing (no durability), for `Engine.open({ dataDir: undefined })`-style tests. */
export class NullJournal implements Journal {
  private segment = 0;
  async append(): Promise<void> {}
  async cut(): Promise<number> {
    return ++this.segment;
  }
  async removeSegmentsBefore(): Promise<void> {}
  sizeBytes(): number {
    return 0;
  }
  async close(): Promise<void> {}
}
