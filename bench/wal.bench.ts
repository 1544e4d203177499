// WAL append throughput with fsync on, for the engine's write path: batches of 5,000 TSBS cpu lines
// (ten float fields each, 50,000 values) are about 1.2 MB of WAL payload. The engine must ingest
// ≥ 3 M values/s, i.e. 60 such records/s = 72 MB/s through the WAL, with every record durable.
// Baseline: the same bytes written with plain fs.writeSync and one fsync at the end (the disk's
// sequential write speed with no per-record durability), measured in the same run.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { crc32c } from '../src/storage/crc32c.js';
import { Wal } from '../src/storage/wal/wal.js';
import { medianMs, type BenchSuite } from './harness.js';

const RECORD_BYTES = 1_200_000;
const VALUES_PER_RECORD = 5_000 * 10;
const RECORDS = 150; // 180 MB per run: a few seconds of fsynced writes on an ordinary SSD
const TARGET_MB_S = (3_000_000 / VALUES_PER_RECORD) * (RECORD_BYTES / 1e6);
const SMALL_RECORDS = 20_000;
const SMALL_BYTES = 200;

function records(n: number, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let x = 0x9e3779b9;
  for (let r = 0; r < n; r++) {
    const b = new Uint8Array(size);
    for (let i = 0; i < size; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = x & 0x7f; // line protocol is ASCII
    }
    out.push(b);
  }
  return out;
}

/** Median over `runs` (after one warm-up) of `fn`'s own timing, each run in a fresh directory. */
async function medianOfRuns(fn: (dir: string) => Promise<number>, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-wal-bench-'));
    try {
      const ms = await fn(dir);
      if (i > 0) times.push(ms);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const sinceMs = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/** Plain sequential write of the same bytes, one fsync at the end. */
function baselineMs(data: Uint8Array[]): Promise<number> {
  return medianOfRuns(async (dir) => {
    const t0 = process.hrtime.bigint();
    const fd = openSync(join(dir, 'plain'), 'w');
    for (const b of data) writeSync(fd, b);
    fsyncSync(fd);
    closeSync(fd);
    return sinceMs(t0);
  });
}

/** `writers` concurrent loops, each appending its share one record at a time (open and close excluded). */
async function walRun(data: Uint8Array[], writers: number): Promise<{ ms: number; fsyncs: number }> {
  let fsyncs = 0;
  const ms = await medianOfRuns(async (dir) => {
    const wal = await Wal.open(dir, { segmentSizeBytes: 64 * 1024 * 1024 });
    const t0 = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < data.length) await wal.append(data[next++]!);
      }),
    );
    const elapsed = sinceMs(t0);
    fsyncs = wal.stats().fsyncs;
    await wal.close();
    return elapsed;
  });
  return { ms, fsyncs };
}

const suite: BenchSuite = {
  name: 'wal',
  async run(report) {
    const big = records(RECORDS, RECORD_BYTES);
    const mb = (RECORDS * RECORD_BYTES) / 1e6;
    const base = await baselineMs(big);
    const baseline = { name: 'writeSync + one fsync', value: mb / (base / 1000) };

    for (const writers of [1, 4]) {
      const { ms, fsyncs } = await walRun(big, writers);
      const value = mb / (ms / 1000);
      report({
        name: `append ${RECORDS} × 1.2 MB, fsync on, ${writers} writer(s) (${fsyncs} fsyncs)`,
        value,
        unit: 'MB/s',
        baseline,
        target: `>= ${TARGET_MB_S.toFixed(0)} (3 M values/s)`,
        ok: value >= TARGET_MB_S,
      });
      report({
        name: `  = values/s at 50,000 values per record, ${writers} writer(s)`,
        value: (value / (RECORD_BYTES / 1e6)) * VALUES_PER_RECORD,
        unit: 'values/s',
        target: '>= 3,000,000',
        ok: value >= TARGET_MB_S,
      });
    }

    // Group commit with small records: many concurrent writers, few fsyncs.
    // Baseline: the same WAL with a single writer, which pays one fsync per append.
    const small = records(SMALL_RECORDS, SMALL_BYTES);
    const { ms: smallMs, fsyncs: smallFsyncs } = await walRun(small, 64);
    const serial = small.slice(0, SMALL_RECORDS / 20);
    const { ms: serialMs } = await walRun(serial, 1);
    report({
      name: `append ${SMALL_RECORDS} × ${SMALL_BYTES} B, 64 writers (${smallFsyncs} fsyncs)`,
      value: SMALL_RECORDS / (smallMs / 1000),
      unit: 'appends/s',
      baseline: { name: `1 writer, one fsync per append (${serial.length} appends)`, value: serial.length / (serialMs / 1000) },
    });

    // Start-up: open (the recovery scan checks every checksum) plus replay, against reading the files.
    const replayMs = await medianOfRuns(async (dir) => {
      const writer = await Wal.open(dir, { fsync: false });
      await Promise.all(big.map((b) => writer.append(b)));
      await writer.close();
      const t0 = process.hrtime.bigint();
      const wal = await Wal.open(dir);
      let n = 0;
      for await (const record of wal.replay()) n += record.payload.length > 0 ? 1 : 0;
      await wal.close();
      if (n !== big.length) throw new Error(`replayed ${n} of ${big.length} records`);
      return sinceMs(t0);
    });
    const readMs = await medianOfRuns(async (dir) => {
      const fd = openSync(join(dir, 'plain'), 'w');
      for (const b of big) writeSync(fd, b);
      closeSync(fd);
      const t0 = process.hrtime.bigint();
      await readFile(join(dir, 'plain'));
      return sinceMs(t0);
    });
    report({
      name: `open (recovery scan) + replay of ${RECORDS} × 1.2 MB`,
      value: mb / (replayMs / 1000),
      unit: 'MB/s',
      baseline: { name: 'readFile of the same bytes', value: mb / (readMs / 1000) },
    });

    // Checksum speed against zlib's native CRC-32 (IEEE polynomial, C code).
    const blob = big[0]!;
    const reps = 50;
    const crcMs = await medianMs(() => {
      for (let i = 0; i < reps; i++) crc32c(blob);
    });
    const zlibMs = await medianMs(() => {
      for (let i = 0; i < reps; i++) crc32(blob);
    });
    const crcMb = (reps * blob.length) / 1e6;
    report({ name: 'crc32c (slicing-by-8, JS)', value: crcMb / (crcMs / 1000), unit: 'MB/s', baseline: { name: 'zlib.crc32 (native)', value: crcMb / (zlibMs / 1000) } });
  },
};

export default suite;
