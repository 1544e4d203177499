import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../src/core/clock.js';
import { ANNOTATED_DIALECT } from '../src/flux/csv/index.js';
import { DEFAULT_QUERY_LIMITS, QueryController } from '../src/query/query-controller.js';
import { QueryService } from '../src/query/query-service.js';
import type { ReadRequest, Storage } from '../src/storage/storage.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * `r._value` filters pushed into the storage read (ReadRequest.valueFilter) give exactly the
 * plain filter's tables over data spread across blocks and the head, with overwrites (the head's
 * newer value wins over the block's), a tombstone, and a field that is a float in one shard group
 * and an integer in the next. Every query runs pushed and plain and the annotated CSV must match.
 */

let ts: TestServer;
const S = 1_000_000_000n;
const T0 = 1_704_067_200n * S; // 2024-01-01T00:00:00Z, a Monday: shard groups are 7 d from here
const WEEK = 7n * 86_400n * S;
const reads: ReadRequest[] = [];

function service(): QueryService {
  const real = ts.server.openedStorage!;
  const recording: Storage = Object.assign(Object.create(real) as Storage, {
    read: (r: ReadRequest) => {
      reads.push(r);
      return real.read(r);
    },
  });
  return new QueryService({ meta: ts.server.meta, storage: () => recording, controller: new QueryController(DEFAULT_QUERY_LIMITS, new SystemClock()) });
}

async function run(svc: QueryService, query: string, pushDown: boolean): Promise<string> {
  let out = '';
  const org = ts.server.meta.orgs.findByName('acme')!;
  const outcome = await svc.execute(
    { query, org, auth: { allows: () => true }, nowNs: T0 + 2n * WEEK, dialect: ANNOTATED_DIALECT, signal: new AbortController().signal, pushDown },
    (chunk) => {
      out += chunk;
    },
  );
  if (outcome.error !== undefined) throw outcome.error;
  return out;
}

async function write(lines: string[]): Promise<void> {
  const res = await fetch(`${ts.url}/api/v2/write?org=acme&bucket=telemetry&precision=ns`, {
    method: 'POST',
    headers: { authorization: `Token ${ts.token}` },
    body: lines.join('\n'),
  });
  expect(res.status).toBe(204);
}

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
  let seed = 11;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const hosts = ['a', 'b', 'c', 'd'];
  // Week 1: floats (with NaN-free two-decimal values around 0..100), flushed to blocks.
  const week1: string[] = [];
  for (let i = 0; i < 600; i++) {
    const host = hosts[next() % 4]!;
    week1.push(`cpu,host=${host} v=${(next() % 10_000) / 100},s="${String.fromCharCode(97 + (next() % 5))}" ${T0 + BigInt(i) * 10n * S}`);
  }
  await write(week1);
  await ts.server.openedStorage!.flush?.();
  // Overwrites of some of week 1's points, left in the head: the newer value must win.
  const overwrites: string[] = [];
  for (let i = 0; i < 600; i += 7) overwrites.push(`cpu,host=${hosts[i % 4]!} v=${(i % 2) * 99.5} ${T0 + BigInt(i) * 10n * S}`);
  await write(overwrites);
  // A tombstone over part of host b's blocks and head.
  await ts.server.openedStorage!.delete({
    bucketId: ts.onboarded!.bucketID,
    startNs: T0 + 1000n * S,
    stopNs: T0 + 3000n * S,
    predicate: { kind: 'compare', key: 'host', op: '==', value: 'b' },
  });
  // Week 2: the same field as integers (another shard group), in the head.
  const week2: string[] = [];
  for (let i = 0; i < 300; i++) week2.push(`cpu,host=${hosts[next() % 4]!} v=${(next() % 200) - 50}i ${T0 + WEEK + BigInt(i) * 10n * S}`);
  await write(week2);
});
afterAll(async () => {
  await ts.cleanup();
});

const conditions = [
  'r._value > 90.0',
  'r._value >= 50',
  '90 < r._value',
  'r._value == 99.5',
  'r._value != 0.0 and r._value < 10.0',
  'r._value <= -10',
  'r._value > 200.0',
  'r._value > 20.5 and r.host != "c"', // a conjunct storage does not take: the whole function still runs
];

const queryArb = fc
  .record({
    startS: fc.integer({ min: -100, max: 700_000 }),
    lengthS: fc.integer({ min: 1, max: 1_300_000 }),
    cond: fc.constantFrom(...conditions),
    second: fc.option(fc.constantFrom(...conditions), { nil: undefined }),
    field: fc.constantFrom('v', 's'),
  })
  .map((q) => {
    const s = new Date(Number(T0 / 1_000_000n) + q.startS * 1000).toISOString();
    const e = new Date(Number(T0 / 1_000_000n) + (q.startS + q.lengthS) * 1000).toISOString();
    const second = q.second === undefined ? '' : `|> filter(fn: (r) => ${q.second})`;
    return `from(bucket: "telemetry") |> range(start: ${s}, stop: ${e}) |> filter(fn: (r) => r._field == "${q.field}" and ${q.cond}) ${second}`;
  });

describe('value filters pushed into storage reads', () => {
  it('give the plain filter results over blocks, head, overwrites, a tombstone and a type change', async () => {
    const svc = service();
    const outcome = (query: string, pushDown: boolean): Promise<string> => run(svc, query, pushDown).catch((e: unknown) => `error: ${(e as Error).message}`);
    await fc.assert(
      fc.asyncProperty(queryArb, async (query) => {
        expect(await outcome(query, true), query).toBe(await outcome(query, false));
      }),
      { numRuns: 120 },
    );
  });

  it('reach storage as a valueFilter on the raw read (and not without push-down)', async () => {
    const svc = service();
    const query = `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-15T00:00:00Z) |> filter(fn: (r) => r._field == "v" and r._value > 90.0)`;
    reads.length = 0;
    const pushed = await run(svc, query, true);
    expect(reads.map((r) => r.valueFilter !== undefined)).toEqual([true]);
    reads.length = 0;
    expect(await run(svc, query, false)).toBe(pushed);
    expect(reads.every((r) => r.valueFilter === undefined)).toBe(true);
    // The answer is not empty (the comparison is not vacuous) and holds only values above 90.
    const values = pushed
      .split('\r\n')
      .filter((l) => l.startsWith(',,'))
      .map((l) => Number(l.split(',')[6]));
    expect(values.length).toBeGreaterThan(10);
    expect(values.every((v) => v > 90)).toBe(true);
  });
});
