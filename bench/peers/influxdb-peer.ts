import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeInfluxqlJson, type AnswerSummary } from './answer.js';
import { ChildServer, freePort, sleep, waitUntil } from './child-server.js';
import { HttpCaller, type HttpReply } from './http-call.js';
import type { Peer } from './peer.js';
import { influxqlQuery, rfc3339, stopNs, type QuestionId, type Scenario } from './questions.js';

/**
 * The config for a private InfluxDB 1.6: both listeners on 127.0.0.1, no usage reporting, no
 * `_internal` monitor database (it would add its own writes and disk), meta/data/wal in `dataDir`.
 * The cache is snapshotted to TSM after 10 s without writes (default 10 min) and a shard is fully
 * compacted after 30 s without writes (default 4 h), so the settle wait measures InfluxDB's
 * compacted on-disk format rather than its WAL and level-1 files.
 */
export function influxdbConfig(dataDir: string, httpPort: number, rpcPort: number): string {
  return [
    'reporting-enabled = false',
    `bind-address = "127.0.0.1:${rpcPort}"`,
    '[meta]',
    `  dir = "${join(dataDir, 'meta')}"`,
    '[data]',
    `  dir = "${join(dataDir, 'data')}"`,
    `  wal-dir = "${join(dataDir, 'wal')}"`,
    '  query-log-enabled = false',
    '  cache-snapshot-write-cold-duration = "10s"',
    '  compact-full-write-cold-duration = "30s"',
    '[monitor]',
    '  store-enabled = false',
    '[http]',
    '  enabled = true',
    `  bind-address = "127.0.0.1:${httpPort}"`,
    '  log-enabled = false',
    '  pprof-enabled = false',
    '[continuous_queries]',
    '  enabled = false',
    '[ifql]',
    '  enabled = false',
    '',
  ].join('\n');
}

/** InfluxDB 1.6 from the Debian package, queried with InfluxQL on `POST /query` (epoch=ns). */
export class InfluxdbPeer implements Peer {
  readonly name = 'InfluxDB 1.6';
  private readonly http = new HttpCaller();
  private server: ChildServer | undefined;
  readonly dataDir: string;

  private constructor(
    private readonly root: string,
    private readonly port: number,
    private readonly scenario: Scenario,
  ) {
    this.dataDir = join(root, 'data');
  }

  static async start(influxd: string, scenario: Scenario): Promise<InfluxdbPeer> {
    const peer = new InfluxdbPeer(mkdtempSync(join(tmpdir(), 'peers-influxdb-')), await freePort(), scenario);
    try {
      mkdirSync(peer.dataDir);
      const configPath = join(peer.root, 'influxdb.conf');
      writeFileSync(configPath, influxdbConfig(peer.dataDir, peer.port, await freePort()));
      const server = ChildServer.spawn('InfluxDB', influxd, ['run', '-config', configPath], join(peer.root, 'server.log'));
      peer.server = server;
      await waitUntil(
        'InfluxDB /ping',
        async () => {
          if (!server.running) throw new Error(`influxd exited:\n${server.logTail()}`);
          return (await peer.http.call({ method: 'GET', url: `${peer.url}/ping` })).status === 204;
        },
        60_000,
      );
      for (const db of ['bench', 'bench_5m']) await peer.influxql(`CREATE DATABASE "${db}"`, true);
      return peer;
    } catch (e) {
      await peer.stop();
      throw e;
    }
  }

  get pid(): number {
    return this.server?.pid ?? -1;
  }

  private get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** POST /query (required for INTO and CREATE); `check` makes a non-2xx or an error result throw. */
  private async influxql(q: string, check = false, dropBody = false): Promise<HttpReply> {
    const reply = await this.http.call({
      method: 'POST',
      url: `${this.url}/query`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ q, db: 'bench', epoch: 'ns' }).toString(),
      dropBody,
    });
    if (check) {
      if (reply.status !== 200) throw new Error(`InfluxQL ${q} → ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`);
      summarizeInfluxqlJson(reply.body.toString('utf8'));
    }
    return reply;
  }

  async write(batch: Buffer): Promise<void> {
    await this.http.ok({ method: 'POST', url: `${this.url}/write?db=bench&precision=ns`, headers: { 'content-type': 'text/plain' }, body: batch });
  }

  async makeQueryable(): Promise<void> {
    // Acknowledged writes are in the cache and readable at once.
  }

  async countValues(): Promise<number> {
    const reply = await this.influxql(influxqlQuery('e', this.scenario), true);
    return summarizeInfluxqlJson(reply.body.toString('utf8')).sum;
  }

  async settle(seconds: number): Promise<string> {
    await sleep(seconds * 1000);
    return `waited ${seconds} s (cache snapshot to TSM after 10 s without writes, full compaction after 30 s)`;
  }

  queryText(q: QuestionId): string {
    return influxqlQuery(q, this.scenario);
  }

  ask(q: QuestionId, dropBody = false): Promise<HttpReply> {
    return this.influxql(influxqlQuery(q, this.scenario), false, dropBody);
  }

  /** SELECT … INTO answers with the number of points written, not the means: not comparable. */
  summarize(q: QuestionId, body: string): AnswerSummary | undefined {
    const summary = summarizeInfluxqlJson(body);
    return q === 'f' ? undefined : summary;
  }

  async countTarget(): Promise<number> {
    const t0 = rfc3339(this.scenario.startNs);
    const t1 = rfc3339(stopNs(this.scenario));
    const reply = await this.influxql(`SELECT count(*) FROM "bench_5m"."autogen"."cpu" WHERE time >= '${t0}' AND time < '${t1}'`, true);
    return summarizeInfluxqlJson(reply.body.toString('utf8')).sum;
  }

  async stop(): Promise<void> {
    this.http.close();
    await this.server?.stop();
    rmSync(this.root, { recursive: true, force: true, maxRetries: 5 });
  }
}
