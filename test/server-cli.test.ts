import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/storage/engine.js';
import { storageRows } from './helpers/storage-rows.js';

/**
 * `sluice serve` as a real process: the CLI is bundled to one ESM file with rolldown (as the
 * storage crash test does) and run on plain `node`, then driven over HTTP and with signals.
 */
const ROOT = join(import.meta.dirname, '..');
// Inside the repo so the bundle's bare imports (pino, better-sqlite3) resolve from node_modules.
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'sluice-cli-test');
const BUNDLE = join(BUNDLE_DIR, 'main.mjs');

let dataDir: string;
/** Every child started, so a failing test leaves no server behind. */
const children = new Set<ChildProcess>();

beforeAll(async () => {
  await mkdir(BUNDLE_DIR, { recursive: true });
  await build({
    input: join(ROOT, 'src', 'cli', 'main.ts'),
    platform: 'node',
    output: { file: BUNDLE, format: 'esm' },
    external: [/^node:/, /^[a-z@][^:]*$/],
    logLevel: 'warn',
  });
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-cli-'));
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `sluice serve` and resolves once it logs "sluice ready" (its URL comes from that line). */
function serve(args: string[] = []): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, 'serve', '--data-dir', dataDir, '--http-bind-address', '127.0.0.1:0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let err = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      err += chunk;
      const m = /"url":"(http:\/\/[^"]+)","msg":"sluice ready"/.exec(err);
      if (m !== null) resolve({ child, url: m[1]!, stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`sluice serve exited (${code}) before ready:\n${err}`)));
  });
}

/** Runs `sluice serve` expecting it to fail at start; returns exit code and stderr. */
function serveFails(): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUNDLE, 'serve', '--data-dir', dataDir, '--http-bind-address', '127.0.0.1:0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => (err += c));
    child.once('exit', (code) => resolve({ code, stderr: err }));
  });
}

async function rowsOnDisk(bucketID: string): Promise<string[]> {
  const engine = await Engine.open({ dataDir: join(dataDir, 'engine') });
  try {
    return await storageRows(engine, bucketID);
  } finally {
    await engine.close();
  }
}

let token = '';
let bucketID = '';

describe('sluice serve (process)', () => {
  it('prints usage for --help and refuses unknown flags', async () => {
    const run = (args: string[]): Promise<{ code: number | null; out: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [BUNDLE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.once('exit', (code) => resolve({ code, out }));
      });
    const help = await run(['serve', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--http-bind-address');
    expect(help.out).toContain('[SLUICE_DATA_DIR]');
    const bad = await run(['serve', '--bogus']);
    expect([bad.code, bad.out.trim()]).toEqual([1, 'sluice serve: unknown flag --bogus']);
  });

  it('on SIGTERM finishes the in-flight write, then exits 0; a second server meanwhile is refused', async () => {
    const s = await serve();
    const setup = await fetch(`${s.url}/api/v2/setup`, {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', org: 'acme', bucket: 'telemetry' }),
    });
    const body = (await setup.json()) as { auth: { token: string }; bucket: { id: string } };
    token = body.auth.token;
    bucketID = body.bucket.id;

    const refused = await serveFails();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`sluice serve: data directory ${dataDir} is in use by another sluice process (pid ${s.child.pid})`);

    const req = request(`${s.url}/api/v2/write?org=acme&bucket=telemetry`, {
      method: 'POST',
      headers: { authorization: `Token ${token}`, 'transfer-encoding': 'chunked' },
    });
    const status = new Promise<number>((resolve, reject) => {
      req.on('response', (r) => {
        r.resume();
        resolve(r.statusCode!);
      });
      req.on('error', reject);
    });
    req.write('cli,phase=term v=1 1\n');
    await new Promise((r) => setTimeout(r, 100));
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    req.end('cli,phase=term v=2 2\n');
    expect(await status).toBe(204);
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toContain('"msg":"stopped"');
    expect(await rowsOnDisk(bucketID)).toEqual(['cli,phase=term v=1 1', 'cli,phase=term v=2 2']);
  });

  it('after kill -9, restarts over the stale lock with every acknowledged write', async () => {
    const s = await serve();
    const res = await fetch(`${s.url}/api/v2/write?org=acme&bucket=telemetry`, {
      method: 'POST',
      headers: { authorization: `Token ${token}` },
      body: 'cli,phase=kill v=3 3',
    });
    expect(res.status).toBe(204);
    s.child.kill('SIGKILL');
    await s.exited;
    const again = await serve();
    // Same token, same bucket: the metadata survived too.
    const more = await fetch(`${again.url}/api/v2/write?org=acme&bucket=telemetry`, {
      method: 'POST',
      headers: { authorization: `Token ${token}` },
      body: 'cli,phase=after v=4 4',
    });
    expect(more.status).toBe(204);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
    expect(await rowsOnDisk(bucketID)).toEqual([
      'cli,phase=after v=4 4',
      'cli,phase=kill v=3 3',
      'cli,phase=term v=1 1',
      'cli,phase=term v=2 2',
    ]);
  });
});
