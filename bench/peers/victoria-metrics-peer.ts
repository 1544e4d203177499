import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizePromJson, type AnswerSummary } from './answer.js';
import { ChildServer, freePort, sleep, waitUntil } from './child-server.js';
import { HttpCaller, type HttpReply } from './http-call.js';
import type { Peer } from './peer.js';
import { metricsqlQuery, type QuestionId, type Scenario } from './questions.js';

/**
 * VictoriaMetrics (single node, Debian package), fed Influx line protocol on `/write` (fields
 * become metrics `cpu_<field>`), queried with MetricsQL on the Prometheus API. Queries are sent
 * with `nocache=1` unless `useCache`: its rollup result cache would otherwise answer the repeated
 * timed runs from memory, which measures the cache, not the query.
 */
export class VictoriaMetricsPeer implements Peer {
  readonly name = 'VictoriaMetrics';
  private readonly http = new HttpCaller();
  private server: ChildServer | undefined;
  readonly dataDir: string;

  private constructor(
    private readonly root: string,
    private readonly port: number,
    private readonly scenario: Scenario,
    private readonly useCache: boolean,
  ) {
    this.dataDir = join(root, 'data');
  }

  static async start(binary: string, scenario: Scenario, useCache: boolean): Promise<VictoriaMetricsPeer> {
    const peer = new VictoriaMetricsPeer(mkdtempSync(join(tmpdir(), 'peers-vm-')), await freePort(), scenario, useCache);
    try {
      mkdirSync(peer.dataDir);
      const args = [
        `-httpListenAddr=127.0.0.1:${peer.port}`,
        `-storageDataPath=${peer.dataDir}`,
        // The data is stamped from 2026-01-01: keep it whatever today's date is.
        '-retentionPeriod=100y',
        '-loggerLevel=ERROR',
      ];
      const server = ChildServer.spawn('VictoriaMetrics', binary, args, join(peer.root, 'server.log'));
      peer.server = server;
      await waitUntil(
        'VictoriaMetrics /health',
        async () => {
          if (!server.running) throw new Error(`victoria-metrics exited:\n${server.logTail()}`);
          return (await peer.http.call({ method: 'GET', url: `${peer.url}/health` })).status === 200;
        },
        60_000,
      );
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

  async write(batch: Buffer): Promise<void> {
    await this.http.ok({ method: 'POST', url: `${this.url}/write?precision=ns`, headers: { 'content-type': 'text/plain' }, body: batch });
  }

  /** Ingested rows are buffered for about a second; force_flush makes them searchable now. */
  async makeQueryable(): Promise<void> {
    await this.http.ok({ method: 'GET', url: `${this.url}/internal/force_flush` });
  }

  async countValues(): Promise<number> {
    const reply = await this.ask('e', false, false);
    if (reply.status !== 200) throw new Error(`VictoriaMetrics count → ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`);
    return summarizePromJson(reply.body.toString('utf8')).sum;
  }

  async settle(seconds: number): Promise<string> {
    await this.makeQueryable();
    await sleep(seconds * 1000);
    return `force_flush, then waited ${seconds} s (background part merges)`;
  }

  queryText(q: QuestionId): string | undefined {
    const request = metricsqlQuery(q, this.scenario);
    return request === undefined ? undefined : `${request.path}?${new URLSearchParams(request.params).toString()}`;
  }

  ask(q: QuestionId, dropBody = false, cache = this.useCache): Promise<HttpReply> {
    const request = metricsqlQuery(q, this.scenario);
    if (request === undefined) throw new Error(`VictoriaMetrics has no equivalent of question ${q}`);
    const params = new URLSearchParams(request.params);
    if (!cache) params.set('nocache', '1');
    return this.http.call({
      method: 'POST',
      url: `${this.url}${request.path}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
      dropBody,
    });
  }

  summarize(_q: QuestionId, body: string): AnswerSummary {
    return summarizePromJson(body);
  }

  countTarget(): Promise<number> {
    return Promise.reject(new Error('VictoriaMetrics has no equivalent of question f'));
  }

  async stop(): Promise<void> {
    this.http.close();
    await this.server?.stop();
    rmSync(this.root, { recursive: true, force: true, maxRetries: 5 });
  }
}
