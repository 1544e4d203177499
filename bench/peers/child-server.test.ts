import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildServer, freePort, memoryUse, waitUntil } from './child-server.js';
import { diskUsage, diskUsageByEntry } from './disk-usage.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'peers-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A child that listens on `port` and, if `stubborn`, ignores SIGTERM. */
function listener(port: number, stubborn: boolean): string {
  return `
    ${stubborn ? "process.on('SIGTERM', () => console.log('ignoring SIGTERM'));" : ''}
    require('node:http').createServer((q, s) => s.end('up')).listen(${port}, '127.0.0.1', () => console.log('listening'));
  `;
}

describe('ChildServer', () => {
  it.each([
    { name: 'stops on SIGTERM', stubborn: false, graceMs: 10_000 },
    { name: 'is killed when it ignores SIGTERM past the grace time', stubborn: true, graceMs: 300 },
  ])('$name', async ({ stubborn, graceMs }) => {
    const dir = tempDir();
    const port = await freePort();
    const child = ChildServer.spawn('test', process.execPath, ['-e', listener(port, stubborn)], join(dir, 'log'));
    await waitUntil('the child to listen', async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, 10_000, 50);
    expect(child.running).toBe(true);
    expect(child.logTail()).toContain('listening');
    await child.stop(graceMs);
    expect(child.running).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    if (stubborn) expect(child.logTail()).toContain('ignoring SIGTERM');
  });

  it('waitUntil reports what it waited for and the last error', async () => {
    await expect(
      waitUntil('the moon', () => Promise.reject(new Error('not yet')), 100, 20),
    ).rejects.toThrow(/waiting for the moon: Error: not yet/);
  });
});

describe('memoryUse and diskUsage', () => {
  it('reads this process’s VmRSS and VmHWM', () => {
    const m = memoryUse(process.pid);
    expect(m.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(m.hwmBytes).toBeGreaterThanOrEqual(m.rssBytes);
  });

  it('sums file sizes and allocated blocks under a directory', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a'), Buffer.alloc(10_000, 1));
    writeFileSync(join(dir, 'sub', 'b'), Buffer.alloc(5_000, 2));
    const u = diskUsage(dir);
    expect(u.apparentBytes).toBe(15_000);
    expect(u.allocatedBytes).toBeGreaterThanOrEqual(15_000);
    const byEntry = diskUsageByEntry(dir);
    expect(Object.keys(byEntry)).toEqual(['a', 'sub']);
    expect(byEntry['a']).toBeGreaterThanOrEqual(10_000);
  });
});
