import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { ANNOTATED_DIALECT } from '../flux/csv/index.js';
import { MetaStore } from '../meta/meta-store.js';
import type { Storage } from '../storage/storage.js';
import { QueryController } from './query-controller.js';
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
