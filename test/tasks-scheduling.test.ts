import { InfluxDB, setLogger } from '@influxdata/influxdb-client';
import { TasksAPI, type Run } from '@influxdata/influxdb-client-apis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

setLogger({ error: () => undefined, warn: () => undefined });

// 2026-01-01T10:00:30Z; scheduling moves only when the test advances the clock.
const clock = new FakeClock(Date.UTC(2026, 0, 1, 10, 0, 30));
let ts: TestServer;
let orgID: string;

async function api(method: string, path: string, body?: unknown, token = ts.token): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${ts.url}${path}`, {
    method,
    headers: { authorization: `Token ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const tasksApi = (token = ts.token): TasksAPI => new TasksAPI(new InfluxDB({ url: ts.url, token }));

/** Polls (bounded) until `taskID` has `count` finished runs; returns them oldest first. */
async function finishedRuns(taskID: string, count: number): Promise<Run[]> {
  let runs: Run[] = [];
  for (let i = 0; i < 300; i++) {
    runs = ((await tasksApi().getTasksIDRuns({ taskID })).runs ?? []).filter((r) => r.status !== 'scheduled' && r.status !== 'started');
    if (runs.length >= count) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return runs.reverse();
}

const tick = (name: string, extra = ''): string =>
  `import "array"\noption task = {name: "${name}", every: 1h${extra}}\narray.from(rows: [{_time: now(), _measurement: "${name}", _field: "n", _value: 1}]) |> to(bucket: "out")\n`;

beforeAll(async () => {
  ts = await startTestServer({ setup: true, deps: { clock }, config: { taskMaxConcurrency: 2 } });
  orgID = ts.onboarded!.orgID;
  expect((await api('POST', '/api/v2/buckets', { orgID, name: 'out', retentionRules: [] })).status).toBe(201);
});

afterAll(async () => {
  await ts.cleanup();
});

describe('task permissions', () => {
  let bobToken: string;
  let readOnlyToken: string;

  beforeAll(async () => {
    const bob = await api('POST', '/api/v2/users', { name: 'bob' });
    expect(bob.status).toBe(201);
    expect((await api('POST', `/api/v2/orgs/${orgID}/members`, { id: bob.json['id'] })).status).toBe(201);
    const perm = (action: string, type: string): unknown => ({ action, resource: { type, orgID } });
    const token = async (permissions: unknown[]): Promise<string> => {
      const res = await api('POST', '/api/v2/authorizations', { orgID, userID: bob.json['id'], permissions });
      expect(res.status).toBe(201);
      return res.json['token'] as string;
    };
    // Bob may manage tasks and read buckets, but not write to them.
    bobToken = await token([perm('read', 'tasks'), perm('write', 'tasks'), perm('read', 'buckets'), perm('read', 'orgs')]);
    readOnlyToken = await token([perm('read', 'tasks')]);
  });

  it('creating needs write:tasks in the org', async () => {
    const res = await api('POST', '/api/v2/tasks', { orgID, flux: tick('denied') }, readOnlyToken);
    expect(res).toMatchObject({ status: 401, json: { code: 'unauthorized' } });
  });

  it('a run executes with the owner’s permissions: bob’s task cannot write to a bucket', async () => {
    const task = await tasksApi(bobToken).postTasks({ body: { orgID, flux: tick('bobs') } });
    expect(task.ownerID).not.toBe(ts.onboarded!.userID);
    // The operator may start it, but it still runs as bob.
    const run = await tasksApi().postTasksIDRuns({ taskID: task.id, body: {} });
    const [done] = await finishedRuns(task.id, 1);
    expect(done?.id).toBe(run.id);
    expect(done?.status).toBe('failed');
    const logs = await tasksApi().getTasksIDRunsIDLogs({ taskID: task.id, runID: run.id! });
    // The query path reports a bucket the caller may not write as not found (as InfluxDB's to() does).
    expect(logs.events?.map((e) => e.message).join('\n')).toMatch(/could not find bucket "out"|not authorized/);
    // Without org or user filters, a caller lists its own tasks (InfluxDB).
    expect((await tasksApi(bobToken).getTasks()).tasks?.map((t) => t.id)).toEqual([task.id]);
    expect((await tasksApi(readOnlyToken).getTasks({ orgID })).tasks?.map((t) => t.name)).toContain('bobs');
    await tasksApi().deleteTasksID({ taskID: task.id });
  });

  it('owners: the creator, and ownership can be transferred to an org member', async () => {
    const task = await tasksApi(bobToken).postTasks({ body: { orgID, flux: tick('owned') } });
    const owners = await tasksApi().getTasksIDOwners({ taskID: task.id });
    expect(owners.users?.map((u) => [u.name, u.role])).toEqual([['bob', 'owner']]);
    await tasksApi().postTasksIDOwners({ taskID: task.id, body: { id: ts.onboarded!.userID } });
    expect((await tasksApi().getTasksID({ taskID: task.id })).ownerID).toBe(ts.onboarded!.userID);
    expect((await tasksApi().getTasksIDMembers({ taskID: task.id })).users).toEqual([]);
    // Its runs now execute as the new owner, who may write to the bucket.
    const run = await tasksApi().postTasksIDRuns({ taskID: task.id, body: {} });
    const [done] = await finishedRuns(task.id, 1);
    expect(done).toMatchObject({ id: run.id, status: 'success' });
    await tasksApi().deleteTasksID({ taskID: task.id });
  });
});

describe('scheduling in the server', () => {
  it('runs due slots, catches up missed ones after a restart per the task’s policy, skips while inactive', async () => {
    const all = await tasksApi().postTasks({ body: { orgID, flux: tick('catchall') } });
    const skip = await tasksApi().postTasks({ body: { orgID, flux: tick('catchskip', ', catchup: "skip"') } });
    clock.advanceTo(Date.UTC(2026, 0, 1, 11, 0, 0));
    expect((await finishedRuns(all.id, 1)).map((r) => [r.scheduledFor, r.status])).toEqual([['2026-01-01T11:00:00Z', 'success']]);
    expect((await finishedRuns(skip.id, 1)).map((r) => r.scheduledFor)).toEqual(['2026-01-01T11:00:00Z']);

    await ts.stop();
    clock.advanceTo(Date.UTC(2026, 0, 1, 14, 30, 0));
    ts = await ts.restart();
    const caughtUp = await finishedRuns(all.id, 4);
    expect(caughtUp.map((r) => [r.scheduledFor, r.status])).toEqual([
      ['2026-01-01T11:00:00Z', 'success'],
      ['2026-01-01T12:00:00Z', 'success'],
      ['2026-01-01T13:00:00Z', 'success'],
      ['2026-01-01T14:00:00Z', 'success'],
    ]);
    // `catchup: "skip"`: nothing for the outage; the next slot is 15:00.
    expect((await finishedRuns(skip.id, 1)).map((r) => r.scheduledFor)).toEqual(['2026-01-01T11:00:00Z']);
    const next = (await tasksApi().getTasksID({ taskID: skip.id })) as { nextRuns?: string[] };
    expect(next.nextRuns?.[0]).toBe('2026-01-01T15:00:00Z');

    // Inactive → active skips the slots missed meanwhile (InfluxDB); the next is the first after now.
    await tasksApi().patchTasksID({ taskID: all.id, body: { status: 'inactive' } });
    clock.advanceTo(Date.UTC(2026, 0, 1, 17, 30, 0));
    await tasksApi().patchTasksID({ taskID: all.id, body: { status: 'active' } });
    const reactivated = (await tasksApi().getTasksID({ taskID: all.id })) as { nextRuns?: string[]; latestCompleted?: string };
    expect(reactivated.nextRuns?.[0]).toBe('2026-01-01T18:00:00Z');
    expect(reactivated.latestCompleted).toBe('2026-01-01T17:30:00Z');
    expect(await finishedRuns(all.id, 4)).toHaveLength(4);

    const text = await (await fetch(`${ts.url}/metrics`)).text();
    expect(text).toMatch(/task_executor_total_runs_complete\{status="success"\} [1-9]/);
    expect(text).toMatch(/task_scheduler_schedule_delay_bucket\{le="\+Inf"\} [1-9]/);
    await tasksApi().deleteTasksID({ taskID: all.id });
    await tasksApi().deleteTasksID({ taskID: skip.id });
  });
});
