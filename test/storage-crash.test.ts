import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../bench/tsbs-cpu.js';
import { Engine } from '../src/storage/engine.js';

/**
 * Crash test: a child process writes batches (several in flight, background flushes and
 * compactions) and is SIGKILLed at a random moment, 20 times on the same data directory. After
 * each kill the engine reopens; every acknowledged batch must be complete and no batch may be
 * partial. The child is TypeScript bundled to one ESM file with rolldown (vite's bundler, already
 * a dependency), so it runs on plain `node` with the real engine code and real fsync.
 */
const ROOT = join(import.meta.dirname, '..');
// Inside the repo so the bundle's bare imports (pino) resolve from node_modules.
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'sluice-storage-crash');
const BUNDLE = join(BUNDLE_DIR, 'writer.mjs');
const POINTS_PER_BATCH = 40;
const S = 1_000_000_000n;
const T0 = 1_767_225_600n * S;
const ROUNDS = 20;

let dataDir: string;

beforeAll(async () => {
  await mkdir(BUNDLE_DIR, { recursive: true });
  await build({
    input: join(ROOT, 'test', 'storage-crash-writer.ts'),
    platform: 'node',
    output: { file: BUNDLE, format: 'esm' },
    external: [/^node:/, /^[a-z@][^:]*$/],
    logLevel: 'warn',
  });
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-crash-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs the writer until `killAfterMs` after it is ready, SIGKILLs it, returns the acked batches. */
function runWriter(firstBatch: number, killAfterMs: number): Promise<{ acked: number[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, dataDir, String(firstBatch)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === 'ready') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        else if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code} ${signal}: ${stderr}`));
      else resolve({ acked, stderr });
    });
  });
}

/** Points found per batch (from field `b`, one value per point). */
async function pointsPerBatch(): Promise<Map<number, number>> {
  const engine = await Engine.open({ dataDir, fsync: true });
  try {
    const counts = new Map<number, number>();
    const request = {
      bucketId: 'crash',
      startNs: T0,
      stopNs: T0 + 10_000_000n * S,
      predicate: { kind: 'compare', key: '_field', op: '==', value: 'b' } as const,
    };
    for await (const batch of engine.read(request)) {
      const values = batch.values as BigInt64Array;
      for (let i = 0; i < values.length; i++) {
        const k = Number(values[i]!);
        // The point's time encodes its batch too: a value in the wrong place is corruption.
        expect((batch.timestampsNs[i]! - T0) / (50n * S)).toBe(BigInt(k));
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    return counts;
  } finally {
    await engine.close();
  }
}

describe('storage crash safety', () => {
  it(`keeps every acknowledged batch whole across ${ROUNDS} SIGKILLs`, async () => {
    const rand = seededRandom(7);
    const allAcked = new Set<number>();
    let next = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { acked } = await runWriter(next, 50 + Math.floor(rand() * 400));
      for (const k of acked) allAcked.add(k);
      const counts = await pointsPerBatch();
      for (const k of allAcked) expect(counts.get(k), `acked batch ${k} after round ${round}`).toBe(POINTS_PER_BATCH);
      for (const [k, n] of counts) expect(n, `batch ${k} is partial after round ${round}`).toBe(POINTS_PER_BATCH);
      next = Math.max(next, ...counts.keys(), ...acked) + 1;
    }
    expect(allAcked.size).toBeGreaterThan(ROUNDS);
  }, 300_000);
});
