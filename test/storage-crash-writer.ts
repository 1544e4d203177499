// Child process of test/storage-crash.test.ts (bundled to JS by the test): opens the engine with
// fsync on, writes batches with several in flight, flushes and compacts in the background, and
// prints `ack <batch>` for every write that resolved. The parent SIGKILLs it at a random moment.
import { Engine } from '../src/storage/engine.js';
import { PointBuilder } from '../src/storage/head/point-builder.js';

const [dataDir, firstArg] = process.argv.slice(2);
const first = Number(firstArg);
/** Points per batch; a batch's points are at `T0 + batch·50 s + i s`, field b = batch. */
export const POINTS_PER_BATCH = 40;
const T0 = 1_767_225_600_000_000_000n;
const S = 1_000_000_000n;

const engine = await Engine.open({ dataDir: dataDir!, fsync: true, maxHeadValues: 3_000 });
await engine.ensureBucket({ bucketId: 'crash', retentionNs: 0n, shardGroupDurationNs: 3600n * S });
const pb = new PointBuilder();
process.stdout.write('ready\n');

let batch = first;
const inFlight = new Set<Promise<void>>();
for (;;) {
  const k = batch++;
  const points = [];
  for (let i = 0; i < POINTS_PER_BATCH; i++) {
    points.push(pb.point('m', { w: String(i % 4) }, { b: BigInt(k), v: i * 0.5 }, T0 + BigInt(k) * 50n * S + BigInt(i) * S));
  }
  const p: Promise<void> = engine.write('crash', points).then(() => {
    process.stdout.write(`ack ${k}\n`);
    inFlight.delete(p);
  });
  inFlight.add(p);
  if (k % 25 === 0) void engine.compact().catch(() => undefined);
  if (inFlight.size >= 4) await Promise.race(inFlight);
}
