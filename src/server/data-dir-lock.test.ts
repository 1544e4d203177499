import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLock, LOCK_FILE } from './data-dir-lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sluice-lock-'));
  dirs.push(d);
  return d;
};

describe('DataDirLock', () => {
  it('writes the PID, refuses a second holder, and removes the file on release', () => {
    const dir = tempDir();
    const lock = DataDirLock.acquire(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    expect(() => DataDirLock.acquire(dir)).toThrow(/is in use by another sluice process/);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    DataDirLock.acquire(dir).release();
  });

  it.each([
    ['a dead PID', '99999999\n'],
    ['garbage', 'not a pid'],
    ['an empty file', ''],
    // Our own PID but not held by this process: PID reuse after a crash (e.g. PID 1 in a container).
    ['our PID, not held here', `${process.pid}\n`],
  ])('takes over a stale lock holding %s', (_name, content) => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), content);
    const lock = DataDirLock.acquire(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
  });

  it('refuses a lock held by a live process (PID 1)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), '1\n');
    expect(() => DataDirLock.acquire(dir)).toThrow(`data directory ${dir} is in use by another sluice process (pid 1)`);
  });
});
