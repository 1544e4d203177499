import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wal } from './wal.js';

/**
 * Tests that need a real, separate process. Crash: a child a child appends numbered records from several concurrent writers
 * and prints each id once its append resolved; the parent SIGKILLs it mid-stream, recovers the WAL
 * and checks that every acknowledged record is there and that what survived is a gap-free prefix of
 * the ids in append order. Repeated on the same WAL, so recovery after recovery is exercised too.
 * (A process kill keeps the page cache, so this checks ordering, acknowledgement and torn-write
 * recovery; power loss is simulated byte by byte in wal-recovery.test.ts.)
 */

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
let work: string;
let childScript: string;
let failingWriteScript: string;

/** Transpiles the WAL and what it imports to plain JS, so a bare `node` child can run it. */
async function buildChild(): Promise<string> {
  const out = join(work, 'out');
  const sources = [
    ...(await readdir(join(repo, 'src/core'))).map((f) => `src/core/${f}`),
    'src/storage/crc32c.ts',
    ...(await readdir(here)).map((f) => relative(repo, join(here, f))),
  ].filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const file of sources) {
    const { outputText } = ts.transpileModule(await readFile(join(repo, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    await mkdir(dirname(join(out, file)), { recursive: true });
    await writeFile(join(out, file.replace(/\.ts$/, '.js')), outputText);
  }
  await writeFile(join(out, 'package.json'), '{"type":"module"}');
  await symlink(join(repo, 'node_modules'), join(out, 'node_modules'));
  const script = join(out, 'crash-child.js');
  await writeFile(
    script,
    `import { Wal } from './src/storage/wal/wal.js';
const [dir, firstId] = [process.argv[2], Number(process.argv[3])];
const wal = await Wal.open(dir, { segmentSizeBytes: 64 * 1024 });
let next = firstId;
const payload = (id) => { const b = new Uint8Array(100 + (id % 5000)); new DataView(b.buffer).setUint32(0, id, true); b.fill(id & 0xff, 4); return b; };
async function writer() {
  for (;;) { const id = next++; await wal.append(payload(id)); process.stdout.write(id + '\\n'); }
}
await Promise.all(Array.from({ length: 6 }, writer));
`,
  );
  failingWriteScript = join(out, 'failing-write-child.js');
  await writeFile(
    failingWriteScript,
    `import { Wal } from './src/storage/wal/wal.js';
const wal = await Wal.open(process.argv[2]);
const results = [];
for (const size of [1000, 100000, 1000]) {
  try { results.push({ position: await wal.append(new Uint8Array(size).fill(size & 0xff)) }); }
  catch (e) { results.push({ code: e.code, message: e.message }); }
}
await wal.close();
console.log(JSON.stringify(results));
`,
  );
  return script;
}

/** Runs the child until it has acknowledged `acks` records, then SIGKILLs it. Returns the acked ids. */
function runAndKill(dir: string, firstId: number, acks: number): Promise<number[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [childScript, dir, String(firstId)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) acked.push(Number(l));
      if (acked.length >= acks) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolvePromise(acked);
      else reject(new Error(`child exited without being killed: ${stderr}`));
    });
  });
}

/** Runs `script dir` under a file size limit of `limitKiB` (`ulimit -f`), returning its stdout. */
function runWithFileSizeLimit(script: string, dir: string, limitKiB: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('sh', ['-c', `ulimit -f ${limitKiB} && exec "$0" "$@"`, process.execPath, script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolvePromise(stdout) : reject(new Error(`child failed (${code}): ${stderr}`))));
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sluice-wal-crash-'));
  childScript = await buildChild();
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('Wal: process crash (SIGKILL) during group-committed appends', () => {
  it('keeps every acknowledged record, and recovers a gap-free prefix, crash after crash', async () => {
    const dir = join(work, 'wal');
    let nextId = 0;
    for (const acks of [150, 400, 50]) {
      const acked = await runAndKill(dir, nextId, acks);
      const wal = await Wal.open(dir, { segmentSizeBytes: 64 * 1024 });
      const ids: number[] = [];
      for await (const { payload } of wal.replay()) {
        const id = new DataView(payload.buffer, payload.byteOffset).getUint32(0, true);
        expect(payload.length).toBe(100 + (id % 5000));
        expect(payload.subarray(4).every((b) => b === (id & 0xff))).toBe(true);
        ids.push(id);
      }
      await wal.close();
      // Survivors are 0, 1, 2, … with no gap, and every id acknowledged before the kill is among them.
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i));
      expect(acked.length).toBeGreaterThanOrEqual(acks);
      expect(Math.max(...acked)).toBeLessThan(ids.length);
      nextId = ids.length;
    }
    expect(nextId).toBeGreaterThanOrEqual(600);
  }, 60_000);
});

describe('Wal: a failed write (EFBIG under ulimit -f)', () => {
  it('rejects that group as internal error, cuts the partial write off, and stays usable', async () => {
    const dir = join(work, 'efbig');
    const results = JSON.parse(await runWithFileSizeLimit(failingWriteScript, dir, 50)) as unknown[];
    expect(results).toEqual([
      { position: { segment: 1, offset: 8 } },
      { code: 'internal error', message: expect.stringContaining('EFBIG') as string },
      // The 100,000-byte record was partly written up to the limit, then truncated away.
      { position: { segment: 1, offset: 8 + 16 + 1000 } },
    ]);
    const wal = await Wal.open(dir);
    const sizes: number[] = [];
    for await (const { payload } of wal.replay()) sizes.push(payload.length);
    await wal.close();
    expect(sizes).toEqual([1000, 1000]);
  });
});
