// The side-by-side benchmark of issue 5, `npm run bench:peers`: Sluice, InfluxDB 1.6 and
// VictoriaMetrics, each started here on 127.0.0.1 with a temp data dir, loaded with the same
// TSBS cpu-only data over HTTP, asked the same six questions (docs/benchmarks.md), one peer at a
// time. Prints one table and writes bench/peers/results/latest.json.
//
// Knobs: PEERS_HOSTS (100), PEERS_HOURS (24), PEERS_RUNS (5 timed runs after 1 warm-up),
// PEERS_SETTLE_S (65), PEERS_ONLY (e.g. "sluice,vm"), PEERS_VM_CACHE=1 (let VictoriaMetrics answer
// repeated queries from its result cache), PEERS_REUSE=<results.json> (peers left out by
// PEERS_ONLY are taken from that earlier run of the same size, and marked as such).
//
// Run with --expose-gc (the npm script does): the harness then collects its own garbage before
// every timed exchange, so a pause of this process (the 300+ MB of line protocol it generated for
// loading, the 4.9 MB answers it just summarised) never lands inside a peer's timing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuOnlyBatches, CPU_FIELDS } from '../tsbs-cpu.js';
import { compareAnswer, type AnswerSummary } from './answer.js';
import { ensurePackageBinary } from './apt-install.js';
import { memoryUse, waitUntil } from './child-server.js';
import { diskUsage, diskUsageByEntry } from './disk-usage.js';
import { checkMachine, machineCheckLine } from './machine-speed.js';
import { computeGroundTruth } from './ground-truth.js';
import { InfluxdbPeer } from './influxdb-peer.js';
import type { Peer } from './peer.js';
import type { PeerResult, PeersReport, QuestionResult } from './peers-report.js';
import { QUESTION_IDS, type QuestionId, type Scenario } from './questions.js';
import { formatResultsTable, INFLUXDB, SLUICE, VICTORIA } from './results-table.js';
import { SluicePeer } from './sluice-peer.js';
import { VictoriaMetricsPeer } from './victoria-metrics-peer.js';

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
};

const HOSTS = env('PEERS_HOSTS', 100);
const HOURS = env('PEERS_HOURS', 24);
const RUNS = Math.max(1, env('PEERS_RUNS', 5));
const SETTLE_S = env('PEERS_SETTLE_S', 65);
const ONLY = (process.env['PEERS_ONLY'] ?? 'sluice,influxdb,vm').split(',').map((s) => s.trim().toLowerCase());
const VM_CACHE = process.env['PEERS_VM_CACHE'] === '1';
const REUSE = process.env['PEERS_REUSE'];
const BATCH_LINES = 5000;
const CONCURRENCY = 4;
const START_NS = 1767225600000000000n; // 2026-01-01T00:00:00Z, tsbs-cpu's default

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const log = (line: string): void => void process.stderr.write(`[peers] ${line}\n`);

/** Peers still running, stopped on the way out whatever the way out is. */
const live = new Set<Peer>();

async function stopAll(): Promise<void> {
  for (const peer of [...live]) {
    live.delete(peer);
    try {
      await peer.stop();
    } catch (e) {
      log(`stopping ${peer.name} failed: ${String(e)}`);
    }
  }
}

async function load(peer: Peer, batches: readonly Buffer[]): Promise<number> {
  let next = 0;
  const startNs = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) await peer.write(batches[next++]!);
    }),
  );
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}

/** This process's garbage collector when started with --expose-gc. */
const collectGarbage = (globalThis as { gc?: () => void }).gc;

/** Collects the harness's own garbage (when it can), so none of it is collected during a timed exchange. */
function settleHarness(): void {
  collectGarbage?.();
}

