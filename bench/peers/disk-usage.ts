import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes under a directory: allocated on disk (as `du`), and apparent (sum of file sizes). */
export interface DiskUsage {
  allocatedBytes: number;
  apparentBytes: number;
}

/** Allocated bytes per entry directly under `dir` (e.g. a WAL apart from blocks). */
export function diskUsageByEntry(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of readdirSync(dir).sort()) out[name] = diskUsage(join(dir, name)).allocatedBytes;
  return out;
}

export function diskUsage(dir: string): DiskUsage {
  let allocatedBytes = 0;
  let apparentBytes = 0;
  const walk = (path: string): void => {
    const st = lstatSync(path);
    allocatedBytes += st.blocks * 512;
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
    } else {
      apparentBytes += st.size;
    }
  };
  walk(dir);
  return { allocatedBytes, apparentBytes };
}
