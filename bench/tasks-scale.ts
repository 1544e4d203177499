// Task scale benchmark (issue 6), `npm run bench:tasks`: a real server in this process (127.0.0.1,
// port 0, temp data dir, default limits: task runs have their own query controller capped at
// --task-max-concurrency, 100), with real time, since the delays are wall-clock figures.
//
// Two delays, both from the run's due time (scheduledFor + offset), from the scheduler's events:
// - scheduler lateness: due → the run is created and handed to the executor's queue (InfluxDB's
//   task_scheduler_schedule_delay, observed where its treescheduler observes it). This is the
//   scheduler's own work; it must stay far below 250 ms even for 10,000 runs due at once.
// - start delay: due → the run starts executing (task_executor_run_latency_seconds): lateness plus
//   the wait for a global execution slot.
//
// 1. 10,000 tasks `every: 1m`, each reading a small range and writing one point, all due at :00 (as
//    InfluxDB aligns them). One slot of every task (10,000 runs due at the same instant) is
//    measured: both delays' p50/p99/max, the time to create and queue the burst (first to last
//    hand-off to the executor), the drain time (:00 → last finish), the drain rate = the highest
//    sustainable runs/s, and peak RSS. A burst this size can start within 250 ms only at ≥ 40,000
//    runs/s, so the same load is also measured spread over the minute (`offset: <i mod 60>s`,
//    ~167 runs/s), where the start-delay target is about the steady state.
// 2. Catch-up: 100 tasks created 60 minutes "ago" (a server with its clock an hour behind creates
//    them and stops), then a server on the real clock starts and runs the 60 missed slots of each
//    (catchup "all"): time until all 6,000 runs finished, and runs/s.
//
// Baseline, measured in the same run on the same server: bare `/api/v2/query` calls running the
// same Flux (without `to`) at the query concurrency, i.e. what the interactive query path does
// without the task engine. The run store's own cost is in tasks-run-store.bench.ts.
//
// Runs for ~8 minutes (it waits for whole minutes); SCALE_TASKS and SCALE_PHASES shorten it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { SystemClock, type Clock, type TimerHandle } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { defaultConfig } from '../src/server/config.js';
import { defaultServerDeps } from '../src/server/default-server-deps.js';
import { Server } from '../src/server/server.js';
import { tasksComponent } from '../src/server/tasks-component.js';
import { queryComponent } from '../src/http/routes/query-component.js';
import type { SchedulerMetrics } from '../src/tasks/index.js';
import { formatFigure, type BenchFigure, type BenchSuite } from './harness.js';

const TASKS = Number(process.env['SCALE_TASKS'] ?? 10_000);
/** `SCALE_PHASES=catchup,spread,aligned` (the default: all three) picks the measurements. */
const PHASES = (process.env['SCALE_PHASES'] ?? 'catchup,spread,aligned').split(',');
/** `SCALE_WARMUP=0` measures each task's first run (compiling its script) instead of the steady state. */
const WARMUP = process.env['SCALE_WARMUP'] !== '0';
/** `SCALE_HEAPSNAPSHOT=<file>` writes a V8 heap snapshot mid-burst of the measured slot (slows that slot). */
const SNAPSHOT = process.env['SCALE_HEAPSNAPSHOT'];
const CATCHUP_TASKS = 100;
const CATCHUP_SLOTS = 60;
const MINUTE_MS = 60_000;
/** How long a measured slot may take to drain before the figure is reported as incomplete. */
const DRAIN_LIMIT_MS = 150_000;

/** The real clock moved by a fixed offset (to create tasks "an hour ago"). */
class ShiftedClock implements Clock {
  private readonly system = new SystemClock();
  constructor(private readonly offsetMs: number) {}
  nowMs(): number {
    return this.system.nowMs() + this.offsetMs;
  }
  nowNs(): bigint {
    return this.system.nowNs() + BigInt(this.offsetMs) * 1_000_000n;
  }
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    return this.system.setTimer(delayMs, fn);
  }
}

interface Running {
  server: Server;
  url: string;
  token: string;
  orgID: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Per-run delays from the scheduler's events (exact, unlike the /metrics histograms' buckets). */
