// The side-by-side benchmark of issue 5, `npm run bench:peers`: Sluice, InfluxDB 1.6 and
// VictoriaMetrics, each started here on 127.0.0.1 with a temp data dir, loaded with the same
// TSBS cpu-only data over HTTP, asked the same six questions (docs/benchmarks.md). Ingest is
// measured in rounds (each peer loads a fresh instance in turn, the order rotating per round);
// the questions run with every peer up, interleaved (each round of timed runs asks each peer
// once, the order rotating), so a machine whose speed drifts during the run slows every peer
// alike. Prints one table and writes bench/peers/results/latest.json.
//
// Knobs: PEERS_HOSTS (100), PEERS_HOURS (24), PEERS_RUNS (5 timed runs after 1 warm-up),
// PEERS_INGEST_ROUNDS (3), PEERS_SETTLE_S (65), PEERS_ONLY (e.g. "sluice,vm"), PEERS_VM_CACHE=1 (let VictoriaMetrics answer
// repeated queries from its result cache), PEERS_REUSE=<results.json> (peers left out by
// PEERS_ONLY are taken from that earlier run of the same size, and marked as such).
//
// Run with --expose-gc (the npm script does): the harness then collects its own garbage before
// every exchange (all of it before a warm-up, the young generation before a timed run:
// harness-gc.ts), so a pause of this process (the 300+ MB of line protocol it generated for
// loading, the 4.9 MB answers it just summarised) rarely lands inside a peer's timing, and the
// collection time that does is recorded per run. Before every
// exchange it also waits until the other servers are quiet (quiet.ts), so no peer is timed while
// the one asked before it is still busy after answering.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { cpuOnlyBatches, CPU_FIELDS } from '../tsbs-cpu.js';
import { compareAnswer, type AnswerSummary } from './answer.js';
import { ensurePackageBinary } from './apt-install.js';
import { memoryUse, waitUntil } from './child-server.js';
import { diskUsage, diskUsageByEntry } from './disk-usage.js';
import { checkMachine, machineCheckLine, type LabelledCheck } from './machine-speed.js';
import { computeGroundTruth } from './ground-truth.js';
import { FULL_AFTER_GROWTH_BYTES, HarnessGc } from './harness-gc.js';
import { InfluxdbPeer } from './influxdb-peer.js';
import type { Peer } from './peer.js';
import type { PeerResult, PeersReport, QuestionResult } from './peers-report.js';
import { processCpuNs } from './process-cpu.js';
import { QUIET, waitForQuiet } from './quiet.js';
import { rotated } from './rotation.js';
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
const INGEST_ROUNDS = Math.max(1, Math.floor(env('PEERS_INGEST_ROUNDS', 3)));
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

/** This process's own garbage collection (harness-gc.ts). */
const harnessGc = new HarnessGc();

/** A full collection of the harness's own garbage (when it can), so none of it is collected during a timed exchange. */
function settleHarness(): void {
  harnessGc.full();
}

function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A peer taking part: how to start it, its results, and (during the questions) its server. */
interface Entrant {
  readonly key: string;
  readonly name: string;
  readonly start: () => Promise<Peer>;
  readonly result: PeerResult;
  peer?: Peer;
}

const failed = (e: Entrant, phase: string, error: unknown): void => {
  e.result.error = `${phase}: ${(error as Error).message}`;
  log(`${e.name} FAILED (${phase}): ${(error as Error).message}`);
};

/** Starts a fresh instance of the peer, loads it, and stops it (removing its data): one ingest figure. */
async function ingestOnce(e: Entrant, batches: readonly Buffer[]): Promise<number> {
  const peer = await e.start();
  live.add(peer);
  try {
    return await load(peer, batches);
  } finally {
    live.delete(peer);
    await peer.stop();
  }
}

/**
 * The load rounds: in each, every peer in turn loads a fresh instance while nothing else runs;
 * the order rotates per round, so a slow spell of the machine does not always fall on the same
 * peer. The figure is the median round.
 */
