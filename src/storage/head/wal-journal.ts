import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { Wal } from '../wal/index.js';
import type { Journal } from './journal.js';

/**
 * The engine's Journal over src/storage/wal. Opening replays every record into `onRecord`
 * (oldest first) before the first append; a torn tail is truncated by the WAL, and corruption in
 * the middle surfaces as the WAL's `WalCorruptionError` (the engine refuses to start).
 */
export class WalJournal implements Journal {
  /** Bytes of segment files at open or at the last removal, and the WAL's byte counter then. */
  private baseBytes = 0;
  private baseWritten = 0;

  private constructor(
    private readonly wal: Wal,
    private readonly dir: string,
  ) {}

  static async open(dir: string, options: { fsync: boolean; logger?: Logger; segmentSizeBytes?: number }, onRecord: (payload: Uint8Array) => void): Promise<WalJournal> {
    const wal = await Wal.open(dir, options);
    for await (const record of wal.replay()) onRecord(record.payload);
    const j = new WalJournal(wal, dir);
    await j.measure();
    return j;
  }

  append(payload: Uint8Array): Promise<void> {
    return this.wal.append(payload).then(() => undefined);
  }

  cut(): Promise<number> {
    return this.wal.cut();
  }

  async removeSegmentsBefore(segmentIndex: number): Promise<void> {
    await this.wal.removeSegmentsBefore(segmentIndex);
    await this.measure();
  }

  sizeBytes(): number {
    return this.baseBytes + (this.wal.stats().bytesWritten - this.baseWritten);
  }

  close(): Promise<void> {
    return this.wal.close();
  }

  private async measure(): Promise<void> {
    const written = this.wal.stats().bytesWritten;
    let total = 0;
    for (const name of await readdir(this.dir)) {
      try {
        total += (await stat(join(this.dir, name))).size;
      } catch {
        // removed meanwhile
      }
    }
    this.baseBytes = total;
    this.baseWritten = written;
  }
}
