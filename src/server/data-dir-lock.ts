import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, SluiceError } from '../core/errors.js';

export const LOCK_FILE = 'sluice.lock';

/** Lock files held by this process: a lock naming our own PID but not in here is stale (PID reuse, e.g. PID 1 in a container). */
const heldHere = new Set<string>();

/**
 * Exclusive use of a data directory by one process: a lock file created with O_EXCL holding the
 * owner's PID. A lock whose PID is no longer running is stale (the owner crashed) and is taken
 * over. Best effort on purpose: it guards against the common mistake of starting twice, and a
 * crashed owner never blocks a restart.
 */
export class DataDirLock {
  private released = false;

  private constructor(readonly path: string) {}

  static acquire(dataDir: string): DataDirLock {
    const path = join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o644);
        try {
          writeSync(fd, `${process.pid}\n`);
        } finally {
          closeSync(fd);
        }
        heldHere.add(path);
        return new DataDirLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const owner = readOwner(path);
      const ours = owner === process.pid;
      if (owner !== undefined && (ours ? heldHere.has(path) : isRunning(owner))) {
        throw new SluiceError(
          ErrorCode.Conflict,
          `data directory ${dataDir} is in use by another sluice process (pid ${owner}); ` +
            `stop that process first, or remove ${path} if no sluice is running`,
        );
      }
      try {
        unlinkSync(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    throw new SluiceError(ErrorCode.Conflict, `could not lock data directory ${dataDir}: another process keeps taking it`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.path);
    try {
      if (readOwner(this.path) === process.pid) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else — still running.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
