import { mkdtempSync, openSync, readdirSync, readSync, rmSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Wal } from '../storage/wal/index.js';
import { DataDirLock } from './data-dir-lock.js';
import { repairDataDir } from './repair.js';
import { ENGINE_DIR } from './server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A data dir whose WAL holds `count` records written as separate commits. */
async function dataDirWithWal(count: number): Promise<{ dataDir: string; walDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-repair-'));
  dirs.push(dataDir);
  const walDir = join(dataDir, ENGINE_DIR, 'wal');
  const wal = await Wal.open(walDir);
  for (let i = 0; i < count; i++) await wal.append(new Uint8Array(1000).fill(i + 1));
  await wal.close();
  return { dataDir, walDir };
}

function flipByte(file: string, offset: number): void {
  const fd = openSync(file, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, offset);
  b[0] = b[0]! ^ 0xff;
  writeSync(fd, b, 0, 1, offset);
  closeSync(fd);
}

async function replayCount(walDir: string): Promise<number> {
  const wal = await Wal.open(walDir);
  let n = 0;
  for await (const _ of wal.replay()) n++;
  await wal.close();
  return n;
}

describe('repairDataDir', () => {
  it('reports an intact WAL and changes nothing', async () => {
    const { dataDir, walDir } = await dataDirWithWal(3);
    const report = await repairDataDir(dataDir);
    expect(report.corruption).toBeNull();
    expect(await replayCount(walDir)).toBe(3);
  });

  it('truncates at a corruption in the middle so the WAL opens again with the prefix', async () => {
    const { dataDir, walDir } = await dataDirWithWal(5);
    const segment = join(walDir, readdirSync(walDir).filter((f) => f.endsWith('.wal'))[0]!);
    // Damage the third record's payload: a later commit follows it, so it is not a torn tail.
    const size = statSync(segment).size;
    flipByte(segment, Math.floor(size / 2));
    await expect(Wal.open(walDir)).rejects.toThrow(/corrupt/i);
    const report = await repairDataDir(dataDir);
    expect(report.corruption?.segment).toBe(segment.split('/').pop());
    expect(report.truncated?.droppedBytes).toBeGreaterThan(0);
    const left = await replayCount(walDir);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(5);
  });

  it('refuses to run beside a live server holding the data dir', async () => {
    const { dataDir } = await dataDirWithWal(1);
    const lock = DataDirLock.acquire(dataDir);
    try {
      await expect(repairDataDir(dataDir)).rejects.toThrow();
    } finally {
      lock.release();
    }
  });
});