class DelayRecorder implements SchedulerMetrics {
  /** By scheduledFor (ms): [wall ms when queued, lateness ms] and start delays (ms). */
  readonly queued = new Map<number, [number, number][]>();
  readonly started = new Map<number, number[]>();
  /** Runs finished, by scheduledFor (ms). */
  readonly finished = new Map<number, number>();

  runQueued(e: { scheduledForNs: bigint; scheduleDelayNs: bigint }): void {
    push(this.queued, Number(e.scheduledForNs / 1_000_000n), [performance.timeOrigin + performance.now(), Number(e.scheduleDelayNs) / 1e6]);
  }
  runStarted(e: { scheduledForNs: bigint; startDelayNs: bigint }): void {
    push(this.started, Number(e.scheduledForNs / 1_000_000n), Number(e.startDelayNs) / 1e6);
  }
  /** Process CPU when the slot's last run finished, by scheduledFor (ms). */
  readonly cpuWhenDone = new Map<number, NodeJS.CpuUsage>();

  runFinished(e: { scheduledForNs: bigint }): void {
    const k = Number(e.scheduledForNs / 1_000_000n);
    const n = (this.finished.get(k) ?? 0) + 1;
    this.finished.set(k, n);
    if (n === TASKS) this.cpuWhenDone.set(k, process.cpuUsage());
  }
  attemptFailed(): void {}
  slotsSkipped(): void {}
}

function push<T>(m: Map<number, T[]>, k: number, v: T): void {
  const list = m.get(k);
  if (list === undefined) m.set(k, [v]);
  else list.push(v);
}

async function startServer(dataDir: string, clock?: Clock, observer?: SchedulerMetrics): Promise<Server> {
  const deps = defaultServerDeps({ logger: silentLogger(), ...(clock === undefined ? {} : { clock }) });
  // The default wiring, with the recorder also receiving the scheduler's events.
  deps.components = (ctx) => {
    const query = queryComponent(ctx, {
      maxConcurrent: ctx.config.queryConcurrency,
      maxQueued: ctx.config.queryQueueSize,
      memoryBytes: ctx.config.queryMemoryBytes,
      timeoutMs: ctx.config.queryTimeoutMs,
    });
    return [query, tasksComponent(ctx, { query: query.service, ...(observer === undefined ? {} : { observer }) })];
  };
  return Server.start({ ...defaultConfig(), httpBindAddress: '127.0.0.1:0', dataDir, logLevel: 'silent', shutdownTimeoutMs: 10_000 }, deps);
}

