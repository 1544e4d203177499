import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'rolldown';
import { expect } from 'vitest';

/**
 * Runs the `sluice` CLI as a user does: bundled from TypeScript with rolldown and started as a
 * real process. Each runner has its own home dir and profiles file (SLUICE_CONFIGS_PATH).
 */
const ROOT = join(import.meta.dirname, '..', '..');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string | Buffer;
  env?: Record<string, string>;
  /** Run another program instead of the CLI bundle (args are then its arguments). */
  command?: string;
}

export interface CliRunner {
  readonly bundle: string;
  sluice(args: string[], options?: RunOptions): Promise<Ran>;
  /** Runs and expects exit 0 (showing stderr when not, so a failure explains itself). */
  ok(args: string[], options?: RunOptions): Promise<string>;
  /** `ok` with `--json`, parsed. */
  okJson<T>(args: string[], options?: RunOptions): Promise<T>;
}

/** Bundles src/cli/main.ts into node_modules/.cache/<name>/main.mjs. */
export async function buildCli(name: string): Promise<string> {
  const bundleDir = join(ROOT, 'node_modules', '.cache', name);
  const bundle = join(bundleDir, 'main.mjs');
  await mkdir(bundleDir, { recursive: true });
  await build({
    input: join(ROOT, 'src', 'cli', 'main.ts'),
    platform: 'node',
    output: { file: bundle, format: 'esm' },
    external: [/^node:/, /^[a-z@][^:]*$/],
    logLevel: 'warn',
  });
  return bundle;
}

export function cliRunner(bundle: string, home: string, configs: string): CliRunner {
  const sluice = (args: string[], options: RunOptions = {}): Promise<Ran> =>
    new Promise((resolve, reject) => {
      const child = spawn(options.command ?? process.execPath, options.command === undefined ? [bundle, ...args] : args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '', HOME: home, SLUICE_CONFIGS_PATH: configs, ...options.env },
        cwd: home,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.stdin ?? '');
    });
  const ok = async (args: string[], options?: RunOptions): Promise<string> => {
    const r = await sluice(args, options);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.any(String) as string });
    return r.stdout;
  };
  return {
    bundle,
    sluice,
    ok,
    okJson: async <T>(args: string[], options?: RunOptions): Promise<T> => JSON.parse(await ok([...args, '--json'], options)) as T,
  };
}
