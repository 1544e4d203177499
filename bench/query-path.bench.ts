// Query path benchmark: 200 series (cpu, 100 hosts × 2 fields) × 2,880 points (10 s apart, 8 h)
// = 576,000 points written straight into the engine of a real server, then Flux run through the
// QueryService (controller, interpreter, storage reads, annotated CSV encoding into a discarding
// sink). Figures:
// - aggregateWindow(every: 1h, fn: mean) with push-down (1,600 output rows, so reading and
//   aggregating dominate), against the same query without push-down (raw read + Flux
//   aggregateWindow) in this run. Target: push-down ≥ 2× faster.
// - raw `from |> range` rows/s encoded as annotated CSV, against a bare storage scan of the same
//   points (the ceiling). Target ≥ 500,000 rows/s.
// - window(every: 1h) |> mean() pushed into one windowed read, against it without push-down;
//   timedMovingAverage (overlapping windows) likewise.
// - schema.tagValues from the series index, against the same chain over every point.
// - group(columns: ["_field"]) |> mean() over every point, against a bare storage scan.
// - the fixed cost of a query answered from block metadata (one row out, a table per series on
//   the way), against the per-query floor (one literal row) in this run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { ANNOTATED_DIALECT } from '../src/flux/csv/index.js';
import { makeSeries } from '../src/lineprotocol/make-series.js';
import { FieldType, type Point } from '../src/lineprotocol/point.js';
import { DEFAULT_QUERY_LIMITS, QueryController } from '../src/query/query-controller.js';
import { QueryService } from '../src/query/query-service.js';
import { defaultConfig } from '../src/server/config.js';
import { defaultServerDeps } from '../src/server/default-server-deps.js';
import { Server } from '../src/server/server.js';
import { medianMs, type BenchSuite } from './harness.js';

const HOSTS = 100;
const POINTS = 2_880;
const STEP_NS = 10_000_000_000n;
const T0 = 1_704_067_200_000_000_000n;
const STOP = '2024-01-01T08:00:00Z';

