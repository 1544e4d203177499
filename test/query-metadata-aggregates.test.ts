import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../src/core/clock.js';
import { ANNOTATED_DIALECT } from '../src/flux/csv/index.js';
import { DEFAULT_QUERY_LIMITS, QueryController } from '../src/query/query-controller.js';
import { QueryService } from '../src/query/query-service.js';
import { sharedBlockBytes } from '../src/storage/block/block-bytes-cache.js';
import type { ServerStorage } from '../src/server/server.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Bare count/first/last (and `count() |> group() |> sum()`) may be answered from block index
 * metadata without decoding. Whatever state the data is in — blocks only, blocks continued by the
 * head, points overwritten after a flush (head over block, block over block), deleted ranges,
 * after compaction — the pushed answer must equal the plain one (raw rows aggregated in Flux).
 * The states build on each other, as they would on a live server.
 */

let ts: TestServer;
const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z
const S = 1_000_000_000n;

function storage(): ServerStorage & { compact(): Promise<void> } {
  return ts.server.openedStorage as ServerStorage & { compact(): Promise<void> };
}

async function run(query: string, pushDown: boolean): Promise<string> {
  const svc = new QueryService({ meta: ts.server.meta, storage: () => storage(), controller: new QueryController(DEFAULT_QUERY_LIMITS, new SystemClock()) });
  let out = '';
  const outcome = await svc.execute(
    { query, org: ts.server.meta.orgs.findByName('acme')!, auth: { allows: () => true }, nowNs: T0 + 86_400n * S, dialect: ANNOTATED_DIALECT, signal: new AbortController().signal, pushDown },
    (chunk) => {
      out += chunk;
    },
  );
  if (outcome.error !== undefined) throw outcome.error;
  return out;
}

async function write(lines: string[]): Promise<void> {
  const res = await fetch(`${ts.url}/api/v2/write?org=acme&bucket=telemetry`, { method: 'POST', headers: { authorization: `Token ${ts.token}` }, body: lines.join('\n') });
  expect(res.status).toBe(204);
}

/** `n` points per host and field every 10 s from `fromS` seconds after T0; values depend on `salt`. */
function points(fromS: number, n: number, salt: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    for (const host of ['a', 'b', 'c']) {
      const t = T0 + BigInt(fromS + i * 10) * S;
      lines.push(`cpu,host=${host} u=${(i * 7 + salt + host.charCodeAt(0)) % 100}.5,n=${i + salt}i ${t}`);
    }
  }
  return lines;
}

const ranges = [
  ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'], // every entry wholly inside
  ['2026-01-01T00:05:00Z', '2026-01-01T03:00:00Z'], // cuts entries: partial chunks are read
];
const tails = ['count()', 'last()', 'first()', 'count() |> group() |> sum()', 'filter(fn: (r) => r._field == "n") |> last()'];

async function expectPushedEqualsPlain(state: string): Promise<void> {
  for (const [start, stop] of ranges) {
    for (const tail of tails) {
      const q = `from(bucket: "telemetry") |> range(start: ${start!}, stop: ${stop!}) |> filter(fn: (r) => r._measurement == "cpu") |> ${tail}`;
      const pushed = await run(q, true);
      expect(pushed, `${state}: ${q}`).toBe(await run(q, false));
      expect(pushed.split('\r\n').length, `${state}: ${q}`).toBeGreaterThan(4);
    }
  }
}

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
});
afterAll(async () => {
  await ts.cleanup();
});

describe('count/first/last from block metadata', () => {
  it('agree with plain execution in every state of the data', async () => {
    await write(points(0, 2000, 0));
    await storage().flush!();
    await expectPushedEqualsPlain('blocks only');

    await write(points(20_000, 50, 1)); // the head continues the block
    await expectPushedEqualsPlain('block + head after it');

    await write(points(600, 30, 2)); // overwrites inside the block, still in the head
    await expectPushedEqualsPlain('head overwriting a block');

    await storage().flush!();
    await expectPushedEqualsPlain('two blocks, the newer overwriting the older');

    const del = await fetch(`${ts.url}/api/v2/delete?org=acme&bucket=telemetry`, {
      method: 'POST',
      headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ start: '2026-01-01T01:00:00Z', stop: '2026-01-01T01:30:00Z', predicate: 'host="b"' }),
    });
    expect(del.status).toBe(204);
    await expectPushedEqualsPlain('tombstone over blocks');

    await write(points(19_990, 1, 3)); // the newest point of each series rewritten in the head
    await expectPushedEqualsPlain('last point overwritten in the head');

    await storage().flush!();
    await storage().compact();
    await expectPushedEqualsPlain('compacted');
  });

  it('reads no chunk for whole-range count and last once the data is compacted', async () => {
    await storage().flush!();
    await storage().compact();
    const restarted = await ts.restart();
    ts = restarted;
    const before = sharedBlockBytes.sizeBytes;
    const q = (tail: string): string => `from(bucket: "telemetry") |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-02T00:00:00Z) |> filter(fn: (r) => r._measurement == "cpu") |> ${tail}`;
    const count = await run(q('count() |> group() |> sum()'), true);
    await run(q('last()'), true);
    // No chunk region was loaded (a decode would have read it into the bytes cache).
    expect(sharedBlockBytes.sizeBytes).toBe(before);
    expect(count).toBe(await run(q('count() |> group() |> sum()'), false));
    expect(sharedBlockBytes.sizeBytes).toBeGreaterThan(before);
  });
});
