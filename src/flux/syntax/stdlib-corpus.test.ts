import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { astToJson } from './ast-json.js';
import { formatDiagnostics } from './diagnostic.js';
import { parse } from './parser.js';
import { print } from './printer.js';

/**
 * Parses every `stdlib/**\/*.flux` of Flux's own repository: all must parse with no diagnostics
 * and survive print → parse unchanged. The repository is the bare mirror the `fetch` tool makes
 * (or FLUX_GIT_DIR); it is never part of this repo. Files are exported once per commit into a
 * temporary directory. Skips itself when the mirror is absent.
 */
const GIT_DIR = process.env['FLUX_GIT_DIR'] ?? '/work/.mirror/influxdata+flux/repo';
const available = existsSync(GIT_DIR);

function exportStdlib(): string {
  const commit = execFileSync('git', ['--git-dir', GIT_DIR, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `sluice-flux-stdlib-${commit}`);
  if (existsSync(dir)) return dir;
  const staging = `${dir}.${process.pid}`;
  mkdirSync(staging, { recursive: true });
  const archive = execFileSync('git', ['--git-dir', GIT_DIR, 'archive', '--format=tar', commit, 'stdlib'], {
    maxBuffer: 1 << 30,
  });
  const tar = spawnSync('tar', ['-x', '-C', staging], { input: archive });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another run got there first
  }
  return dir;
}

function fluxFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.flux'))
    .sort()
    .map((f) => join(dir, f));
}

describe.skipIf(!available)('Flux stdlib corpus', () => {
  test('every stdlib .flux file parses cleanly and round-trips through the printer', () => {
    const files = fluxFiles(exportStdlib());
    expect(files.length).toBeGreaterThan(500);
    const failures: string[] = [];
    let builtins = 0;
    let testcases = 0;
    for (const path of files) {
      const { file, diagnostics } = parse(readFileSync(path, 'utf8'), path);
      if (diagnostics.length > 0) {
        failures.push(formatDiagnostics(diagnostics.slice(0, 3)));
        continue;
      }
      builtins += file.body.filter((s) => s.kind === 'BuiltinStatement').length;
      testcases += file.body.filter((s) => s.kind === 'TestCaseStatement').length;
      const again = parse(print(file), path);
      const same =
        again.diagnostics.length === 0 &&
        JSON.stringify(astToJson(again.file, { locations: false })) ===
          JSON.stringify(astToJson(file, { locations: false }));
      if (!same) failures.push(`${path}: print → parse changed the tree`);
    }
    expect(failures).toEqual([]);
    expect(builtins).toBeGreaterThan(100);
    expect(testcases).toBeGreaterThan(900);
  }, 120_000);
});
