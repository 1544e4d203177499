import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * glibc's malloc serves an allocation of 128 KiB or more with its own mmap and unmaps it when freed
 * (raising that threshold, at most to 32 MiB, each time such a block is freed; and it returns the
 * top of its heap to the OS past twice the threshold). A query's large intermediate arrays —
 * concatenated groups, sort keys, gathered columns, a few MiB each — are typed arrays whose memory
 * comes from malloc, so every query paid again for the first touch of every page: ~10,800 page
 * faults and 87 ms of system time per answer of `group() |> aggregateWindow(every: 1h, fn: count)`
 * over the peer data (page faults cost ~8 µs each on the virtual machines here). With blocks below
 * 32 MiB taken from malloc's heap and up to `retainBytes` of freed memory kept there, the next
 * query reuses it: 10 faults and 5 ms.
 *
 * `sluice serve` applies this once at start (`--malloc-retain-size`); it is the process's, so the
 * in-process servers of tests leave it alone. Done by a small native function (native/
 * malloc-tuning, built by `npm install` with node-gyp): glibc reads its environment tunables only
 * at process start.
 */

/** glibc's largest M_MMAP_THRESHOLD on 64-bit systems (HEAP_MAX_SIZE / 2). */
export const MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024;

interface Native {
  tune(mmapThresholdBytes: number, trimThresholdBytes: number): { supported: boolean; mmapThreshold: boolean; trimThreshold: boolean };
}

/** What `tuneMalloc` did: applied, or why not. */
export type MallocTuning = { applied: true; retainBytes: number } | { applied: false; reason: string };

/** The built native module's path (from src/server or dist/src/server), or undefined. */
export function nativePath(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of [join(here, '..', '..'), join(here, '..', '..', '..')]) {
    const p = join(up, 'build', 'Release', 'malloc_tuning.node');
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Sets malloc to keep up to `retainBytes` of freed memory (and blocks below 32 MiB in its heap); 0 does nothing. */
export function tuneMalloc(retainBytes: number): MallocTuning {
  if (retainBytes === 0) return { applied: false, reason: '--malloc-retain-size is 0' };
  if (process.platform !== 'linux') return { applied: false, reason: `not on Linux (${process.platform})` };
  const path = nativePath();
  if (path === undefined) return { applied: false, reason: 'the native module is not built (build/Release/malloc_tuning.node: npm install builds it)' };
  let native: Native;
  try {
    native = createRequire(import.meta.url)(path) as Native;
  } catch (e) {
    return { applied: false, reason: `the native module did not load: ${(e as Error).message}` };
  }
  const r = native.tune(MMAP_THRESHOLD_BYTES, retainBytes);
  if (!r.supported) return { applied: false, reason: 'the C library is not glibc' };
  if (!r.mmapThreshold || !r.trimThreshold) return { applied: false, reason: 'glibc refused the settings' };
  return { applied: true, retainBytes };
}
