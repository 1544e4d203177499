import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes under a directory: allocated on disk (as `du`), and apparent (sum of file sizes). */
export interface DiskUsage {
  allocatedBytes: number;
  apparentBytes: number;
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
