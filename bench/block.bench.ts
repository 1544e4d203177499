// Block files on the TSBS cpu-only day (100 hosts × 10 float fields, two decimals, a point per host
// every 10 s: 8.64 M values): disk bytes per value after the head is cut into one block per day
// partition (target ≤ 1.5; baseline: raw 8-byte timestamp + 8-byte double = 16), and codec speed
// for encoding and decoding every chunk (target: tens of millions of values/s; baseline: copying the
// same typed arrays, the floor of any columnar work; both in CPU time), plus whole-file write/read
// with fsync and CRCs (wall time).
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FieldType, type Tag } from '../src/lineprotocol/point.js';
import { BlockReader } from '../src/storage/block/block-reader.js';
import { writeBlock, type BlockSeriesInput } from '../src/storage/block/block-writer.js';
import { DEFAULT_MAX_POINTS_PER_CHUNK } from '../src/storage/block/block-format.js';
import { ByteWriter } from '../src/storage/encoding/byte-writer.js';
import { decodeTimestamps, decodeValues, encodeTimestamps, encodeValues } from '../src/storage/encoding/column-encoding.js';
import type { ColumnValues } from '../src/storage/storage.js';
import { medianMs, type BenchFigure, type BenchSuite } from './harness.js';
import { CPU_FIELDS, cpuOnlyBatches, hostTags, seededRandom } from './tsbs-cpu.js';

const HOSTS = 100;
const HOURS = 24;
const INTERVAL_S = 10;
const START_NS = 1767225600000000000n;
const DAY_NS = 86_400_000_000_000n;
const TARGET_BYTES_PER_VALUE = 1.5;
const TARGET_VALUES_PER_S = 20_000_000;

/**
 * The same values bench/tsbs-cpu.ts writes as line protocol (same seed, same draw order), as
 * columns: one Float64Array per (host, field), one shared timestamp column.
 */
function cpuOnlyColumns(hosts: number, hours: number): BlockSeriesInput[] {
  const rand = seededRandom(42);
  const tagLines = Array.from({ length: hosts }, (_, h) => hostTags(h, rand));
  const state = Array.from({ length: hosts }, () => CPU_FIELDS.map(() => rand() * 100));
  const steps = Math.floor((hours * 3600) / INTERVAL_S);
  const timestampsNs = BigInt64Array.from({ length: steps }, (_, i) => START_NS + BigInt(i * INTERVAL_S) * 1_000_000_000n);
  const columns = Array.from({ length: hosts * CPU_FIELDS.length }, () => new Float64Array(steps));
  for (let step = 0; step < steps; step++) {
    for (let h = 0; h < hosts; h++) {
      const values = state[h]!;
      for (let f = 0; f < CPU_FIELDS.length; f++) {
        let v = values[f]! + (rand() - 0.5) * 2;
        v = Math.min(100, Math.max(0, v));
        values[f] = v;
        columns[h * CPU_FIELDS.length + f]![step] = Number(v.toFixed(2));
      }
    }
  }
  const series: BlockSeriesInput[] = [];
  for (let h = 0; h < hosts; h++) {
    const tags = tagLines[h]!.split(',')
      .map((kv) => kv.split('=') as unknown as Tag)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const key = `cpu,${tags.map(([k, v]) => `${k}=${v}`).join(',')}`;
    CPU_FIELDS.forEach((field, f) => {
      series.push({ key, measurement: 'cpu', tags, field, type: FieldType.Float, timestampsNs, values: columns[h * CPU_FIELDS.length + f]! });
    });
  }
  return series;
}

/** Guards the generator above against drifting from the line protocol one. */
function checkAgainstLineProtocol(series: BlockSeriesInput[]): void {
  const steps = 30;
  const text = [...cpuOnlyBatches({ hosts: HOSTS, hours: (steps * INTERVAL_S) / 3600 })].join('');
  const lines = text.trim().split('\n');
  lines.forEach((line, i) => {
    const step = Math.floor(i / HOSTS);
    const host = i % HOSTS;
    const fields = line.split(' ')[1]!.split(',');
    fields.forEach((kv, f) => {
      const expected = Number(kv.split('=')[1]);
      const got = (series[host * CPU_FIELDS.length + f]!.values as Float64Array)[step];
      if (got !== expected) throw new Error(`bench data differs from tsbs-cpu at line ${i} field ${f}: ${got} vs ${expected}`);
    });
  });
}

interface EncodedChunk {
  count: number;
  tsCodec: number;
  tsPayload: Uint8Array;
  valuesCodec: number;
  valuesPayload: Uint8Array;
}

