// Annotated CSV encoding (issue 5, "/api/v2/query"): rows/s of the tables the peer benchmark
// returns, encoded into a discarding sink and served over a real HTTP response read to its last
// byte by a client in another process (timed by the client: request sent → last byte read). Target ≥ 2,000,000 rows/s for each. Baselines in the same run: the same body
// pre-rendered (Buffer.concat of the rows: the ceiling of any encoder), and that pre-rendered body
// written to the same HTTP response. The HTTP figure uses the query route's response sink.
// - aggregateWindow shape (query a10): 1,000 tables (100 hosts × 10 fields) × 288 rows; columns
//   _start, _stop, _time, _value, _field, _measurement + 10 TSBS tags, all but _time and _value
//   in the group key; means with full float digits.
// - raw shape (from |> range): 100 tables × 2,880 rows, same columns, values with two decimals.
// - the peer benchmark's (a) (100 tables × 288 rows) and (c) (1,000 tables × 1 row).
import { once } from 'node:events';
import { fork } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { GroupKey } from '../src/flux/execute/group-key.js';
import { Table } from '../src/flux/execute/table.js';
import { streamOf } from '../src/flux/execute/table-stream.js';
import type { ColMeta, ColumnData } from '../src/flux/execute/column.js';
import { ANNOTATED_DIALECT } from '../src/flux/csv/csv-dialect.js';
import { encodeResults } from '../src/flux/csv/result-encoder.js';
import { stringValue, timeValue, type Value } from '../src/flux/values/value.js';
import { responseSink } from '../src/http/routes/query-response-sink.js';
import { CPU_FIELDS, hostTags, seededRandom } from './tsbs-cpu.js';
import { medianMs, type BenchSuite } from './harness.js';

const TARGET_ROWS_PER_S = 2_000_000;
const T0 = 1_767_225_600_000_000_000n;
const NS_PER_S = 1_000_000_000n;

interface Shape {
  name: string;
  tables: Table[];
  rows: number;
  /** For shapes judged by time rather than row rate: the peer's time for the whole query, ms. */
  peerMs?: number;
}

/** One table per (host, field): key columns constant, `_time` every `stepS`, `_value` from `value`. */
/**
 * `sharedTimes`: one `_time` array for every table, as storage hands the series of a windowed read
 * (their windows are the same); a raw read's series each have their own.
 */
function makeShape(
  name: string,
  hosts: number,
  fields: readonly string[],
  rows: number,
  stepS: number,
  value: (r: () => number) => number,
  sharedTimes: boolean,
): Shape {
  const rand = seededRandom(7);
  const tagSets = Array.from({ length: hosts }, (_, h) =>
    hostTags(h, rand)
      .split(',')
      .map((kv) => kv.split('=') as [string, string]),
  );
  const tables: Table[] = [];
  const stopNs = T0 + 86_400n * NS_PER_S;
  const timeColumn = (): BigInt64Array => {
    const times = new BigInt64Array(rows);
    for (let i = 0; i < rows; i++) times[i] = T0 + BigInt((i + 1) * stepS) * NS_PER_S;
    return times;
  };
  const shared = timeColumn();
  for (let h = 0; h < hosts; h++) {
    for (const field of fields) {
      const tags = tagSets[h]!;
      const cols: ColMeta[] = [
        { label: '_start', type: 'time' },
        { label: '_stop', type: 'time' },
        { label: '_time', type: 'time' },
        { label: '_value', type: 'float' },
        { label: '_field', type: 'string' },
        { label: '_measurement', type: 'string' },
        ...tags.map(([k]) => ({ label: k, type: 'string' as const })),
      ];
      const times = sharedTimes ? shared : timeColumn();
      const values = new Float64Array(rows);
      for (let i = 0; i < rows; i++) values[i] = value(rand);
      const constTime = (v: bigint): ColumnData => ({ type: 'time', length: rows, valid: null, values: new BigInt64Array(rows).fill(v) });
      const constString = (v: string): ColumnData => ({ type: 'string', length: rows, valid: null, values: new Array<string>(rows).fill(v) });
      const columns: ColumnData[] = [
        constTime(T0),
        constTime(stopNs),
        { type: 'time', length: rows, valid: null, values: times },
        { type: 'float', length: rows, valid: null, values },
        constString(field),
        constString('cpu'),
        ...tags.map(([, v]) => constString(v)),
      ];
      const keyEntries: [ColMeta, Value][] = [
        [cols[0]!, timeValue(T0)],
        [cols[1]!, timeValue(stopNs)],
        [cols[4]!, stringValue(field)],
        [cols[5]!, stringValue('cpu')],
        ...tags.map(([, v], j): [ColMeta, Value] => [cols[6 + j]!, stringValue(v)]),
      ];
      tables.push(new Table(GroupKey.of(keyEntries), cols, columns, rows));
    }
  }
  return { name, tables, rows: tables.length * rows };
}

/** The whole body as one Buffer, and as the rows it is made of (the pre-rendered baseline). */
async function render(shape: Shape): Promise<{ body: Buffer; pieces: Buffer[] }> {
  const parts: Buffer[] = [];
  await encodeResults([{ name: '_result', tables: streamOf(shape.tables) }], { bytes: (c) => void parts.push(c) }, ANNOTATED_DIALECT);
  const body = Buffer.concat(parts);
  // Split into rows, so the baseline concatenates as many pieces as an encoder writes rows.
  const pieces: Buffer[] = [];
  let from = 0;
  for (let i = body.indexOf(10); i >= 0; i = body.indexOf(10, from)) {
    pieces.push(body.subarray(from, i + 1));
    from = i + 1;
  }
  return { body, pieces };
}

