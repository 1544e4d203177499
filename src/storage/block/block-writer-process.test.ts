import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockReader } from './block-reader.js';

/**
 * writeBlock against real process failures: a child killed (SIGKILL) while writing blocks, and a
 * child whose writes fail for real (EFBIG under `ulimit -f`). Either way a `.block` file is complete
 * and valid or absent; only `.tmp` files may be partial, and a failed write removes its own.
 */

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
let work: string;
let out: string;

/** Transpiles the block writer and what it imports to plain JS, so a bare `node` child can run it. */
async function buildChildren(): Promise<void> {
  out = join(work, 'out');
  const dirs = ['src/core', 'src/lineprotocol', 'src/storage/encoding', 'src/storage/block', 'src/storage/block/testdata'];
  const sources = ['src/storage/crc32c.ts', 'src/storage/storage.ts'];
  for (const d of dirs) sources.push(...(await readdir(join(repo, d))).map((f) => `${d}/${f}`));
  for (const file of sources.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const { outputText } = ts.transpileModule(await readFile(join(repo, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    await mkdir(dirname(join(out, file)), { recursive: true });
    await writeFile(join(out, file.replace(/\.ts$/, '.js')), outputText);
  }
  await writeFile(join(out, 'package.json'), '{"type":"module"}');
  await symlink(join(repo, 'node_modules'), join(out, 'node_modules'));
  await writeFile(
    join(out, 'write-blocks.js'),
    `import { writeBlock } from './src/storage/block/block-writer.js';
import { sampleSeries } from './src/storage/block/testdata/sample-series.js';
const [dir, points] = [process.argv[2], Number(process.argv[3])];
const series = sampleSeries(points);
for (let i = 0; ; i++) {
  try {
    await writeBlock(dir + '/' + i + '.block', series, { maxPointsPerChunk: 100 });
    process.stdout.write(JSON.stringify({ written: i }) + '\\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ failed: i, code: e.code, message: e.message }) + '\\n');
    process.exit(0);
  }
}
`,
  );
}

/** Runs the writer child until `acks` blocks are written, then SIGKILLs it `delayMs` later. */
function writeAndKill(dir: string, acks: number, delayMs: number): Promise<number[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(out, 'write-blocks.js'), dir, '20000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const written: number[] = [];
    let buffered = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) written.push((JSON.parse(line) as { written: number }).written);
      if (written.length === acks) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolvePromise(written) : reject(new Error(`child exited on its own: ${stderr}`))));
  });
}

/** Runs the writer child under a file size limit (`ulimit -f`, KiB); returns its output lines. */
function writeUnderLimit(dir: string, limitKiB: number, points: number): Promise<Record<string, unknown>[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('sh', ['-c', `ulimit -f ${limitKiB} && exec "$0" "$@"`, process.execPath, join(out, 'write-blocks.js'), dir, String(points)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolvePromise(stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)) : reject(new Error(`child failed (${code}): ${stderr}`)),
    );
  });
}

async function expectOnlyCompleteBlocks(dir: string, acked: number[]): Promise<void> {
  const names = await readdir(dir);
  const blocks = names.filter((n) => n.endsWith('.block'));
  expect(names.filter((n) => !n.endsWith('.block') && !n.endsWith('.block.tmp'))).toEqual([]);
  expect(names.filter((n) => n.endsWith('.tmp')).length).toBeLessThanOrEqual(1);
  for (const i of acked) expect(blocks).toContain(`${i}.block`);
  for (const name of blocks) {
    const reader = await BlockReader.open(join(dir, name));
    await reader.verify();
    expect(reader.series.reduce((n, s) => n + s.pointCount, 0)).toBe(7 * 20000);
    await reader.close();
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sluice-block-process-'));
  await buildChildren();
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('writeBlock under process failures', () => {
  it.each([
    [2, 0],
    [3, 7],
    [1, 20],
  ])('a SIGKILL while writing leaves only complete blocks (kill %i blocks in, +%i ms)', async (acks, delayMs) => {
    const dir = join(work, `kill-${acks}-${delayMs}`);
    await mkdir(dir);
    const acked = await writeAndKill(dir, acks, delayMs);
    expect(acked.length).toBeGreaterThanOrEqual(acks);
    await expectOnlyCompleteBlocks(dir, acked);
  }, 60_000);

  it('a real write failure (EFBIG) rejects, removes the temp file and leaves no block', async () => {
    const dir = join(work, 'efbig');
    await mkdir(dir);
    // The limit is per file: a 100 KiB cap stops the first block part-way through its write.
    const lines = await writeUnderLimit(dir, 100, 20000);
    expect(lines).toEqual([{ failed: 0, code: 'EFBIG', message: expect.stringContaining('EFBIG') as string }]);
    expect(await readdir(dir)).toEqual([]);
  }, 60_000);
});
