// HTTP write benchmark: TSBS cpu-only (100 hosts × 12 h, 10 fields per line), batches of 5,000 lines
// POSTed to /api/v2/write by 4 concurrent keep-alive clients, against a real `sluice serve` stack
// (auth, parse, WAL fsync, head) in this process. Target ≥ 2.5 M values/s. Baselines from this run:
// the in-process engine ingest of the same batches (parse + write, 4 in flight: the ceiling HTTP
// can approach), and raw HTTP POSTs of the same bytes to a server that discards them (transport cost).
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/core/logger.js';
import { LineParser } from '../src/lineprotocol/line-parser.js';
import { defaultConfig } from '../src/server/config.js';
import { defaultServerDeps } from '../src/server/default-server-deps.js';
import { Server } from '../src/server/server.js';
import { Engine } from '../src/storage/engine.js';
import type { BenchSuite } from './harness.js';
import { CPU_FIELDS, cpuOnlyBatches } from './tsbs-cpu.js';

const HOSTS = 100;
const HOURS = 12;
const CLIENTS = 4;
const TARGET = 2_500_000;

interface Target {
  url: string;
  path: string;
  headers: Record<string, string>;
}

/** Sends every batch once with `CLIENTS` concurrent keep-alive connections; returns seconds. */
async function postAll(target: Target, batches: readonly Buffer[]): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  let next = 0;
  const post = (body: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(`${target.url}${target.path}`, {
        method: 'POST',
        agent,
        headers: { ...target.headers, 'content-length': String(body.length) },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 204 ? resolve() : reject(new Error(`write answered ${res.statusCode}: ${Buffer.concat(chunks).toString()}`)),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  const client = async (): Promise<void> => {
    while (next < batches.length) await post(batches[next++]!);
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  return seconds;
}

async function engineIngestSeconds(dir: string, batches: readonly Buffer[]): Promise<number> {
  const engine = await Engine.open({ dataDir: dir, fsync: true });
  await engine.ensureBucket({ bucketId: 'bench', retentionNs: 0n, shardGroupDurationNs: 0n });
  const parser = new LineParser();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const points = parser.parse(batches[next++]!, { precision: 'ns', defaultTimeNs: 0n });
      await engine.write('bench', points);
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await engine.close();
  return seconds;
}

async function discardSeconds(batches: readonly Buffer[]): Promise<number> {
  const sink = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  try {
    const port = (sink.address() as AddressInfo).port;
    return await postAll({ url: `http://127.0.0.1:${port}`, path: '/api/v2/write', headers: {} }, batches);
  } finally {
    sink.closeAllConnections();
    await new Promise((resolve) => sink.close(resolve));
  }
}

const suite: BenchSuite = {
  name: 'http-write',
  async run(report) {
    const root = await mkdtemp(join(tmpdir(), 'sluice-bench-http-'));
    try {
      const batches = [...cpuOnlyBatches({ hosts: HOSTS, hours: HOURS }, 5000)].map((s) => Buffer.from(s));
      let lines = 0;
      for (const b of batches) for (const byte of b) if (byte === 10) lines++;
      const values = lines * CPU_FIELDS.length;

      const engineRate = values / (await engineIngestSeconds(join(root, 'engine'), batches));
      const discardRate = values / (await discardSeconds(batches));

      const server = await Server.start(
        { ...defaultConfig(), httpBindAddress: '127.0.0.1:0', dataDir: join(root, 'server'), logLevel: 'silent', maxConcurrentWrites: 0 },
        defaultServerDeps({ logger: silentLogger() }),
      );
      try {
        const setup = await fetch(`${server.url}/api/v2/setup`, {
          method: 'POST',
          body: JSON.stringify({ username: 'bench', org: 'bench', bucket: 'cpu' }),
        });
        const token = ((await setup.json()) as { auth: { token: string } }).auth.token;
        const seconds = await postAll(
          { url: server.url, path: '/api/v2/write?org=bench&bucket=cpu', headers: { authorization: `Token ${token}` } },
          batches,
        );
        const httpRate = values / seconds;
        report({
          name: `http write (${CLIENTS} clients, 5,000-line batches, fsync on)`,
          value: httpRate,
          unit: 'values/s',
          baseline: { name: 'in-process engine ingest of the same batches', value: engineRate },
          target: `>= ${TARGET}`,
          ok: httpRate >= TARGET,
        });
        report({
          name: 'http transport alone (same POSTs to a server that discards them)',
          value: discardRate,
          unit: 'values/s',
          baseline: { name: 'in-process engine ingest of the same batches', value: engineRate },
        });
      } finally {
        await server.stop();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};

export default suite;