/**
 * A server whose handler is swapped per measurement, and a client in a child process (so it does
 * not share the server's event loop) that reads the response to the end.
 */
async function httpHarness(): Promise<{
  /** Serves one request with `handler`; returns the body size and the client's end-to-end ms. */
  serve(handler: (res: ServerResponse) => Promise<void>): Promise<{ bytes: number; ms: number }>;
  close(): Promise<void>;
}> {
  let current: (res: ServerResponse) => Promise<void> = async (res) => void res.end();
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    current(res).catch((e: unknown) => res.destroy(e as Error));
  });
  // Measurements between requests can take longer than the default 5 s keep-alive.
  server.keepAliveTimeout = 600_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const client = fork(fileURLToPath(new URL('./http-read-client.js', import.meta.url)));
  return {
    async serve(handler) {
      current = handler;
      client.send({ url });
      const [reply] = (await once(client, 'message')) as [{ bytes: number; ms: number; error?: string }];
      if (reply.error !== undefined) throw new Error(`HTTP client: ${reply.error}`);
      return reply;
    },
    async close() {
      client.disconnect();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Median of the client's end-to-end times over `runs` requests after `warmup` ones. */
async function medianHttpMs(serve: () => Promise<{ bytes: number; ms: number }>, expectBytes: number, warmup: number, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const { bytes, ms } = await serve();
    if (bytes !== expectBytes) throw new Error(`HTTP client read ${bytes} bytes, expected ${expectBytes}`);
    if (i >= warmup) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Writes with backpressure (the baseline's plain streaming). */
async function writeTo(res: ServerResponse, chunk: string | Uint8Array): Promise<void> {
  if (!res.write(chunk)) await once(res, 'drain');
}

const suite: BenchSuite = {
  name: 'csv-encode',
  async run(report) {
    const shapes = [
      makeShape('aggregateWindow shape (a10)', 100, CPU_FIELDS, 288, 300, (r) => r() * 100, true),
      makeShape('raw shape', 100, ['usage_user'], 2_880, 10, (r) => Math.round(r() * 10_000) / 100, false),
      makeShape('aggregateWindow shape (a)', 100, ['usage_user'], 288, 300, (r) => r() * 100, true),
      { ...makeShape('last() shape (c)', 100, CPU_FIELDS, 1, 10, (r) => Math.round(r() * 10_000) / 100, false), peerMs: 15 },
    ];
    const http = await httpHarness();
    try {
      for (const shape of shapes) {
        const { body, pieces } = await render(shape);
        const perS = (ms: number): number => (shape.rows / ms) * 1000;
        // Small bodies need more warm-up runs before the JIT has settled.
        const warmup = shape.rows < 100_000 ? 20 : 2;
        const ceiling = await medianMs(() => Buffer.concat(pieces), 5, warmup);
        let sunk = 0;
        const encodeMs = await medianMs(
          () =>
            encodeResults([{ name: '_result', tables: streamOf(shape.tables) }], {
              bytes: (c, done) => {
                sunk += c.length;
                done(); // discarded: the encoder may reuse the memory
              },
            }),
          9,
          warmup,
        );
        if (sunk === 0) throw new Error('encoder wrote nothing');
        const encodeName = `encode ${shape.name}, ${shape.rows.toLocaleString('en-US')} rows (${(body.length / 1e6).toFixed(1)} MB) into a discarding sink`;
        if (shape.peerMs === undefined) {
          report({
            name: encodeName,
            value: perS(encodeMs),
            unit: 'rows/s',
            baseline: { name: 'Buffer.concat of pre-rendered rows', value: perS(ceiling) },
            target: `>= ${TARGET_ROWS_PER_S.toLocaleString('en-US')}`,
            ok: perS(encodeMs) >= TARGET_ROWS_PER_S,
          });
        } else {
          report({ name: encodeName, value: encodeMs, unit: 'ms', baseline: { name: 'Buffer.concat of pre-rendered rows', value: ceiling } });
        }

        const CHUNK = 64 * 1024;
        const httpCeiling = await medianHttpMs(
          () =>
            http.serve(async (res) => {
              for (let i = 0; i < body.length; i += CHUNK) await writeTo(res, body.subarray(i, i + CHUNK));
              res.end();
            }),
          body.length,
          warmup,
        );
        const httpMs = await medianHttpMs(
          () =>
            http.serve(async (res) => {
              // The query route's own sink (1 MiB of buffering, then waiting for drain).
              const sink = responseSink(() => res, res, () => new Error('client gone'));
              await encodeResults([{ name: '_result', tables: streamOf(shape.tables) }], sink, ANNOTATED_DIALECT);
              sink.flush();
              res.end();
            }),
          body.length,
          warmup,
        );
        if (shape.peerMs === undefined) {
          report({
            name: `HTTP ${shape.name}: encode into the response, client reads to the last byte`,
            value: perS(httpMs),
            unit: 'rows/s',
            baseline: { name: 'pre-rendered body written in 64 KiB chunks', value: perS(httpCeiling) },
            target: `>= ${TARGET_ROWS_PER_S.toLocaleString('en-US')}`,
            ok: perS(httpMs) >= TARGET_ROWS_PER_S,
          });
        } else {
          // Many tiny tables: the per-table cost matters, not a row rate. Target: VictoriaMetrics'
          // whole query time (storage read included) from the issue.
          report({
            name: `HTTP ${shape.name}: encode into the response, client reads to the last byte`,
            value: httpMs,
            unit: 'ms',
            baseline: { name: 'pre-rendered body written in 64 KiB chunks', value: httpCeiling },
            target: `<= ${shape.peerMs} (VictoriaMetrics, whole query)`,
            ok: httpMs <= shape.peerMs,
          });
        }
      }
    } finally {
      await http.close();
    }
  },
};

export default suite;
