// The six peer questions of issue 5 (see bench/peers and docs/benchmarks.md), end to end over HTTP
// against a real in-process Sluice server: TSBS cpu-only data (bench/tsbs-cpu.ts; 100 hosts × 24 h
// × 10 s × 10 fields = 8.64 M values; BENCH_HOSTS / BENCH_HOURS shrink it for development) is
// parsed and written through the engine's write path (WAL + head), then flushed to blocks and
// compacted, as the maintenance timer leaves a load a minute later (BENCH_COMPACT=0: not compacted).
// BENCH_QUESTIONS=a,d picks questions. Each question is then POSTed to /api/v2/query (fetch, whole body read, identity
// encoding) — median of BENCH_RUNS (default 5) after one warm-up — and printed with its target
// (VictoriaMetrics' figure, or 10× InfluxDB 1.6 for (f)) and a baseline measured in the same run:
// a bare `Storage.read` of the same values (no Flux, no HTTP, no CSV).
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/core/logger.js';
import { formatRfc3339Nano } from '../src/core/time.js';
import { parseLines } from '../src/lineprotocol/index.js';
import { defaultConfig } from '../src/server/config.js';
import { defaultServerDeps } from '../src/server/default-server-deps.js';
import { Server } from '../src/server/server.js';
import type { ReadRequest, Storage } from '../src/storage/storage.js';
import { medianMs, type BenchSuite } from './harness.js';
import { CPU_FIELDS, cpuOnlyBatches } from './tsbs-cpu.js';

const HOSTS = Number(process.env['BENCH_HOSTS'] ?? 100);
const HOURS = Number(process.env['BENCH_HOURS'] ?? 24);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z, tsbs-cpu's default start
const HOUR_NS = 3_600_000_000_000n;
const T1 = T0 + BigInt(HOURS) * HOUR_NS;
const T_HALF = T0 + (BigInt(HOURS) * HOUR_NS) / 2n;

interface Question {
  id: string;
  what: string;
  flux: string;
  /** Target in ms (end to end). */
  targetMs: number | undefined;
  targetText: string;
  /** The same values read straight from storage. */
  baseline: (bucketId: string) => ReadRequest;
  /** Checks the response body (row counts), so a fast wrong answer is not a figure. */
  check(body: string): void;
}

const t = (ns: bigint): string => formatRfc3339Nano(ns);
const cpu = '|> filter(fn: (r) => r._measurement == "cpu")';
const userPred = {
  kind: 'and',
  left: { kind: 'compare', key: '_measurement', op: '==', value: 'cpu' },
  right: { kind: 'compare', key: '_field', op: '==', value: 'usage_user' },
} as const;
const cpuPred = { kind: 'compare', key: '_measurement', op: '==', value: 'cpu' } as const;

