import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeFluxCsv, type AnswerSummary } from './answer.js';
import { ChildServer, freePort, sleep, waitUntil } from './child-server.js';
import { HttpCaller, type HttpReply } from './http-call.js';
import type { Peer } from './peer.js';
import { fluxQuery, rfc3339, stopNs, WINDOW_NS, type QuestionId, type Scenario } from './questions.js';

const DIALECT = { header: true, delimiter: ',', annotations: ['datatype', 'group', 'default'] };

/**
 * Sluice as users run it: `node dist/src/cli/main.js serve` in a child process, onboarded over
 * HTTP (`POST /api/v2/setup`) for a token, queried with Flux on `POST /api/v2/query`.
 */
export class SluicePeer implements Peer {
  readonly name = 'Sluice';
  private readonly http = new HttpCaller();
  private server: ChildServer | undefined;
  private token = '';
  private orgID = '';

  readonly dataDir: string;

  private constructor(
    private readonly root: string,
    private readonly port: number,
    private readonly mainJs: string,
    private readonly scenario: Scenario,
  ) {
    this.dataDir = join(root, 'data');
  }

  static async start(mainJs: string, scenario: Scenario): Promise<SluicePeer> {
    const peer = new SluicePeer(mkdtempSync(join(tmpdir(), 'peers-sluice-')), await freePort(), mainJs, scenario);
    try {
      await peer.spawn();
      const setup = await peer.http.ok({
        method: 'POST',
        url: `${peer.url}/api/v2/setup`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bench', password: 'bench-password', org: 'bench', bucket: 'bench' }),
      });
      const onboarded = JSON.parse(setup.body.toString('utf8')) as { auth: { token: string }; org: { id: string } };
      peer.token = onboarded.auth.token;
      peer.orgID = onboarded.org.id;
      await peer.http.ok({
        method: 'POST',
        url: `${peer.url}/api/v2/buckets`,
        headers: peer.headers('application/json'),
        body: JSON.stringify({ orgID: peer.orgID, name: 'bench_5m', retentionRules: [] }),
      });
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

  private headers(contentType: string): Record<string, string> {
    return { authorization: `Token ${this.token}`, 'content-type': contentType };
  }

  private async spawn(): Promise<void> {
    const args = [this.mainJs, 'serve', '--http-bind-address', `127.0.0.1:${this.port}`, '--data-dir', this.dataDir, '--log-level', 'warn'];
    const server = ChildServer.spawn('Sluice', process.execPath, args, join(this.root, 'server.log'));
    this.server = server;
    await waitUntil(
      'Sluice /ready',
      async () => {
        if (!server.running) throw new Error(`Sluice exited:\n${server.logTail()}`);
        return (await this.http.call({ method: 'GET', url: `${this.url}/ready` })).status === 200;
      },
      120_000,
    );
  }

  async write(batch: Buffer): Promise<void> {
    await this.http.ok({
      method: 'POST',
      url: `${this.url}/api/v2/write?org=bench&bucket=bench&precision=ns`,
      headers: this.headers('text/plain; charset=utf-8'),
      body: batch,
    });
  }

  async makeQueryable(): Promise<void> {
    // Acknowledged writes are readable at once.
  }

  private flux(query: string, dropBody = false): Promise<HttpReply> {
    return this.http.call({
      method: 'POST',
      url: `${this.url}/api/v2/query?orgID=${this.orgID}`,
      headers: { ...this.headers('application/json'), accept: 'application/csv' },
      body: JSON.stringify({ query, type: 'flux', dialect: DIALECT }),
      dropBody,
    });
  }

  private async fluxSum(query: string): Promise<number> {
    const reply = await this.flux(query);
    if (reply.status !== 200) throw new Error(`Sluice query → ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`);
    return summarizeFluxCsv(reply.body.toString('utf8')).sum;
  }

  countValues(): Promise<number> {
    return this.fluxSum(fluxQuery('e', this.scenario));
  }

  /**
   * Sluice flushes its head to blocks every 1 M values and on shutdown, and compacts on a 60 s
   * maintenance timer. So: restart (the shutdown flush writes the rest of the head out), then
   * wait, giving the maintenance timer its turn before the data dir is measured.
   */
  async settle(seconds: number): Promise<string> {
    await this.server?.stop();
    const startMs = Date.now();
    await this.spawn();
    const restartMs = Date.now() - startMs;
    await sleep(seconds * 1000);
    return `restarted (shutdown flushes the head; ready again in ${restartMs} ms), then waited ${seconds} s for the maintenance timer`;
  }

  queryText(q: QuestionId): string {
    return fluxQuery(q, this.scenario);
  }

  ask(q: QuestionId, dropBody = false): Promise<HttpReply> {
    return this.flux(fluxQuery(q, this.scenario), dropBody);
  }

  summarize(_q: QuestionId, body: string): AnswerSummary {
    return summarizeFluxCsv(body);
  }

  countTarget(): Promise<number> {
    // aggregateWindow stamps each mean with its window's stop: the last one is at T1.
    const stop = rfc3339(stopNs(this.scenario) + WINDOW_NS);
    return this.fluxSum(
      `from(bucket: "bench_5m") |> range(start: ${rfc3339(this.scenario.startNs)}, stop: ${stop}) |> count() |> group() |> sum()`,
    );
  }

  async stop(): Promise<void> {
    this.http.close();
    await this.server?.stop();
    rmSync(this.root, { recursive: true, force: true, maxRetries: 5 });
  }
}