function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function runQuestion(peer: Peer, q: QuestionId, expected: AnswerSummary, totalFValues: number): Promise<QuestionResult | undefined> {
  const query = peer.queryText(q);
  if (query === undefined) return undefined;
  const result: QuestionResult = { query, timesMs: [], problems: [] };
  try {
    settleHarness();
    const warm = await peer.ask(q);
    const body = warm.body.toString('utf8');
    if (warm.status !== 200) {
      result.problems.push(`HTTP ${warm.status}: ${body.slice(0, 500)}`);
      return result;
    }
    const answer = peer.summarize(q, body);
    if (answer !== undefined) {
      result.answer = answer;
      result.expected = expected;
      result.problems.push(...compareAnswer(q, answer, expected));
    }
    for (let i = 0; i < RUNS; i++) {
      settleHarness();
      const reply = await peer.ask(q);
      if (reply.status !== 200) {
        result.problems.push(`timed run ${i + 1}: HTTP ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`);
        break;
      }
      result.timesMs.push(reply.elapsedMs);
    }
    result.medianMs = median(result.timesMs);
    if (q === 'f') {
      // Every run writes the same points again (same series and times): they overwrite.
      const stored = await peer.countTarget();
      if (stored !== totalFValues) result.problems.push(`bench_5m holds ${stored} values after (f), want ${totalFValues}`);
    }
  } catch (e) {
    result.problems.push((e as Error).message);
  }
  return result;
}

async function benchPeer(start: () => Promise<Peer>, name: string, batches: readonly Buffer[], truth: Record<QuestionId, AnswerSummary>, totalValues: number): Promise<PeerResult> {
  const result: PeerResult = { name, memory: {}, questions: {} };
  let peer: Peer | undefined;
  try {
    peer = await start();
    live.add(peer);
    log(`${name}: started (pid ${peer.pid}, data ${peer.dataDir}); loading ${batches.length} batches`);
    const elapsedMs = await load(peer, batches);
    result.ingest = { values: totalValues, elapsedMs, valuesPerSecond: (totalValues / elapsedMs) * 1000 };
    const loadedAt = Date.now();
    await peer.makeQueryable();
    let seen = 0;
    await waitUntil(`${name} to show all ${totalValues} values`, async () => (seen = await peer!.countValues()) === totalValues, 300_000, 500).catch((e: Error) => {
      throw new Error(`${e.message} (last count ${seen})`);
    });
    result.visibleAfterMs = Date.now() - loadedAt;
    result.memory.afterLoad = memoryUse(peer.pid);
    log(`${name}: ${Math.round(result.ingest.valuesPerSecond).toLocaleString('en-US')} values/s; all visible after ${result.visibleAfterMs} ms; settling`);
    result.settle = await peer.settle(SETTLE_S);
    await waitUntil(`${name} to show all values after settling`, async () => (await peer!.countValues()) === totalValues, 300_000, 500);
    const disk = diskUsage(peer.dataDir);
    result.disk = { ...disk, bytesPerValue: disk.allocatedBytes / totalValues, allocatedBytesByEntry: diskUsageByEntry(peer.dataDir) };
    settleHarness();
    result.machine = checkMachine();
    log(`${name}: machine check ${result.machine.probeMs.toFixed(1)} ms (load ${result.machine.loadAverage1m.toFixed(2)}); questions`);
    for (const q of QUESTION_IDS) {
      const r = await runQuestion(peer, q, truth[q], truth.f.values);
      if (r === undefined) continue;
      result.questions[q] = r;
      log(`${name} ${q}: median ${r.medianMs?.toFixed(1) ?? '—'} ms${r.problems.length > 0 ? ` — ${r.problems.join('; ')}` : ''}`);
    }
    result.memory.afterQueries = memoryUse(peer.pid);
  } catch (e) {
    result.error = (e as Error).message;
    log(`${name} FAILED: ${result.error}`);
  } finally {
    if (peer !== undefined) {
      live.delete(peer);
      await peer.stop();
    }
  }
  return result;
}

/** An earlier run's report, refused unless it measured the same data. */
function readEarlierRun(path: string): PeersReport {
  const earlier = JSON.parse(readFileSync(path, 'utf8')) as PeersReport;
  const { hosts, hours, runs } = earlier.scenario;
  if (hosts !== HOSTS || hours !== HOURS || runs !== RUNS) {
    throw new Error(`PEERS_REUSE: ${path} measured ${hosts} hosts × ${hours} h, ${runs} runs; this run is ${HOSTS} × ${HOURS} h, ${RUNS} runs`);
  }
  return earlier;
}

