import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test support: Flux's own stdlib sources, read from a bare mirror of influxdata/flux (the one
 * the `fetch` tool makes, or FLUX_GIT_DIR). The mirror is never part of this repository; its
 * `stdlib/` is exported once per commit into a temporary directory.
 */
export const FLUX_GIT_DIR = process.env['FLUX_GIT_DIR'] ?? '/work/.mirror/influxdata+flux/repo';

export function stdlibMirrorAvailable(): boolean {
  return existsSync(FLUX_GIT_DIR);
}

/** Exports the mirror's `stdlib/` and returns the directory that contains it. */
export function exportStdlib(): string {
  const commit = execFileSync('git', ['--git-dir', FLUX_GIT_DIR, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `sluice-flux-stdlib-${commit}`);
  if (existsSync(dir)) return dir;
  const staging = `${dir}.${process.pid}`;
  mkdirSync(staging, { recursive: true });
  const archive = execFileSync('git', ['--git-dir', FLUX_GIT_DIR, 'archive', '--format=tar', commit, 'stdlib'], {
    maxBuffer: 1 << 30,
  });
  const tar = spawnSync('tar', ['-x', '-C', staging], { input: archive });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // a concurrent run got there first
  }
  return dir;
}

/** Paths of all `.flux` files under `stdlib/`, relative to `stdlib/`, sorted. */
export function stdlibFluxFiles(root: string): string[] {
  return readdirSync(join(root, 'stdlib'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.flux'))
    .sort();
}
