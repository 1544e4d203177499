import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Window aggregates of cached blocks are kept and handed to later queries (storage/read/
 * window-memo.ts): the same arrays reach the tables of every query that asks for them, so no
 * step after them may write into its input. Each query below runs over a windowed mean, and the
 * plain windowed mean asked again afterwards must be unchanged.
 */

let ts: TestServer;
const T0 = 1_704_067_200; // 2024-01-01T00:00:00Z, in seconds
const MEAN =
  'from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T02:00:00Z) |> filter(fn: (r) => r._measurement == "cpu" and r._field == "u") |> aggregateWindow(every: 5m, fn: mean, createEmpty: false)';

async function ask(query: string): Promise<string> {
  const res = await fetch(`${ts.url}/api/v2/query?org=acme`, {
    method: 'POST',
    headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/vnd.flux' },
    body: query,
  });
  const body = await res.text();
  expect(res.status, body).toBe(200);
  return body;
}

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
  // Two hosts, a point every 10 s for two hours, then a restart: the shutdown writes the head
  // to blocks, so the reads below come from cached blocks.
  const lines: string[] = [];
  for (const host of ['a', 'b']) for (let i = 0; i < 720; i++) lines.push(`cpu,host=${host} u=${((i * 37) % 101) / 3 + (host === 'a' ? 0 : 0.5)} ${T0 + i * 10}`);
  const res = await fetch(`${ts.url}/api/v2/write?org=acme&bucket=telemetry&precision=s`, { method: 'POST', headers: { authorization: `Token ${ts.token}` }, body: lines.join('\n') });
  expect(res.status).toBe(204);
  ts = await ts.restart();
}, 60_000);

afterAll(async () => {
  await ts?.cleanup();
});

describe('kept window aggregates', () => {
  it('are what storage hands out again (the same arrays)', async () => {
    const storage = ts.server.openedStorage!;
    const bucketId = ts.server.meta.buckets.findByName(ts.server.meta.orgs.findByName('acme')!.id, 'telemetry')!.id;
    const read = async (): Promise<unknown[]> => {
      const out: unknown[] = [];
      for await (const b of storage.read({ bucketId, startNs: BigInt(T0) * 1_000_000_000n, stopNs: BigInt(T0 + 7200) * 1_000_000_000n, aggregate: 'mean', window: { everyNs: 300_000_000_000n, offsetNs: 0n } })) {
        out.push(b.values);
      }
      return out;
    };
    const first = await read();
    const again = await read();
    expect(first).toHaveLength(2);
    expect(again[0]).toBe(first[0]);
    expect(again[1]).toBe(first[1]);
  });

  it('are not changed by anything a query does after them', async () => {
    const want = await ask(MEAN);
    expect(want.split('\r\n').filter((l) => /^,(_result)?,\d+,/.test(l)).length).toBe(48);
    const after = [
      '|> map(fn: (r) => ({r with _value: r._value * 2.0}))',
      '|> sort(columns: ["_value"])',
      '|> group() |> sort(columns: ["_value"], desc: true)',
      '|> cumulativeSum()',
      '|> difference()',
      '|> movingAverage(n: 3)',
      '|> exponentialMovingAverage(n: 3)',
      '|> derivative(unit: 1m)',
      '|> increase()',
      '|> fill(value: 0.0)',
      '|> timeShift(duration: 1h)',
      '|> truncateTimeColumn(unit: 1h)',
      '|> top(n: 3)',
      '|> toInt()',
      '|> pivot(rowKey: ["_time"], columnKey: ["host"], valueColumn: "_value")',
      '|> window(every: 1h) |> mean()',
      '|> reduce(fn: (r, accumulator) => ({sum: r._value + accumulator.sum}), identity: {sum: 0.0})',
    ];
    for (const tail of after) {
      await ask(`${MEAN} ${tail}`);
      expect(await ask(MEAN), tail).toBe(want);
    }
  });
});