async function measureIngest(entrants: readonly Entrant[], batches: readonly Buffer[], totalValues: number, checks: LabelledCheck[]): Promise<void> {
  const rounds = new Map<Entrant, { elapsedMs: number; valuesPerSecond: number }[]>(entrants.map((e) => [e, []]));
  for (let r = 0; r < INGEST_ROUNDS; r++) {
    for (const e of rotated(entrants, r)) {
      if (e.result.error !== undefined) continue;
      settleHarness();
      const check = checkMachine();
      checks.push({ label: `${e.name} load ${r + 1}`, ...check });
      try {
        const elapsedMs = await ingestOnce(e, batches);
        const valuesPerSecond = (totalValues / elapsedMs) * 1000;
        rounds.get(e)!.push({ elapsedMs, valuesPerSecond });
        log(`${e.name}: load round ${r + 1}/${INGEST_ROUNDS}: ${Math.round(valuesPerSecond).toLocaleString('en-US')} values/s (machine check ${check.probeMs.toFixed(1)} ms)`);
      } catch (err) {
        failed(e, `load round ${r + 1}`, err);
      }
    }
  }
  for (const e of entrants) {
    const done = rounds.get(e)!;
    if (done.length === 0) continue;
    const byRate = [...done].sort((a, b) => a.valuesPerSecond - b.valuesPerSecond);
    const mid = byRate[Math.floor(byRate.length / 2)]!;
    e.result.ingest = { values: totalValues, elapsedMs: mid.elapsedMs, valuesPerSecond: mid.valuesPerSecond, rounds: done };
  }
}

/** Starts the instance the questions will ask, loads it (untimed), and waits until every value is counted. */
async function prepareForQuestions(e: Entrant, batches: readonly Buffer[], totalValues: number): Promise<void> {
  const peer = await e.start();
  e.peer = peer;
  live.add(peer);
  log(`${e.name}: started for the questions (pid ${peer.pid}, data ${peer.dataDir}); loading`);
  await load(peer, batches);
  const loadedAt = Date.now();
  await peer.makeQueryable();
  let seen = 0;
  await waitUntil(`${e.name} to show all ${totalValues} values`, async () => (seen = await peer.countValues()) === totalValues, 300_000, 500).catch((err: Error) => {
    throw new Error(`${err.message} (last count ${seen})`);
  });
  e.result.visibleAfterMs = Date.now() - loadedAt;
  e.result.memory.afterLoad = memoryUse(peer.pid);
}

/** Every peer's settle step at once (they are mostly waits), then disk use. */
async function settleAll(entrants: readonly Entrant[], totalValues: number): Promise<void> {
  log(`settling every peer at once (${SETTLE_S} s)`);
  await Promise.all(
    entrants.map(async (e) => {
      const peer = e.peer!;
      try {
        e.result.settle = await peer.settle(SETTLE_S);
        await waitUntil(`${e.name} to show all values after settling`, async () => (await peer.countValues()) === totalValues, 300_000, 500);
        const disk = diskUsage(peer.dataDir);
        e.result.disk = { ...disk, bytesPerValue: disk.allocatedBytes / totalValues, allocatedBytesByEntry: diskUsageByEntry(peer.dataDir) };
      } catch (err) {
        failed(e, 'settle', err);
      }
    }),
  );
}

/** CPU used so far by every asked peer's server other than `except`, ns. */
function othersCpu(entrants: readonly Entrant[], except: Entrant): Map<Entrant, number> {
  const m = new Map<Entrant, number>();
  for (const e of entrants) {
    if (e === except || e.peer === undefined) continue;
    const ns = processCpuNs(e.peer.pid);
    if (ns !== undefined) m.set(e, ns);
  }
  return m;
}

