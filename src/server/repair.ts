import { join } from 'node:path';
import { Wal, type WalRepairReport } from '../storage/wal/index.js';
import { DataDirLock } from './data-dir-lock.js';
import { ENGINE_DIR } from './server.js';

/**
 * Repairs a data directory whose WAL is corrupt in the middle (the server refuses to start and
 * names the segment and offset): truncates the WAL at the corruption and deletes later segments.
 * Takes the data-dir lock, so it never runs beside a live server. What is dropped is reported;
 * acknowledged writes after the corruption point are lost, which is why this is a command a person
 * runs, never something the server does by itself.
 */
export async function repairDataDir(dataDir: string): Promise<WalRepairReport> {
  const lock = DataDirLock.acquire(dataDir);
  try {
    return await Wal.repair(join(dataDir, ENGINE_DIR, 'wal'));
  } finally {
    lock.release();
  }
}