/** Data rows of an annotated CSV body (lines that are neither annotations, headers nor blank). */
function dataRows(body: string): number {
  let n = 0;
  let header = false;
  for (const line of body.split('\r\n')) {
    if (line === '') {
      header = false;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (!header) {
      header = true;
      continue;
    }
    n++;
  }
  return n;
}

function expectRows(id: string, want: number): (body: string) => void {
  return (body) => {
    const got = dataRows(body);
    if (got !== want) throw new Error(`(${id}) returned ${got} rows, expected ${want}: ${body.slice(0, 300)}`);
  };
}

const windows = HOURS * 12;
const QUESTIONS: Question[] = [
  {
    id: 'a',
    what: '5-min mean of usage_user per host',
    flux: `from(bucket: "bench") |> range(start: ${t(T0)}, stop: ${t(T1)}) |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage_user") |> aggregateWindow(every: 5m, fn: mean, createEmpty: false)`,
    targetMs: 23,
    targetText: '<= 23 ms (VictoriaMetrics)',
    baseline: (bucketId) => ({ bucketId, startNs: T0, stopNs: T1, predicate: userPred }),
    check: expectRows('a', HOSTS * windows),
  },
  {
    id: 'a10',
    what: '5-min mean of all 10 fields per host',
    flux: `from(bucket: "bench") |> range(start: ${t(T0)}, stop: ${t(T1)}) ${cpu} |> aggregateWindow(every: 5m, fn: mean, createEmpty: false)`,
    targetMs: 1907,
    targetText: '<< 1,907 ms (InfluxDB 1.6)',
    baseline: (bucketId) => ({ bucketId, startNs: T0, stopNs: T1, predicate: cpuPred }),
    check: expectRows('a10', HOSTS * CPU_FIELDS.length * windows),
  },
  {
    id: 'c',
    what: 'last point per host, all fields',
    flux: `from(bucket: "bench") |> range(start: ${t(T0)}, stop: ${t(T1)}) ${cpu} |> last()`,
    targetMs: 15,
    targetText: '<= 15 ms (VictoriaMetrics)',
    baseline: (bucketId) => ({ bucketId, startNs: T1 - 10_000_000_000n, stopNs: T1, predicate: cpuPred }),
    check: expectRows('c', HOSTS * CPU_FIELDS.length),
  },
  {
    id: 'd',
    what: 'usage_user > 90, all hosts, 12 h',
    flux: `from(bucket: "bench") |> range(start: ${t(T0)}, stop: ${t(T_HALF)}) |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage_user" and r._value > 90.0)`,
    targetMs: 36,
    targetText: '<= 36 ms (VictoriaMetrics)',
    baseline: (bucketId) => ({ bucketId, startNs: T0, stopNs: T_HALF, predicate: userPred }),
    check: (body) => {
      if (dataRows(body) === 0) throw new Error('(d) returned no rows');
    },
  },
  {
    id: 'e',
    what: 'count of all values',
    flux: `from(bucket: "bench") |> range(start: ${t(T0)}, stop: ${t(T1)}) ${cpu} |> count() |> group() |> sum()`,
    targetMs: 74,
    targetText: '<= 74 ms (VictoriaMetrics)',
    baseline: (bucketId) => ({ bucketId, startNs: T0, stopNs: T1, predicate: cpuPred }),
    check: (body) => {
      const want = HOSTS * CPU_FIELDS.length * HOURS * 360;
      if (!body.includes(`,${want}\r\n`)) throw new Error(`(e) did not count ${want}: ${body.slice(0, 300)}`);
    },
  },
  {
    id: 'f',
    what: '5-min means of all fields written with to()',
    flux: `from(bucket: "bench") |> range(start: ${t(T0)}, stop: ${t(T1)}) ${cpu} |> aggregateWindow(every: 5m, fn: mean, createEmpty: false) |> to(bucket: "bench_5m")`,
    targetMs: 549,
    targetText: '<= 549 ms (10x InfluxDB 1.6)',
    baseline: (bucketId) => ({ bucketId, startNs: T0, stopNs: T1, predicate: cpuPred }),
    check: expectRows('f', HOSTS * CPU_FIELDS.length * windows),
  },
];

async function postJson(url: string, token: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === '' ? {} : { authorization: `Token ${token}` }) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Loads the TSBS data through the engine's write path; returns lines written. */
async function load(storage: Storage, bucketId: string): Promise<number> {
  let lines = 0;
  for (const body of cpuOnlyBatches({ hosts: HOSTS, hours: HOURS, startNs: T0 }, 5_000)) {
    const points = parseLines(body, { precision: 'ns', defaultTimeNs: T0 });
    const res = await storage.write(bucketId, points);
    if (res.rejected.length > 0) throw new Error(`load rejected ${res.rejected.length} points: ${res.rejected[0]!.reason}`);
    lines += points.length;
  }
  return lines;
}

/**
 * Median CPU time (user + system, this process: server and client) of `fn` over RUNS runs after
 * a warm-up. On a machine shared with other work, wall time includes waiting for a core; the CPU
 * time says what the query itself costs.
 */
async function medianCpuMs(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const before = process.cpuUsage();
    await fn();
    const d = process.cpuUsage(before);
    times.push((d.user + d.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Total seconds and count the server's own histogram (`sluice_http_request_duration_seconds`:
 * request headers parsed → response handed to the socket) holds for POST /api/v2/query. Deltas
 * over a question's runs give its server time, without the in-process client's share.
 */
async function queryDuration(serverUrl: string, token: string): Promise<{ seconds: number; count: number }> {
  const res = await fetch(`${serverUrl}/metrics`, { headers: { authorization: `Token ${token}` } });
  const text = await res.text();
  const pick = (suffix: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`sluice_http_request_duration_seconds_${suffix}{`) && l.includes('route="/api/v2/query"') && l.includes('method="POST"'));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { seconds: pick('sum'), count: pick('count') };
}

async function scanValues(storage: Storage, request: ReadRequest): Promise<number> {
  let n = 0;
  for await (const b of storage.read(request)) n += b.timestampsNs.length;
  return n;
}

const suite: BenchSuite = {
  name: 'query-peers',
  async run(report) {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-peers-'));
    const server = await Server.start(
      { ...defaultConfig(), httpBindAddress: '127.0.0.1:0', dataDir: dir, logLevel: 'silent' },
      defaultServerDeps({ logger: silentLogger() }),
    );
    try {
      const setup = (await postJson(`${server.url}/api/v2/setup`, '', {
        username: 'admin',
        password: 'password123',
        org: 'acme',
        bucket: 'bench',
        retentionPeriodSeconds: 0,
      })) as { bucket: { id: string }; org: { id: string }; auth: { token: string } };
      const token = setup.auth.token;
      await postJson(`${server.url}/api/v2/buckets`, token, { orgID: setup.org.id, name: 'bench_5m', retentionRules: [] });
      const storage = server.openedStorage!;
      const loadStart = process.hrtime.bigint();
      const lines = await load(storage, setup.bucket.id);
      await storage.flush?.();
      const loadS = Number(process.hrtime.bigint() - loadStart) / 1e9;
      // The maintenance timer compacts a partition's flushed blocks within a minute of the load;
      // measure that steady state (BENCH_COMPACT=0 measures the flushed blocks as they are).
      const compact = (storage as { compact?: () => Promise<void> }).compact;
      if (process.env['BENCH_COMPACT'] !== '0') await compact?.call(storage);
      console.log(
        `loaded ${lines.toLocaleString('en-US')} lines (${(lines * CPU_FIELDS.length).toLocaleString('en-US')} values) through the write path and flushed in ${loadS.toFixed(1)} s; ${JSON.stringify(storage.stats())}`,
      );

      const queryUrl = `${server.url}/api/v2/query?orgID=${setup.org.id}`;
      const ask = async (flux: string): Promise<string> => {
        const res = await fetch(queryUrl, {
          method: 'POST',
          headers: {
            authorization: `Token ${token}`,
            'content-type': 'application/json',
            accept: 'application/csv',
            'accept-encoding': 'identity',
          },
          body: JSON.stringify({ query: flux, type: 'flux', dialect: { annotations: ['datatype', 'group', 'default'] } }),
        });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`query failed: ${res.status} ${body.slice(0, 500)}`);
        return body;
      };
      const wanted = process.env['BENCH_QUESTIONS']?.split(',');
      const questions = QUESTIONS.filter((q) => wanted === undefined || wanted.includes(q.id));
      // Baselines first, so the HTTP questions run back to back (a keep-alive connection left
      // idle for seconds may be closed by the server just as the client reuses it).
      const baselines = new Map<string, { ms: number; scanned: number }>();
      for (const q of questions) {
        const request = q.baseline(setup.bucket.id);
        let scanned = 0;
        const ms = await medianMs(async () => {
          scanned = await scanValues(storage, request);
        }, RUNS, 1);
        baselines.set(q.id, { ms, scanned });
      }
      for (const q of questions) {
        q.check(await ask(q.flux));
        const cpu = await medianCpuMs(() => ask(q.flux));
        const before = await queryDuration(server.url, token);
        const ms = await medianMs(() => ask(q.flux), RUNS, 1);
        const after = await queryDuration(server.url, token);
        const serverMs = after.count > before.count ? ((after.seconds - before.seconds) * 1000) / (after.count - before.count) : NaN;
        const { ms: baseMs, scanned } = baselines.get(q.id)!;
        console.log(
          `(${q.id}) CPU time of this process (server and client) per query: ${cpu.toFixed(1)} ms; server time per query (mean, its request histogram): ${serverMs.toFixed(1)} ms; load average ${loadavg()[0]!.toFixed(1)}`,
        );
        report({
          name: `(${q.id}) ${q.what} [HTTP end to end]`,
          value: ms,
          unit: 'ms',
          baseline: { name: `bare storage read of the ${scanned.toLocaleString('en-US')} values involved`, value: baseMs },
          // Targets are for the full data set only.
          ...(q.targetMs === undefined || HOSTS !== 100 || HOURS !== 24 ? {} : { target: q.targetText, ok: ms <= q.targetMs }),
        });
      }
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