/**
 * One question on every peer: a warm-up each (its answer checked), then RUNS rounds asking each
 * peer once, the order rotated per round. CPU the other servers use meanwhile is added to their
 * `cpuWhileOthersTimedMs`.
 */
async function askAll(entrants: readonly Entrant[], q: QuestionId, expected: AnswerSummary, totalFValues: number, otherCpuNs: Map<Entrant, number>): Promise<void> {
  const asked: Entrant[] = [];
  for (const e of entrants) {
    const peer = e.peer!;
    const query = peer.queryText(q);
    if (query === undefined) continue;
    const result: QuestionResult = {
      query,
      timesMs: [],
      problems: [],
      quietWaitMs: [],
      notQuietRuns: 0,
      othersCpuMs: [],
      harnessGcMs: [],
      harnessMajorGcMs: [],
      serverCpuMs: [],
      harnessCpuMs: [],
    };
    e.result.questions[q] = result;
    try {
      await settleFor(entrants, e, 'full');
      const warm = await peer.ask(q);
      const body = warm.body.toString('utf8');
      if (warm.status !== 200) {
        result.problems.push(`HTTP ${warm.status}: ${body.slice(0, 500)}`);
        continue;
      }
      const answer = peer.summarize(q, body);
      if (answer !== undefined) {
        result.answer = answer;
        result.expected = expected;
        result.problems.push(...compareAnswer(q, answer, expected));
      }
      asked.push(e);
    } catch (err) {
      result.problems.push((err as Error).message);
    }
  }
  const stopped = new Set<Entrant>();
  for (let i = 0; i < RUNS; i++) {
    for (const e of rotated(asked, i)) {
      if (stopped.has(e)) continue;
      const result = e.result.questions[q]!;
      try {
        const quiet = await settleFor(entrants, e, 'young');
        result.quietWaitMs!.push(quiet.waitedMs);
        if (!quiet.quiet) result.notQuietRuns! += 1;
        const before = othersCpu(entrants, e);
        const ownBefore = processCpuNs(e.peer!.pid);
        const harnessBefore = process.cpuUsage();
        const fromMs = performance.now();
        const reply = await e.peer!.ask(q, true);
        const toMs = performance.now();
        const harnessCpu = process.cpuUsage(harnessBefore);
        const ownAfter = processCpuNs(e.peer!.pid);
        if (ownBefore !== undefined && ownAfter !== undefined) result.serverCpuMs!.push((ownAfter - ownBefore) / 1e6);
        result.harnessCpuMs!.push((harnessCpu.user + harnessCpu.system) / 1000);
        const gc = await harnessGc.within(fromMs, toMs);
        result.harnessGcMs!.push(gc.ms);
        result.harnessMajorGcMs!.push(gc.majorMs);
        let duringNs = 0;
        for (const [other, ns] of othersCpu(entrants, e)) {
          const was = before.get(other);
          if (was === undefined) continue;
          otherCpuNs.set(other, (otherCpuNs.get(other) ?? 0) + (ns - was));
          duringNs += ns - was;
        }
        result.othersCpuMs!.push(duringNs / 1e6);
        if (reply.status !== 200) {
          result.problems.push(`timed run ${i + 1}: HTTP ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`);
          stopped.add(e);
          continue;
        }
        result.timesMs.push(reply.elapsedMs);
      } catch (err) {
        result.problems.push(`timed run ${i + 1}: ${(err as Error).message}`);
        stopped.add(e);
      }
    }
  }
  for (const e of asked) {
    const result = e.result.questions[q]!;
    result.medianMs = median(result.timesMs);
    if (q === 'f') {
      // Every run writes the same points again (same series and times): they overwrite.
      try {
        const stored = await e.peer!.countTarget();
        if (stored !== totalFValues) result.problems.push(`bench_5m holds ${stored} values after (f), want ${totalFValues}`);
      } catch (err) {
        result.problems.push((err as Error).message);
      }
    }
    log(`${e.name} ${q}: median ${result.medianMs?.toFixed(1) ?? '—'} ms${result.problems.length > 0 ? ` — ${result.problems.join('; ')}` : ''}`);
  }
}