async function main(): Promise<void> {
  const scenario: Scenario = { startNs: START_NS, hours: HOURS, hosts: HOSTS };
  const startedAt = new Date().toISOString();
  const loadAverage1mAtStart = loadavg()[0]!;
  const sluiceMain = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
  if (ONLY.includes('sluice') && !existsSync(sluiceMain)) throw new Error(`${sluiceMain} is missing: run tsc -p tsconfig.build.json`);
  const influxd = ONLY.includes('influxdb') ? ensurePackageBinary('influxdb', 'influxd', log) : '';
  const victoria = ONLY.includes('vm') ? ensurePackageBinary('victoria-metrics', 'victoria-metrics', log) : '';

  log(`generating cpu-only data: ${HOSTS} hosts × ${HOURS} h × 10 s`);
  const texts = [...cpuOnlyBatches({ hosts: HOSTS, hours: HOURS, startNs: START_NS }, BATCH_LINES)];
  const batches = texts.map((t) => Buffer.from(t));
  const truth = computeGroundTruth(texts, scenario);
  texts.length = 0;
  const totalValues = truth.e.sum;
  if (totalValues !== HOSTS * HOURS * 360 * CPU_FIELDS.length) throw new Error(`generated ${totalValues} values, expected ${HOSTS * HOURS * 360 * CPU_FIELDS.length}`);
  log(`${totalValues.toLocaleString('en-US')} values in ${batches.length} batches of ${BATCH_LINES} lines, ${CONCURRENCY} requests at once`);

  const plan: Array<{ key: string; name: string; start: () => Promise<Peer> }> = [
    { key: 'sluice', name: SLUICE, start: () => SluicePeer.start(sluiceMain, scenario) },
    { key: 'influxdb', name: INFLUXDB, start: () => InfluxdbPeer.start(influxd, scenario) },
    { key: 'vm', name: VICTORIA, start: () => VictoriaMetricsPeer.start(victoria, scenario, VM_CACHE) },
  ];
  const earlier = REUSE === undefined || REUSE === '' ? undefined : readEarlierRun(REUSE);
  const peers: PeerResult[] = [];
  for (const p of plan) {
    if (ONLY.includes(p.key)) {
      peers.push(await benchPeer(p.start, p.name, batches, truth, totalValues));
    } else {
      const reused = earlier?.peers.find((r) => r.name === p.name);
      if (reused !== undefined) peers.push({ ...reused, reusedFrom: { startedAt: earlier!.startedAt, path: REUSE! } });
    }
  }

  const report: PeersReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, loadAverage1mAtStart, node: process.version },
    harnessGcBetweenRuns: collectGarbage !== undefined,
    scenario: { hosts: HOSTS, hours: HOURS, values: totalValues, startNs: START_NS.toString(), batchLines: BATCH_LINES, concurrency: CONCURRENCY, runs: RUNS },
    peers,
  };
  const resultsDir = join(repoRoot, 'bench', 'peers', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = join(resultsDir, 'latest.json');
  writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');

  process.stdout.write(
    `\nPeer benchmark: ${HOSTS} hosts × ${HOURS} h = ${totalValues.toLocaleString('en-US')} values; medians of ${RUNS} runs after a warm-up, ms end to end over HTTP; ` +
      `${cpus().length} CPUs, load average ${loadAverage1mAtStart.toFixed(2)} at start${VM_CACHE ? '; VictoriaMetrics result cache ON' : ''}` +
      `${collectGarbage === undefined ? '; WARNING: no --expose-gc, so the harness\'s own GC pauses may fall inside timed runs' : '; harness GC before each timed run'}\n\n`,
  );
  process.stdout.write(formatResultsTable(report) + '\n\n');
  const check = machineCheckLine(peers);
  if (check !== undefined) process.stdout.write(`${check}\n`);
  for (const p of peers) {
    if (p.reusedFrom !== undefined) process.stdout.write(`NOTE: ${p.name} figures reused from the run of ${p.reusedFrom.startedAt} (${p.reusedFrom.path})\n`);
  }
  for (const p of peers) {
    if (p.error !== undefined) process.stdout.write(`WARNING: ${p.name} failed: ${p.error}\n`);
    for (const [q, r] of Object.entries(p.questions)) {
      for (const problem of r.problems) process.stdout.write(`WARNING: ${p.name} (${q}) disagrees: ${problem}\n`);
    }
  }
  process.stdout.write(`results: ${jsonPath}\n`);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: stopping the servers`);
    void stopAll().finally(() => process.exit(130));
  });
}

main().then(
  () => stopAll(),
  async (e: unknown) => {
    process.stderr.write(`bench:peers failed: ${(e as Error).stack ?? String(e)}\n`);
    await stopAll();
    process.exitCode = 1;
  },
);