const suite: BenchSuite = {
  name: 'query-path',
  async run(report) {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-query-'));
    const server = await Server.start(
      { ...defaultConfig(), httpBindAddress: '127.0.0.1:0', dataDir: dir, logLevel: 'silent' },
      defaultServerDeps({ logger: silentLogger() }),
    );
    try {
      const res = await fetch(`${server.url}/api/v2/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'password123', org: 'acme', bucket: 'b', retentionPeriodSeconds: 0 }),
      });
      const setup = (await res.json()) as { bucket: { id: string }; org: { id: string } };
      const storage = server.openedStorage!;
      for (let h = 0; h < HOSTS; h++) {
        const series = makeSeries('cpu', [['host', `host_${h}`]]);
        const points: Point[] = [];
        for (let i = 0; i < POINTS; i++) {
          points.push({
            series,
            fields: { keys: ['usage_user', 'usage_system'], types: [FieldType.Float, FieldType.Float] },
            values: [(i * 7 + h) % 100, (i * 3 + h) % 50],
            timestampNs: T0 + BigInt(i) * STEP_NS,
          });
        }
        await storage.write(setup.bucket.id, points);
      }
      const total = HOSTS * 2 * POINTS;
      const svc = new QueryService({ meta: server.meta, storage: () => storage, controller: new QueryController(DEFAULT_QUERY_LIMITS, new SystemClock()) });
      const org = server.meta.orgs.findById(setup.org.id)!;
      const run = (query: string, pushDown: boolean) =>
        svc.execute(
          { query, org, auth: { allows: () => true }, nowNs: T0, dialect: ANNOTATED_DIALECT, signal: new AbortController().signal, pushDown },
          () => undefined,
        );
      const agg = `from(bucket: "b") |> range(start: 2024-01-01T00:00:00Z, stop: ${STOP}) |> filter(fn: (r) => r._measurement == "cpu") |> aggregateWindow(every: 1h, fn: mean)`;
      // Warmed up alike (a few runs of each compile their paths): steady state, not V8's first tiers.
      const pushed = await medianMs(() => run(agg, true), 15, 5);
      const plain = await medianMs(() => run(agg, false), 9, 3);
      report({
        name: 'aggregateWindow(1h, mean) with push-down',
        value: total / (pushed / 1000),
        unit: 'points/s',
        baseline: { name: 'same query without push-down', value: total / (plain / 1000) },
        target: '>= 2x baseline',
        ok: plain / pushed >= 2,
      });
      const raw = `from(bucket: "b") |> range(start: 2024-01-01T00:00:00Z, stop: ${STOP})`;
      const rawMs = await medianMs(() => run(raw, true), 3);
      const scanMs = await medianMs(async () => {
        let n = 0;
        for await (const b of storage.read({ bucketId: setup.bucket.id, startNs: T0, stopNs: T0 + BigInt(POINTS) * STEP_NS })) n += b.timestampsNs.length;
        if (n !== total) throw new Error(`scan saw ${n} points, expected ${total}`);
      }, 3);
      report({
        name: 'raw from |> range as annotated CSV',
        value: total / (rawMs / 1000),
        unit: 'rows/s',
        baseline: { name: 'bare storage scan', value: total / (scanMs / 1000) },
        target: '>= 500,000',
        ok: total / (rawMs / 1000) >= 500_000,
      });

      // window() |> aggregate: one windowed storage read, against the raw read and Flux's window.
      const win = `from(bucket: "b") |> range(start: 2024-01-01T00:00:00Z, stop: ${STOP}) |> filter(fn: (r) => r._measurement == "cpu") |> window(every: 1h) |> mean()`;
      const winPushed = await medianMs(() => run(win, true), 15, 5);
      const winPlain = await medianMs(() => run(win, false), 9, 3);
      report({
        name: 'window(every: 1h) |> mean() with push-down',
        value: total / (winPushed / 1000),
        unit: 'points/s',
        baseline: { name: 'same query without push-down', value: total / (winPlain / 1000) },
        target: '>= 2x baseline',
        ok: winPlain / winPushed >= 2,
      });

      // Overlapping windows (timedMovingAverage's window(every, period) |> mean) pushed too.
      const moving = `from(bucket: "b") |> range(start: 2024-01-01T00:00:00Z, stop: ${STOP}) |> filter(fn: (r) => r._measurement == "cpu") |> timedMovingAverage(every: 1h, period: 3h)`;
      const movingPushed = await medianMs(() => run(moving, true), 9, 3);
      const movingPlain = await medianMs(() => run(moving, false), 5, 2);
      report({
        name: 'timedMovingAverage(every: 1h, period: 3h) with push-down',
        value: total / (movingPushed / 1000),
        unit: 'points/s',
        baseline: { name: 'same query without push-down', value: total / (movingPlain / 1000) },
        target: '>= 1.5x baseline',
        ok: movingPlain / movingPushed >= 1.5,
      });

      // Schema listings from the series index, against the same Flux chains over every point.
      const tagValues = `import "influxdata/influxdb/schema"\nschema.tagValues(bucket: "b", tag: "host", start: 2024-01-01T00:00:00Z, stop: ${STOP})`;
      const listed = await medianMs(() => run(tagValues, true), 11, 3);
      const scanned = await medianMs(() => run(tagValues, false), 3);
      report({
        name: `schema.tagValues over ${HOSTS * 2} series from the series index`,
        value: listed,
        unit: 'ms',
        baseline: { name: 'the same Flux chain over every point', value: scanned },
      });

      // group() then an aggregate: the groups are built with only the key and the value column.
      const grouped = `from(bucket: "b") |> range(start: 2024-01-01T00:00:00Z, stop: ${STOP}) |> group(columns: ["_field"]) |> mean()`;
      const groupedMs = await medianMs(() => run(grouped, true), 3);
      report({
        name: 'group(columns: ["_field"]) |> mean() over every point',
        value: total / (groupedMs / 1000),
        unit: 'points/s',
        baseline: { name: 'bare storage scan', value: total / (scanMs / 1000) },
      });

      // Per-query fixed cost (issue 5): a question answered from block metadata with one row out
      // still passes a table per series through the pipeline; next to it, the floor of any query
      // (one literal row: controller, interpreter, CSV). Flushed first, so blocks hold the data.
      await storage.flush?.();
      const count = `from(bucket: "b") |> range(start: 2024-01-01T00:00:00Z, stop: ${STOP}) |> filter(fn: (r) => r._measurement == "cpu") |> count() |> group() |> sum()`;
      const floor = 'import "array"\narray.from(rows: [{_value: 1}])';
      let answer = '';
      const checked = await svc.execute(
        { query: count, org, auth: { allows: () => true }, nowNs: T0, dialect: ANNOTATED_DIALECT, signal: new AbortController().signal },
        (chunk) => {
          answer += String(chunk);
        },
      );
      if (checked.error !== undefined || !answer.includes(`,${total}\r\n`)) throw new Error(`count did not give ${total}: ${checked.error?.message ?? answer.slice(0, 300)}`);
      const countMs = await medianMs(() => run(count, true), 31, 5);
      const floorMs = await medianMs(() => run(floor, true), 31, 5);
      report({
        name: `count() |> group() |> sum() over ${HOSTS * 2} series from block metadata (one row)`,
        value: countMs,
        unit: 'ms',
        baseline: { name: 'one literal row (array.from), the per-query floor', value: floorMs },
      });
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