/** CPU used so far by every asked peer's server other than `except`, summed, ns. */
function othersCpuTotal(entrants: readonly Entrant[], except: Entrant): number {
  let total = 0;
  for (const ns of othersCpu(entrants, except).values()) total += ns;
  return total;
}

/**
 * Before `e` is asked: the harness's own garbage collected (all of it before a warm-up, the young
 * generation before a timed run: harness-gc.ts says why), then a wait until the other servers are
 * done with their own work (see quiet.ts).
 */
async function settleFor(entrants: readonly Entrant[], e: Entrant, collect: 'full' | 'young'): Promise<{ waitedMs: number; quiet: boolean }> {
  if (collect === 'full') harnessGc.full();
  else harnessGc.beforeTimedRun();
  return waitForQuiet(() => othersCpuTotal(entrants, e));
}

/** Loads, settles and asks every peer; fills in each entrant's result. */
async function benchAll(entrants: readonly Entrant[], batches: readonly Buffer[], truth: Record<QuestionId, AnswerSummary>, totalValues: number, checks: LabelledCheck[]): Promise<void> {
  await measureIngest(entrants, batches, totalValues, checks);
  for (const e of entrants) {
    if (e.result.error !== undefined) continue;
    try {
      await prepareForQuestions(e, batches, totalValues);
    } catch (err) {
      failed(e, 'loading for the questions', err);
    }
  }
  const up = (): Entrant[] => entrants.filter((e) => e.peer !== undefined && e.result.error === undefined);
  await settleAll(up(), totalValues);
  const asked = up();
  settleHarness();
  const check = checkMachine();
  checks.push({ label: 'questions', ...check });
  log(`machine check ${check.probeMs.toFixed(1)} ms (load ${check.loadAverage1m.toFixed(2)}); questions, interleaved across ${asked.map((e) => e.name).join(', ')}`);
  const otherCpuNs = new Map<Entrant, number>();
  for (const q of QUESTION_IDS) await askAll(asked, q, truth[q], truth.f.values, otherCpuNs);
  for (const e of asked) {
    e.result.cpuWhileOthersTimedMs = (otherCpuNs.get(e) ?? 0) / 1e6;
    e.result.memory.afterQueries = memoryUse(e.peer!.pid);
  }
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
  const entrants: Entrant[] = plan.filter((p) => ONLY.includes(p.key)).map((p) => ({ ...p, result: { name: p.name, memory: {}, questions: {} } }));
  const machineChecks: LabelledCheck[] = [];
  try {
    await benchAll(entrants, batches, truth, totalValues, machineChecks);
  } finally {
    await stopAll();
  }
  const peers: PeerResult[] = [];
  for (const p of plan) {
    const measured = entrants.find((e) => e.key === p.key);
    if (measured !== undefined) {
      peers.push(measured.result);
    } else {
      const reused = earlier?.peers.find((r) => r.name === p.name);
      if (reused !== undefined) peers.push({ ...reused, reusedFrom: { startedAt: earlier!.startedAt, path: REUSE! } });
    }
  }

  const report: PeersReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, loadAverage1mAtStart, node: process.version },
    harnessGcBetweenRuns: harnessGc.available,
    harnessGc: harnessGc.available ? `full before each warm-up; before each timed run the young generation, or full after ${FULL_AFTER_GROWTH_BYTES >> 20} MiB of growth` : undefined,
    scenario: { hosts: HOSTS, hours: HOURS, values: totalValues, startNs: START_NS.toString(), batchLines: BATCH_LINES, concurrency: CONCURRENCY, runs: RUNS },
    method: { ingestRounds: INGEST_ROUNDS, interleavedQuestions: true, quietOthers: QUIET },
    machineChecks,
    peers,
  };
  const resultsDir = join(repoRoot, 'bench', 'peers', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = join(resultsDir, 'latest.json');
  writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');

  process.stdout.write(
    `\nPeer benchmark: ${HOSTS} hosts × ${HOURS} h = ${totalValues.toLocaleString('en-US')} values; ingest the median of ${INGEST_ROUNDS} load rounds taking turns; queries the medians of ${RUNS} runs after a warm-up, interleaved across the peers, ms end to end over HTTP; ` +
      `${cpus().length} CPUs, load average ${loadAverage1mAtStart.toFixed(2)} at start${VM_CACHE ? '; VictoriaMetrics result cache ON' : ''}` +
      `${harnessGc.available ? '; harness GC: full before each warm-up, young generation (or full after 32 MiB of growth) before each timed run; timed runs read and drop the body' : '; WARNING: no --expose-gc, so the harness\'s own GC pauses may fall inside timed runs'}\n\n`,
  );
  process.stdout.write(formatResultsTable(report) + '\n\n');
  const check = machineCheckLine(machineChecks);
  if (check !== undefined) process.stdout.write(`${check}\n`);
  const background = peers.filter((p) => p.cpuWhileOthersTimedMs !== undefined && p.reusedFrom === undefined);
  if (background.length > 1) {
    process.stdout.write(
      `CPU each server used while the others' timed runs were in flight: ${background.map((p) => `${p.name} ${p.cpuWhileOthersTimedMs!.toFixed(1)} ms`).join(', ')}\n`,
    );
  }
  const waits = peers.filter((p) => p.reusedFrom === undefined && Object.values(p.questions).some((r) => (r.quietWaitMs?.length ?? 0) > 0));
  if (waits.length > 1) {
    const line = waits.map((p) => {
      const rs = Object.values(p.questions);
      const during = rs.flatMap((r) => r.othersCpuMs ?? []);
      const waited = rs.flatMap((r) => r.quietWaitMs ?? []);
      const busy = rs.reduce((n, r) => n + (r.notQuietRuns ?? 0), 0);
      return `${p.name} ${median(during)?.toFixed(1) ?? '—'} ms (waited ${median(waited)?.toFixed(0) ?? '—'} ms for quiet${busy > 0 ? `, ${busy} runs started with the others still busy` : ''})`;
    });
    process.stdout.write(`CPU the other servers used during each peer's timed runs (median per run): ${line.join(', ')}\n`);
  }
  const gcTimed = peers.filter((p) => p.reusedFrom === undefined && Object.values(p.questions).some((r) => (r.harnessGcMs?.length ?? 0) > 0));
  if (gcTimed.length > 0) {
    const line = gcTimed.map((p) => {
      const runs = Object.values(p.questions).flatMap((r) => r.harnessGcMs ?? []);
      const major = Object.values(p.questions).flatMap((r) => r.harnessMajorGcMs ?? []);
      const hit = runs.filter((ms) => ms > 0);
      const sum = (xs: number[]): string => xs.reduce((a, b) => a + b, 0).toFixed(1);
      return `${p.name} ${sum(hit)} ms (${sum(major)} ms major) in ${hit.length} of ${runs.length} runs`;
    });
    process.stdout.write(`The harness's own GC inside timed runs: ${line.join(', ')}\n`);
  }
  const cpuTimed = peers.filter((p) => p.reusedFrom === undefined && (p.questions.a?.serverCpuMs?.length ?? 0) > 0);
  if (cpuTimed.length > 0) {
    const runs = (xs: number[] | undefined): string => (xs ?? []).map((ms) => ms.toFixed(1)).join(', ');
    const line = cpuTimed.map((p) => `${p.name} server ${runs(p.questions.a!.serverCpuMs)}, harness ${runs(p.questions.a!.harnessCpuMs)}`);
    process.stdout.write(`CPU in each timed run of (a), ms: ${line.join('; ')}\n`);
  }
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
).finally(() => harnessGc.stop());
