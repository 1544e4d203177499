import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import type { ServerConfig } from '../src/server/config.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/** `sluice serve`'s storage flags reach the engine: heads are flushed when and where they say. */
const T0_S = 1_767_225_600;
let servers: TestServer[] = [];

afterEach(async () => {
  for (const s of servers) await s.cleanup();
  servers = [];
});

async function start(config: Partial<ServerConfig>, clock?: FakeClock): Promise<TestServer> {
  const ts = await startTestServer({ setup: true, config, ...(clock === undefined ? {} : { deps: { clock } }) });
  servers.push(ts);
  return ts;
}

async function write(ts: TestServer, points: number): Promise<void> {
  const lines = Array.from({ length: points }, (_, i) => `m,host=a v=${i} ${T0_S + i}`).join('\n');
  const res = await fetch(`${ts.url}/api/v2/write?org=acme&bucket=telemetry&precision=s`, {
    method: 'POST',
    headers: { authorization: `Token ${ts.token}` },
    body: lines,
  });
  expect(res.status).toBe(204);
}

const stats = (ts: TestServer): { headPoints: number; blocks: number } => ts.server.openedStorage!.stats();

/** Polls (no timing asserted) until the engine has written a block, for at most 10 s. */
async function untilBlock(ts: TestServer): Promise<void> {
  for (let i = 0; i < 1000 && stats(ts).blocks === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(stats(ts)).toMatchObject({ headPoints: 0 });
  expect(stats(ts).blocks).toBeGreaterThan(0);
}

describe('--storage-cache-snapshot-memory-size', () => {
  it('flushes the head to a block once it holds that many bytes (16 a value)', async () => {
    const small = await start({ storageCacheSnapshotMemoryBytes: 1600 });
    await write(small, 250);
    await untilBlock(small);
  });

  it('keeps the head below the default (16 MB) in memory', async () => {
    const plain = await start({});
    await write(plain, 250);
    expect(stats(plain)).toMatchObject({ headPoints: 250, blocks: 0 });
  });
});

describe('--storage-cache-snapshot-write-cold-duration', () => {
  it('0: the maintenance turn a minute later flushes any head', async () => {
    const clock = new FakeClock(T0_S * 1000);
    const ts = await start({ storageCacheSnapshotWriteColdDurationMs: 0 }, clock);
    await write(ts, 10);
    expect(stats(ts)).toMatchObject({ headPoints: 10, blocks: 0 });
    clock.advance(60_000);
    await untilBlock(ts);
  });

  it('2m: the turn after two minutes flushes it', async () => {
    const clock = new FakeClock(T0_S * 1000);
    const ts = await start({ storageCacheSnapshotWriteColdDurationMs: 120_000 }, clock);
    await write(ts, 10);
    clock.advance(60_000);
    clock.advance(60_000);
    await untilBlock(ts);
  });
});