function forEachChunk(series: BlockSeriesInput[], fn: (ts: BigInt64Array, values: Float64Array) => void): void {
  for (const s of series) {
    const n = s.timestampsNs.length;
    for (let start = 0; start < n; start += DEFAULT_MAX_POINTS_PER_CHUNK) {
      const end = Math.min(n, start + DEFAULT_MAX_POINTS_PER_CHUNK);
      fn(s.timestampsNs.subarray(start, end), (s.values as Float64Array).subarray(start, end));
    }
  }
}

function encodeAll(series: BlockSeriesInput[], out: ByteWriter): void {
  out.reset();
  forEachChunk(series, (ts, values) => {
    encodeTimestamps(ts, out);
    encodeValues(FieldType.Float, values, out);
  });
}

function encodeChunks(series: BlockSeriesInput[]): EncodedChunk[] {
  const chunks: EncodedChunk[] = [];
  const out = new ByteWriter(1 << 16);
  forEachChunk(series, (ts, values) => {
    out.reset();
    const tsCodec = encodeTimestamps(ts, out);
    const tsPayload = out.bytes().slice();
    out.reset();
    const valuesCodec = encodeValues(FieldType.Float, values, out);
    chunks.push({ count: ts.length, tsCodec, tsPayload, valuesCodec, valuesPayload: out.bytes().slice() });
  });
  return chunks;
}

function decodeAll(chunks: EncodedChunk[]): number {
  let n = 0;
  for (const c of chunks) {
    n += decodeTimestamps(c.tsCodec, c.tsPayload, c.count).length;
    n += decodeValues(FieldType.Float, c.valuesCodec, c.valuesPayload, c.count).length;
  }
  return n;
}

/** The floor: copying the same columns chunk by chunk (what any decode must at least produce). */
function copyAll(series: BlockSeriesInput[]): number {
  let n = 0;
  forEachChunk(series, (ts, values) => {
    n += ts.slice().length + values.slice().length;
  });
  return n;
}

/**
 * Median CPU time (user + system) of `fn` in ms. The codec figures are pure computation, and this
 * machine is shared: CPU time measures the work, where wall time would measure the neighbours.
 */
