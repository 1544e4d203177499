import { InfluxDB, setLogger } from '@influxdata/influxdb-client';
import { TasksAPI, type Run } from '@influxdata/influxdb-client-apis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

setLogger({ error: () => undefined, warn: () => undefined });

/**
 * A user moving off InfluxDB: a task on this server pulls each hour of raw data from the old
 * server (`from(host:, token:, org:)`), downsamples it and writes it here. Run by hand through
 * the tasks API for given hours, as a backfill would.
 */

let local: TestServer;
let old: TestServer;
let tasks: TasksAPI;
const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z
const MINUTE = 60_000_000_000n;

async function post(server: TestServer, path: string, body: string, contentType: string): Promise<number> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Token ${server.token}`, 'content-type': contentType }, body });
  await res.arrayBuffer();
  return res.status;
}

async function rows(server: TestServer, org: string, flux: string): Promise<Record<string, unknown>[]> {
  return new InfluxDB({ url: server.url, token: server.token }).getQueryApi(org).collectRows<Record<string, unknown>>(flux);
}

async function settled(taskID: string, runID: string): Promise<Run> {
  for (let i = 0; i < 2000; i++) {
    const run = await tasks.getTasksIDRunsID({ taskID, runID });
    if (run.status !== 'scheduled' && run.status !== 'started') return run;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`run ${runID} did not finish`);
}

beforeAll(async () => {
  // The local clock stands still at 03:30, so only manual runs happen.
  [local, old] = await Promise.all([
    startTestServer({ setup: true, deps: { clock: new FakeClock(Date.UTC(2026, 0, 1, 3, 30)) } }),
    startTestServer({ setup: { org: 'legacy', bucket: 'metrics' } }),
  ]);
  const lines: string[] = [];
  for (let i = 0; i < 180; i++) {
    for (const host of ['a', 'b']) lines.push(`cpu,host=${host} usage=${host === 'a' ? i : 1000 - i} ${T0 + BigInt(i) * MINUTE}`);
  }
  expect(await post(old, '/api/v2/write?org=legacy&bucket=metrics&precision=ns', lines.join('\n'), 'text/plain')).toBe(204);
  tasks = new TasksAPI(new InfluxDB({ url: local.url, token: local.token }));
});

afterAll(async () => {
  await Promise.all([local.cleanup(), old.cleanup()]);
});

it('a task reads from the remote host and writes the downsampled data locally', async () => {
  const flux = `option task = {name: "migrate", every: 1h}

from(bucket: "metrics", host: "${old.url}", token: "${old.token}", org: "legacy")
    |> range(start: -task.every)
    |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage")
    |> aggregateWindow(every: 15m, fn: mean)
    |> set(key: "_measurement", value: "cpu_15m")
    |> to(bucket: "telemetry")
`;
  const task = await tasks.postTasks({ body: { orgID: local.onboarded!.orgID, flux } });
  for (const hour of ['01', '02', '03']) {
    const run = await tasks.postTasksIDRuns({ taskID: task.id, body: { scheduledFor: `2026-01-01T${hour}:00:00Z` } });
    const done = await settled(task.id, run.id!);
    expect(done.status, JSON.stringify(done.log)).toBe('success');
  }
  const window = 'range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T03:00:00Z)';
  // Means are timed at their window's stop: the last one at 03:00.
  const migrated = await rows(local, 'acme', `from(bucket: "telemetry") |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T04:00:00Z) |> filter(fn: (r) => r._measurement == "cpu_15m")`);
  const expected = await rows(
    old,
    'legacy',
    `from(bucket: "metrics") |> ${window} |> filter(fn: (r) => r._measurement == "cpu") |> aggregateWindow(every: 15m, fn: mean)`,
  );
  const shape = (rs: Record<string, unknown>[]) => rs.map((r) => [r['host'], r['_time'], r['_value']]);
  expect(migrated.length).toBe(24);
  expect(shape(migrated)).toEqual(shape(expected));
  expect(shape(migrated).slice(0, 2)).toEqual([
    ['a', '2026-01-01T00:15:00Z', 7],
    ['a', '2026-01-01T00:30:00Z', 22],
  ]);
});

it('a run whose remote token is wrong fails with the remote\'s message in its log', async () => {
  const flux = `option task = {name: "migrate-bad", every: 1h}

from(bucket: "metrics", host: "${old.url}", token: "revoked", org: "legacy")
    |> range(start: -task.every)
    |> to(bucket: "telemetry")
`;
  const task = await tasks.postTasks({ body: { orgID: local.onboarded!.orgID, flux } });
  const run = await tasks.postTasksIDRuns({ taskID: task.id, body: { scheduledFor: '2026-01-01T01:00:00Z' } });
  const done = await settled(task.id, run.id!);
  expect(done.status).toBe('failed');
  expect(done.log?.map((l) => l.message).join('\n')).toContain('unauthorized access');
  expect((await tasks.getTasksID({ taskID: task.id })).lastRunError).toContain('unauthorized access');
});
