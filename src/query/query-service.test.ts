import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { ANNOTATED_DIALECT, type CsvSink } from '../flux/csv/index.js';
import { MetaStore } from '../meta/meta-store.js';
import type { Storage } from '../storage/storage.js';
import { QueryController } from './query-controller.js';
import { QueryStats } from './query-metrics.js';
import { QueryService } from './query-service.js';

let meta: MetaStore | undefined;
afterEach(() => meta?.close());

function service(): QueryService {
  meta = MetaStore.open(':memory:');
  return new QueryService({
    meta,
    storage: (): Storage => {
      throw new Error('compile never touches storage');
    },
    controller: new QueryController({ maxConcurrent: 1, maxQueued: 1, memoryBytes: 0, timeoutMs: 0 }, new FakeClock()),
  });
}

describe('QueryService.compile', () => {
  it('compiles a script once and reuses it (tasks run the same script every period)', () => {
    const q = service();
    const src = 'from(bucket: "b") |> range(start: -1h)';
    const first = q.compile(src);
    expect(q.compile(src)).toBe(first);
    expect(q.compile(`${src}\n`)).not.toBe(first);
  });

  it('does not cache failures: a bad script fails every time with its diagnostics', () => {
    const q = service();
    expect(() => q.compile('x = y')).toThrow('error @1:5-1:6: undefined identifier y');
    expect(() => q.compile('x = y')).toThrow('error @1:5-1:6: undefined identifier y');
  });
});

describe('QueryService remote hosts', () => {
  let remote: Server | undefined;
  afterEach(() => {
    remote?.closeAllConnections();
    remote?.close();
  });

  it("times a remote host out on the service's clock (not the system clock)", async () => {
    let requested!: () => void;
    const reached = new Promise<void>((resolve) => (requested = resolve));
    remote = createServer(() => requested()); // accepts the query, never answers
    await new Promise<void>((resolve) => remote!.listen(0, '127.0.0.1', resolve));
    const { port } = remote.address() as { port: number };
    const clock = new FakeClock();
    meta = MetaStore.open(':memory:');
    const q = new QueryService({
      meta,
      // Taken when the query starts; a remote read never calls into it.
      storage: (): Storage => ({}) as Storage,
      controller: new QueryController({ maxConcurrent: 1, maxQueued: 1, memoryBytes: 0, timeoutMs: 0 }, clock),
      clock,
    });
    const run = q.execute(
      {
        query: `from(bucket: "b", host: "http://127.0.0.1:${port}", org: "o", token: "t") |> range(start: -1h)`,
        org: meta.orgs.create({ name: 'o' }),
        auth: { allows: () => true },
        nowNs: 0n,
        dialect: ANNOTATED_DIALECT,
        signal: new AbortController().signal,
      },
      () => undefined,
    );
    const failed = run.then(
      () => undefined,
      (e: unknown) => e,
    );
    await Promise.race([reached, failed.then((e) => expect(String(e)).toBe('no failure before the remote answers'))]);
    clock.advance(30_000);
    expect(String(await failed)).toContain(`timeout: no response within 30s from 127.0.0.1:${port}`);
  });
});

describe('QueryService metrics', () => {
  it("reports each query's states and how it ended, as InfluxDB's query controller counts them", async () => {
    meta = MetaStore.open(':memory:');
    const org = meta.orgs.create({ name: 'o' });
    const stats = new QueryStats();
    const controller = new QueryController({ maxConcurrent: 1, maxQueued: 0, memoryBytes: 0, timeoutMs: 0 }, new FakeClock());
    const q = new QueryService({ meta, storage: (): Storage => ({}) as Storage, controller, metrics: stats });
    const ask = (query: string, sink: CsvSink = () => undefined): Promise<unknown> =>
      q.execute({ query, org, auth: { allows: () => true }, nowNs: 0n, dialect: ANNOTATED_DIALECT, signal: new AbortController().signal }, sink);
    const imports = 'import "array"\n';
    const rows = 'array.from(rows: [{_value: 1}])';

    const seen: (typeof stats.active)[] = [];
    await ask(imports + rows, () => {
      seen.push({ ...stats.active });
    });
    expect(seen[0]).toEqual({ compiling: 0, queueing: 0, executing: 1 });
    await expect(ask('x = y')).rejects.toThrow('undefined identifier y');
    await expect(ask(`${imports}${rows} |> map(fn: (r) => ({r with v: die(msg: "boom")}))`)).rejects.toThrow('boom');
    // An error after the answer started is the error table: still a runtime error.
    const late = (await ask(`${imports}${rows}\n|> yield(name: "a")\n${rows} |> map(fn: (r) => ({r with v: die(msg: "late")}))`)) as { error?: unknown };
    expect(late.error).toBeDefined();
    // The only slot taken and no queue: refused.
    let free!: () => void;
    const held = controller.run(new AbortController().signal, () => new Promise<void>((resolve) => (free = resolve)));
    await expect(ask(imports + rows)).rejects.toThrow('queue length exceeded');
    free();
    await held;

    expect(stats.outcomes).toEqual({ success: 1, compile_error: 1, runtime_error: 2, queue_error: 1 });
    expect(stats.active).toEqual({ compiling: 0, queueing: 0, executing: 0 });
  });
});