function medianCpuMs(fn: () => unknown, runs = 5, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    times.push((d.user + d.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** A column kind's synthetic chunks for the per-codec figures (1000-point chunks, 2 M values). */
interface CodecCase {
  name: string;
  type: FieldType | 'timestamps';
  chunks: ColumnValues[];
}

function codecCases(): CodecCase[] {
  const rand = seededRandom(7);
  const chunks = <V>(make: (c: number) => V): V[] => Array.from({ length: 2000 }, (_, c) => make(c));
  const n = DEFAULT_MAX_POINTS_PER_CHUNK;
  return [
    {
      name: 'XOR floats (non-decimal random walk)',
      type: FieldType.Float,
      chunks: chunks(() => {
        let v = 100;
        return Float64Array.from({ length: n }, () => (v += (rand() - 0.5) / 3));
      }),
    },
    {
      name: 'integers (counter: delta wins)',
      type: FieldType.Integer,
      chunks: chunks((c) => {
        let v = BigInt(c) * 1_000_000n;
        return BigInt64Array.from({ length: n }, () => (v += BigInt(Math.floor(rand() * 5000))));
      }),
    },
    {
      name: 'scaled delta-of-delta timestamps (s precision, jitter)',
      type: 'timestamps',
      chunks: chunks((c) => {
        let t = START_NS + BigInt(c) * 100_000_000_000_000n;
        return BigInt64Array.from({ length: n }, () => (t += BigInt(8 + Math.floor(rand() * 5)) * 1_000_000_000n));
      }),
    },
    {
      name: 'dictionary strings (5 states)',
      type: FieldType.String,
      chunks: chunks(() => Array.from({ length: n }, () => ['ok', 'warn', 'crit', 'unknown', 'maintenance'][Math.floor(rand() * 5)]!)),
    },
    {
      name: 'bitmap booleans',
      type: FieldType.Boolean,
      chunks: chunks(() => Uint8Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0))),
    },
  ];
}

function reportCodecCase(c: CodecCase, report: (figure: BenchFigure) => void): void {
  const values = c.chunks.reduce((sum, v) => sum + v.length, 0);
  const encode = (v: ColumnValues, out: ByteWriter): number =>
    c.type === 'timestamps' ? encodeTimestamps(v as BigInt64Array, out) : encodeValues(c.type, v, out);
  const out = new ByteWriter(1 << 16);
  const encoded = c.chunks.map((v) => {
    out.reset();
    const codecId = encode(v, out);
    return { codecId, payload: out.bytes().slice(), count: v.length };
  });
  const copyMs = medianCpuMs(() => {
    for (const v of c.chunks) v.slice();
  });
  const encodeMs = medianCpuMs(() => {
    for (const v of c.chunks) {
      out.reset();
      encode(v, out);
    }
  });
  const decodeMs = medianCpuMs(() => {
    for (const e of encoded) {
      if (c.type === 'timestamps') decodeTimestamps(e.codecId, e.payload, e.count);
      else decodeValues(c.type, e.codecId, e.payload, e.count);
    }
  });
  const bytes = encoded.reduce((sum, e) => sum + e.payload.length + 5, 0);
  const baseline = { name: 'copy', value: values / (copyMs / 1000) };
  report({ name: `${c.name}: size`, value: bytes / values, unit: 'bytes/value' });
  report({ name: `${c.name}: encode (CPU time)`, value: values / (encodeMs / 1000), unit: 'values/s', baseline });
  report({ name: `${c.name}: decode (CPU time)`, value: values / (decodeMs / 1000), unit: 'values/s', baseline });
}

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-block-bench-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const suite: BenchSuite = {
  name: 'block',
  async run(report) {
    const series = cpuOnlyColumns(HOSTS, HOURS);
    checkAgainstLineProtocol(series);
    const values = series.reduce((n, s) => n + s.values.length, 0);

    await withDir(async (dir) => {
      const path = join(dir, 'day.block');
      const meta = await writeBlock(path, series, { bucketId: 'bench', partitionStartNs: START_NS, partitionEndNs: START_NS + DAY_NS });
      const bytesPerValue = meta.sizeBytes / values;
      report({
        name: `disk per value, ${values.toLocaleString('en-US')} values in one day block (${(meta.sizeBytes / 1e6).toFixed(2)} MB)`,
        value: bytesPerValue,
        unit: 'bytes/value',
        baseline: { name: 'raw int64 time + float64 value', value: 16 },
        target: `<= ${TARGET_BYTES_PER_VALUE}`,
        ok: bytesPerValue <= TARGET_BYTES_PER_VALUE,
      });

      const out = new ByteWriter(64 << 20);
      const copyMs = medianCpuMs(() => copyAll(series));
      const copyRate = values / (copyMs / 1000);
      const encodeMs = medianCpuMs(() => encodeAll(series, out));
      const encodeRate = values / (encodeMs / 1000);
      report({
        name: 'encode (timestamps + values, 1000-point chunks, CPU time)',
        value: encodeRate,
        unit: 'values/s',
        baseline: { name: 'copy the same typed arrays', value: copyRate },
        target: `>= ${TARGET_VALUES_PER_S.toLocaleString('en-US')}`,
        ok: encodeRate >= TARGET_VALUES_PER_S,
      });
      const chunks = encodeChunks(series);
      const decodeMs = medianCpuMs(() => decodeAll(chunks));
      const decodeRate = values / (decodeMs / 1000);
      report({
        name: 'decode (timestamps + values, 1000-point chunks, CPU time)',
        value: decodeRate,
        unit: 'values/s',
        baseline: { name: 'copy the same typed arrays', value: copyRate },
        target: `>= ${TARGET_VALUES_PER_S.toLocaleString('en-US')}`,
        ok: decodeRate >= TARGET_VALUES_PER_S,
      });

      // Whole files: encode + CRC + write + fsync + rename, against writing the raw columns.
      let n = 0;
      const writeMs = await medianMs(() => writeBlock(join(dir, `w${n++}.block`), series), 3, 1);
      const rawMs = await medianMs(() => {
        const fd = openSync(join(dir, `raw${n++}`), 'w');
        for (const s of series) {
          writeSync(fd, new Uint8Array(s.timestampsNs.buffer));
          writeSync(fd, new Uint8Array((s.values as Float64Array).buffer));
        }
        fsyncSync(fd);
        closeSync(fd);
      }, 3, 1);
      report({
        name: 'writeBlock (encode, CRC, write, fsync, rename)',
        value: values / (writeMs / 1000),
        unit: 'values/s',
        baseline: { name: 'write raw columns (16 B/value) + fsync', value: values / (rawMs / 1000) },
      });

      const readMs = await medianMs(async () => {
        const reader = await BlockReader.open(path);
        for (const s of reader.series) await reader.readSeries(s);
        await reader.close();
      }, 3, 1);
      const rawReadMs = await medianMs(() => readFileSync(join(dir, `raw${n - 1}`)), 3, 1);
      report({
        name: 'read whole block (open, CRC, decode every series)',
        value: values / (readMs / 1000),
        unit: 'values/s',
        baseline: { name: 'read raw columns file (16 B/value)', value: values / (rawReadMs / 1000) },
      });
    });

    for (const c of codecCases()) reportCodecCase(c, report);
  },
};

export default suite;