async function api(r: Running, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
  const res = await fetch(`${r.url}${path}`, {
    method,
    headers: { authorization: `Token ${r.token}`, 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

/** Onboards, makes the `out` bucket and writes a few source points at the current real time. */
async function prepare(server: Server): Promise<Running> {
  const res = await fetch(`${server.url}/api/v2/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'password123', org: 'acme', bucket: 'telemetry', retentionPeriodSeconds: 0 }),
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { org: { id: string }; auth: { token: string } };
  const r: Running = { server, url: server.url, token: body.auth.token, orgID: body.org.id };
  await api(r, 'POST', '/api/v2/buckets', { orgID: r.orgID, name: 'out', retentionRules: [] });
  await writeSource(r);
  return r;
}

async function writeSource(r: Running): Promise<void> {
  // One point a minute per host over the last 70 minutes, so catch-up runs read data too.
  const nowS = Math.floor(Date.now() / 1000);
  const lines = Array.from({ length: 70 * 3 }, (_, i) => `src,host=h${i % 3} v=${i} ${nowS - 70 * 60 + Math.floor(i / 3) * 60}`).join('\n');
  await api(r, 'POST', `/api/v2/write?org=acme&bucket=telemetry&precision=s`, lines, 'text/plain');
}

/** Reads a small range and writes one point. */
const QUERY = 'from(bucket: "telemetry") |> range(start: -15m) |> filter(fn: (r) => r._measurement == "src" and r.host == "h0") |> last() |> to(bucket: "out")';

function taskFlux(i: number, offsetS: number): string {
  const offset = offsetS === 0 ? '' : `, offset: ${offsetS}s`;
  return `option task = {name: "scale-${i}", every: 1m${offset}}\n${QUERY}\n`;
}

/** Creates `n` tasks through the HTTP API, a few requests in flight. Returns their ids. */
async function createTasks(r: Running, n: number, offsetOf: (i: number) => number): Promise<string[]> {
  const ids: string[] = new Array<string>(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      const res = await api(r, 'POST', '/api/v2/tasks', { orgID: r.orgID, flux: taskFlux(i, offsetOf(i)) });
      ids[i] = ((await res.json()) as { id: string }).id;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

interface SlotRun {
  status: string;
  finishedAtMs: number | undefined;
}

/** Every run of `taskIds` whose scheduledFor is in `[fromMs, toMs)`, from the metadata DB. */
function runsBetween(server: Server, taskIds: readonly string[], fromMs: number, toMs: number): SlotRun[] {
  const out: SlotRun[] = [];
  for (const id of taskIds) {
    const runs = server.meta.runs.listRuns(id, { afterNs: BigInt(fromMs) * 1_000_000n - 1n, beforeNs: BigInt(toMs) * 1_000_000n, limit: 1000 });
    for (const run of runs) {
      out.push({
        status: run.status,
        finishedAtMs: run.finishedAtNs === undefined ? undefined : Number(run.finishedAtNs / 1_000_000n),
      });
    }
  }
  return out;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const finished = (runs: readonly SlotRun[]): boolean =>
  runs.every((x) => x.status === 'success' || x.status === 'failed' || x.status === 'canceled');

/** Peak RSS while `fn` runs, sampled every 250 ms. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssBytes: number; atPeak: NodeJS.MemoryUsage }> {
  let atPeak = process.memoryUsage();
  const sample = (): void => {
    const m = process.memoryUsage();
    if (m.rss > atPeak.rss) atPeak = m;
  };
  const t = setInterval(sample, 250);
  try {
    const result = await fn();
    sample();
    return { result, peakRssBytes: atPeak.rss, atPeak };
  } finally {
    clearInterval(t);
  }
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** process.memoryUsage() in MiB, for the console: where the peak RSS is (heap, external, buffers). */
const memoryLine = (m: NodeJS.MemoryUsage): string =>
  `rss ${mib(m.rss)}, heapTotal ${mib(m.heapTotal)}, heapUsed ${mib(m.heapUsed)}, external ${mib(m.external)}, arrayBuffers ${mib(m.arrayBuffers)}`;

/** The query path alone: `count` queries of the same Flux (without `to`) at `concurrency`. */
async function bareQueriesPerSecond(r: Running, count: number, concurrency: number): Promise<number> {
  const flux = QUERY.replace(' |> to(bucket: "out")', '');
  let next = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next++ < count) {
      const res = await api(r, 'POST', `/api/v2/query?orgID=${r.orgID}`, { query: flux, type: 'flux' });
      await res.text();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (count / (performance.now() - t0)) * 1000;
}

/**
 * One measured slot of `TASKS` tasks: creates them, waits for the first minute boundary after
 * all exist, then until every run of that slot (plus its offset) finished.
 */
async function measureSlot(label: string, offsetOf: (i: number) => number, burst: boolean, report: (f: BenchFigure) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-scale-'));
  const recorder = new DelayRecorder();
  const server = await startServer(dir, undefined, recorder);
  try {
    const r = await prepare(server);
    const queryBaseline = await bareQueriesPerSecond(r, 2_000, server.config.queryConcurrency || 16);
    const t0 = performance.now();
    const ids = await createTasks(r, TASKS, offsetOf);
    const createS = (performance.now() - t0) / 1000;
    console.log(`${label}: created ${TASKS} tasks in ${createS.toFixed(1)} s`);
    // Runs of slots that passed while the tasks were being created drain first. Then one whole
    // slot runs unmeasured (every task's first run compiles its script; later runs reuse it), and
    // the measured slot is the next whole minute after that one drained: the steady state, from
    // an idle engine.
    while (server.meta.runs.findUnfinishedRuns().length > 0) await sleep(500);
    if (WARMUP) {
      const warmMs = Math.ceil((Date.now() + 1) / MINUTE_MS) * MINUTE_MS;
      await sleep(warmMs + MINUTE_MS - Date.now());
      while (server.meta.runs.findUnfinishedRuns().length > 0) await sleep(500);
      console.log(`${label}: warm-up slot ${new Date(warmMs).toISOString()} done`);
    }
    const slotMs = Math.ceil((Date.now() + 1) / MINUTE_MS) * MINUTE_MS;
    // Process CPU (user + system, all threads) from just before the slot to its last run's
    // finish: on a shared machine the wall-clock figures move with the load, CPU per run less.
    let cpuAtSlot: NodeJS.CpuUsage | undefined;
    let cpuSlot: NodeJS.CpuUsage | undefined;
    const { result: runs, peakRssBytes, atPeak } = await withPeakRss(async () => {
      if (SNAPSHOT !== undefined) {
        // Mid-burst (half the slot's runs finished): what the engine holds while it drains.
        await sleep(slotMs - Date.now());
        while ((recorder.finished.get(slotMs) ?? 0) < TASKS / 2 && Date.now() < slotMs + DRAIN_LIMIT_MS) await sleep(50);
        console.log(`${label}: heap snapshot ${writeHeapSnapshot(SNAPSHOT)} (${memoryLine(process.memoryUsage())})`);
      }
      await sleep(slotMs - 200 - Date.now());
      cpuAtSlot = process.cpuUsage();
      await sleep(slotMs + MINUTE_MS - Date.now());
      // Waits on the recorder's count (reading 10,000 run records while runs execute would be
      // work on the server's event loop, i.e. part of what is measured), then reads them once.
      const deadline = slotMs + DRAIN_LIMIT_MS;
      while ((recorder.finished.get(slotMs) ?? 0) < TASKS && Date.now() < deadline) await sleep(250);
      const doneCpu = recorder.cpuWhenDone.get(slotMs);
      if (doneCpu !== undefined && cpuAtSlot !== undefined) {
        cpuSlot = { user: doneCpu.user - cpuAtSlot.user, system: doneCpu.system - cpuAtSlot.system };
      }
      return runsBetween(server, ids, slotMs, slotMs + 1);
    });
    const ok = runs.filter((x) => x.status === 'success').length;
    const done = runs.filter((x) => x.finishedAtMs !== undefined);
    const lastFinishMs = Math.max(...done.map((x) => x.finishedAtMs!));
    const spanMs = Math.max(lastFinishMs - slotMs, 1);
    console.log(`${label}: slot ${new Date(slotMs).toISOString()}: ${runs.length} runs, ${ok} success, ${done.length - ok} failed/canceled, ${TASKS - done.length} unfinished`);
    const queued = recorder.queued.get(slotMs) ?? [];
    const lateness = queued.map(([, ms]) => ms).sort((a, b) => a - b);
    const starts = (recorder.started.get(slotMs) ?? []).sort((a, b) => a - b);
    const complete = done.length === TASKS && lateness.length === TASKS && starts.length === TASKS;
    const p99Late = percentile(lateness, 99);
    const p99Start = percentile(starts, 99);
    report({ name: `${label}: scheduler lateness (due → queued for the executor) p50`, value: percentile(lateness, 50), unit: 'ms' });
    report({ name: `${label}: scheduler lateness p99`, value: p99Late, unit: 'ms', target: '<= 250', ok: p99Late <= 250 && complete });
    report({ name: `${label}: scheduler lateness max`, value: lateness.at(-1) ?? Number.NaN, unit: 'ms' });
    if (burst && queued.length > 1) {
      // From the first hand-off to the last: the scheduler's own cost of a burst (one timer
      // wake-up creates and queues every run due at that instant).
      const wall = queued.map(([at]) => at);
      report({ name: `${label}: create + queue the slot's ${queued.length} runs (first → last hand-off)`, value: Math.max(...wall) - Math.min(...wall), unit: 'ms', target: '<= 100', ok: Math.max(...wall) - Math.min(...wall) <= 100 });
    }
    report({ name: `${label}: start delay (due → executing) p50`, value: percentile(starts, 50), unit: 'ms' });
    report({ name: `${label}: start delay p99`, value: p99Start, unit: 'ms', target: '<= 250', ok: p99Start <= 250 && complete });
    report({ name: `${label}: drain time (slot → last run finished)`, value: spanMs / 1000, unit: 's' });
    report({
      name: burst ? `${label}: runs finished per second (slot start → last finish)` : `${label}: runs finished per second (the offered load, spread over the minute)`,
      value: (done.length / spanMs) * 1000,
      unit: 'runs/s',
      baseline: { name: 'bare /api/v2/query, same Flux without to(), query concurrency', value: queryBaseline },
    });
    if (cpuSlot !== undefined && done.length > 0) {
      report({ name: `${label}: process CPU per run (user + system, the slot's runs)`, value: ((cpuSlot.user + cpuSlot.system) / done.length), unit: 'µs' });
    }
    report({ name: `${label}: peak RSS`, value: peakRssBytes / 2 ** 20, unit: 'MiB' });
    console.log(`${label}: at peak RSS: ${memoryLine(atPeak)}`);
    globalThis.gc?.();
    console.log(`${label}: after the slot, after GC: ${memoryLine(process.memoryUsage())}`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 60 missed 1-minute slots of 100 tasks: time from server start until all 6,000 runs finished. */
async function measureCatchup(report: (f: BenchFigure) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-catchup-'));
  try {
    // Stay clear of a minute boundary so exactly 60 slots are missed (creation and restart fall
    // in the same minute).
    if (Date.now() % MINUTE_MS > 40_000) await sleep(MINUTE_MS - (Date.now() % MINUTE_MS) + 1_000);
    const past = await startServer(dir, new ShiftedClock(-CATCHUP_SLOTS * MINUTE_MS));
    let ids: string[];
    try {
      const r = await prepare(past);
      ids = await createTasks(r, CATCHUP_TASKS, () => 0);
    } finally {
      await past.stop();
    }
    const t0Ms = Date.now();
    const now = await startServer(dir);
    try {
      const startMs = Date.now();
      const fromMs = startMs - CATCHUP_SLOTS * MINUTE_MS - MINUTE_MS;
      // Polled once a second (reading 6,000 run records is work on the server's event loop); the
      // figure comes from the records' finish times, not from the poll.
      let runs = runsBetween(now, ids, fromMs, startMs);
      while ((runs.length < CATCHUP_TASKS * CATCHUP_SLOTS || !finished(runs)) && Date.now() - t0Ms < DRAIN_LIMIT_MS) {
        await sleep(1_000);
        runs = runsBetween(now, ids, fromMs, startMs);
      }
      const ms = Math.max(...runs.map((x) => x.finishedAtMs ?? Date.now())) - t0Ms;
      const ok = runs.filter((x) => x.status === 'success').length;
      console.log(`catch-up: ${runs.length} runs (${ok} success) of ${CATCHUP_TASKS * CATCHUP_SLOTS} expected`);
      report({ name: `catch-up of ${CATCHUP_SLOTS} missed 1m slots × ${CATCHUP_TASKS} tasks (server start → all finished)`, value: ms / 1000, unit: 's' });
      report({ name: 'catch-up runs per second', value: (runs.length / ms) * 1000, unit: 'runs/s' });
    } finally {
      await now.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const suite: BenchSuite = {
  name: 'tasks-scale',
  async run(report) {
    if (PHASES.includes('catchup')) await measureCatchup(report);
    if (PHASES.includes('spread')) await measureSlot(`${TASKS} tasks every 1m, spread (offset i mod 60 s)`, (i) => i % 60, false, report);
    if (PHASES.includes('aligned')) await measureSlot(`${TASKS} tasks every 1m, all due at :00`, () => 0, true, report);
  },
};

export default suite;

// `node dist/bench/tasks-scale.js`: this suite alone (it runs for minutes, so `npm run bench`,
// which runs every `*.bench.js`, does not include it).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let missed = 0;
  await suite.run((f) => {
    if (f.ok === false) missed++;
    console.log(formatFigure(f));
  });
  console.log(missed === 0 ? '\nall targets met' : `\n${missed} target(s) missed`);
}
