import { HttpError, InfluxDB, setLogger } from '@influxdata/influxdb-client';
import { FluxScriptInvocationAPI, ScriptsAPI, TasksAPI, type Run, type Task } from '@influxdata/influxdb-client-apis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

setLogger({ error: () => undefined, warn: () => undefined });

// The server's clock: 2026-01-01T14:37:12Z. Scheduling is driven by advancing it, never by sleeping.
const START_MS = Date.UTC(2026, 0, 1, 14, 37, 12);
const NS_PER_MS = 1_000_000n;
const clock = new FakeClock(START_MS);
let ts: TestServer;
let orgID: string;
let tasks: TasksAPI;

function client(): InfluxDB {
  return new InfluxDB({ url: ts.url, token: ts.token });
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${ts.url}${path}`, {
    method,
    headers: { authorization: `Token ${ts.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function write(bucket: string, lines: string): Promise<void> {
  const res = await fetch(`${ts.url}/api/v2/write?org=acme&bucket=${bucket}&precision=ns`, {
    method: 'POST',
    headers: { authorization: `Token ${ts.token}` },
    body: lines,
  });
  if (res.status !== 204) throw new Error(`write failed: ${res.status} ${await res.text()}`);
}

async function query(flux: string): Promise<Record<string, unknown>[]> {
  return client()
    .getQueryApi({ org: 'acme', now: () => new Date(clock.nowMs()).toISOString() })
    .collectRows<Record<string, unknown>>(flux);
}

/** Polls a real run until it leaves scheduled/started (bounded: the run executes on the event loop). */
async function settled(taskID: string, runID: string): Promise<Run> {
  for (let i = 0; i < 200; i++) {
    const run = await tasks.getTasksIDRunsID({ taskID, runID });
    if (run.status !== 'scheduled' && run.status !== 'started') return run;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`run ${runID} did not finish`);
}

async function statusOf(p: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await p;
    return { status: 0, body: undefined };
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return { status: e.statusCode, body: e.json ?? e.body };
  }
}

beforeAll(async () => {
  ts = await startTestServer({ setup: true, deps: { clock } });
  orgID = ts.onboarded!.orgID;
  tasks = new TasksAPI(client());
});

afterAll(async () => {
  await ts.cleanup();
});

const DOWNSAMPLE = `option task = {name: "downsample", every: 1h, offset: 5m}

from(bucket: "telemetry")
    |> range(start: -task.every)
    |> filter(fn: (r) => r._measurement == "cpu")
    |> aggregateWindow(every: task.every, fn: mean)
    |> set(key: "_measurement", value: "cpu_1h")
    |> to(bucket: "rollups")
`;

describe('tasks API with the official client', () => {
  let task: Task;

  it('creates a task from Flux with InfluxDB’s Task shape', async () => {
    const created = await api('POST', '/api/v2/buckets', { orgID, name: 'rollups', retentionRules: [] });
    expect(created.status).toBe(201);
    task = await tasks.postTasks({ body: { orgID, flux: DOWNSAMPLE, description: 'hourly mean' } });
    expect(task).toMatchObject({
      orgID,
      org: 'acme',
      ownerID: ts.onboarded!.userID,
      name: 'downsample',
      description: 'hourly mean',
      status: 'active',
      flux: DOWNSAMPLE,
      every: '1h',
      offset: '5m',
      labels: [],
      createdAt: '2026-01-01T14:37:12Z',
      latestCompleted: '2026-01-01T14:37:12Z',
      links: { self: `/api/v2/tasks/${task.id}`, runs: `/api/v2/tasks/${task.id}/runs`, logs: `/api/v2/tasks/${task.id}/logs` },
    });
    expect(task.cron).toBeUndefined();
    expect(task.lastRunStatus).toBeUndefined();
  });

  it('gets it with the next scheduled slots (every aligned to the hour)', async () => {
    const got = (await tasks.getTasksID({ taskID: task.id })) as Task & { nextRuns?: string[] };
    expect(got.id).toBe(task.id);
    expect(got.nextRuns?.slice(0, 3)).toEqual(['2026-01-01T15:00:00Z', '2026-01-01T16:00:00Z', '2026-01-01T17:00:00Z']);
  });

  it('lists by org, name and status; after pages past it', async () => {
    const other = await tasks.postTasks({ body: { orgID, flux: 'option task = {name: "other", cron: "0 * * * *"}\nfrom(bucket: "telemetry") |> range(start: -1h)' } });
    const all = await tasks.getTasks({ orgID });
    expect(all.tasks?.map((t) => t.id)).toEqual([task.id, other.id].sort());
    expect((await tasks.getTasks({ orgID, name: 'other' })).tasks?.map((t) => t.id)).toEqual([other.id]);
    expect((await tasks.getTasks({ orgID, status: 'inactive' })).tasks).toEqual([]);
    expect((await tasks.getTasks({ orgID, after: [task.id, other.id].sort()[0]! })).tasks).toHaveLength(1);
    const page = await tasks.getTasks({ orgID, limit: 1 });
    expect(page.tasks).toHaveLength(1);
    expect(page.links?.next).toContain('after=');
    expect(await api('GET', '/api/v2/tasks?org=nope')).toMatchObject({ status: 400, json: { message: 'failed to decode request: org nope not found or unauthorized' } });
    expect(await api('GET', '/api/v2/tasks?type=check')).toMatchObject({ status: 400, json: { message: '"check" is not a valid task type' } });
    expect(await api('GET', '/api/v2/tasks?limit=0')).toMatchObject({ status: 400, json: { message: 'failed to decode request: limit must be between 1 and 500' } });
    await tasks.deleteTasksID({ taskID: other.id });
    expect((await statusOf(tasks.getTasksID({ taskID: other.id }))).status).toBe(404);
  });

  it('rejects bad options with InfluxDB’s messages', async () => {
    const cases: [string, string][] = [
      ['from(bucket: "x") |> range(start: -1h)', 'invalid options: no task options defined'],
      ['option task = {every: 1h}', 'invalid options: missing required option: name'],
      ['option task = {name: "a", every: 1h, cron: "* * * * *"}', 'invalid options: cannot use both cron and every in task options'],
      ['option task = {name: "", every: 1h}', 'invalid options: invalid options: name required'],
      ['option task = {name: "a", every: 500ms}', 'invalid options: invalid options: every option must be at least 1 second'],
    ];
    for (const [flux, message] of cases) {
      const res = await api('POST', '/api/v2/tasks', { orgID, flux });
      expect(res, flux).toMatchObject({ status: 400, json: { code: 'invalid', message } });
    }
    expect(await api('POST', '/api/v2/tasks', { orgID })).toMatchObject({ status: 400, json: { message: 'failed to decode request: missing flux' } });
    expect(await api('POST', '/api/v2/tasks', { flux: DOWNSAMPLE })).toMatchObject({
      status: 400,
      json: { message: 'failed to decode request: missing orgID and org' },
    });
  });

  it('patches every/offset into the Flux, and description and status', async () => {
    const patched = await tasks.patchTasksID({ taskID: task.id, body: { every: '30m', offset: '0s', description: 'half-hourly' } });
    expect(patched).toMatchObject({ every: '30m', description: 'half-hourly' });
    expect(patched.offset).toBeUndefined();
    expect(patched.flux).toContain('every: 30m');
    expect(patched.flux).not.toContain('offset');
    const back = await tasks.patchTasksID({ taskID: task.id, body: { flux: DOWNSAMPLE } });
    expect(back).toMatchObject({ every: '1h', offset: '5m', flux: DOWNSAMPLE });
    const off = await tasks.patchTasksID({ taskID: task.id, body: { status: 'inactive' } });
    expect(off.status).toBe('inactive');
    // Unlike InfluxDB, an inactive task can be run by hand (to test or backfill it first).
    const idle = await tasks.postTasks({ body: { orgID, status: 'inactive', flux: 'import "array"\noption task = {name: "idle", every: 1h}\narray.from(rows: [{x: 1}])' } });
    expect(idle.status).toBe('inactive');
    const manual = await api('POST', `/api/v2/tasks/${idle.id}/runs`, {});
    expect(manual).toMatchObject({ status: 201, json: { status: 'scheduled' } });
    expect((await settled(idle.id, (manual.json as { id: string }).id)).status).toBe('success');
    expect((await tasks.patchTasksID({ taskID: task.id, body: { status: 'active' } })).status).toBe('active');
    expect(await api('PATCH', `/api/v2/tasks/${task.id}`, {})).toMatchObject({
      status: 400,
      json: { message: 'failed to decode request: cannot update task without content' },
    });
  });

  it('runs manually for a scheduledFor: now() is that time, to() writes the rollup', async () => {
    // cpu points in [13:00, 14:00) and one after: the run for 14:00 sees the first ones only.
    const base = BigInt(Date.UTC(2026, 0, 1, 13, 0, 0)) * NS_PER_MS;
    const minute = 60_000_000_000n;
    await write('telemetry', [`cpu,host=a v=10 ${base}`, `cpu,host=a v=20 ${base + 30n * minute}`, `cpu,host=a v=1000 ${base + 61n * minute}`].join('\n'));
    const run = await tasks.postTasksIDRuns({ taskID: task.id, body: { scheduledFor: '2026-01-01T14:00:00Z' } });
    expect(run).toMatchObject({ taskID: task.id, status: 'scheduled', scheduledFor: '2026-01-01T14:00:00Z' });
    expect(run.requestedAt).toBe('2026-01-01T14:37:12Z');
    const done = await settled(task.id, run.id!);
    expect(done.status, JSON.stringify(done.log)).toBe('success');
    expect(done.log?.[0]?.message).toBe(`Started task from script: ${JSON.stringify(DOWNSAMPLE)}`);
    expect(done.log?.at(-1)?.message).toBe('Completed(success)');
    const rows = await query('from(bucket: "rollups") |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-02T00:00:00Z)');
    expect(rows.map((r) => [r['_time'], r['_measurement'], r['host'], r['_value']])).toEqual([['2026-01-01T14:00:00Z', 'cpu_1h', 'a', 15]]);
    const after = await tasks.getTasksID({ taskID: task.id });
    expect(after).toMatchObject({ lastRunStatus: 'success' });
    expect(after.lastRunError).toBeUndefined();
    const runs = await tasks.getTasksIDRuns({ taskID: task.id });
    expect(runs.runs?.map((r) => r.id)).toContain(run.id);
    const logs = await tasks.getTasksIDRunsIDLogs({ taskID: task.id, runID: run.id! });
    expect(logs.events?.map((e) => e.message)).toEqual(done.log?.map((l) => l.message));
  });

  it('runs on schedule when the clock reaches slot + offset, and retries with the same scheduledFor', async () => {
    clock.advanceTo(Date.UTC(2026, 0, 1, 15, 5, 0));
    let runs: Run[] = [];
    for (let i = 0; i < 200 && runs.length === 0; i++) {
      runs = (await tasks.getTasksIDRuns({ taskID: task.id, afterTime: '2026-01-01T14:30:00Z' })).runs ?? [];
      if (runs.length === 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect(runs.map((r) => r.scheduledFor)).toEqual(['2026-01-01T15:00:00Z']);
    const done = await settled(task.id, runs[0]!.id!);
    expect(done.status).toBe('success');
    const retry = await tasks.postTasksIDRunsIDRetry({ taskID: task.id, runID: done.id!, body: {} });
    expect(retry.id).not.toBe(done.id);
    expect(retry.scheduledFor).toBe('2026-01-01T15:00:00Z');
    expect((await settled(task.id, retry.id!)).status).toBe('success');
    const windowed = await tasks.getTasksIDRuns({ taskID: task.id, beforeTime: '2026-01-01T14:30:00Z' });
    expect(windowed.runs?.map((r) => r.scheduledFor)).toEqual(['2026-01-01T14:00:00Z']);
    expect(await api('GET', `/api/v2/tasks/${task.id}/runs?beforeTime=2026-01-01T14:00:00Z&afterTime=2026-01-01T15:00:00Z`)).toMatchObject({
      status: 400,
      json: { message: 'failed to decode request: beforeTime must be later than afterTime' },
    });
    expect(await api('GET', `/api/v2/tasks/${task.id}/runs?limit=501`)).toMatchObject({
      status: 400,
      json: { message: 'failed to decode request: run limit is out of bounds, must be between 1 and 500' },
    });
  });

  it('a failing script’s run is failed with the real error in its logs and in lastRunError', async () => {
    const bad = await tasks.postTasks({
      body: { orgID, flux: 'option task = {name: "bad", every: 1h}\nfrom(bucket: "nope") |> range(start: -1h) |> to(bucket: "rollups")' },
    });
    const run = await tasks.postTasksIDRuns({ taskID: bad.id, body: {} });
    const done = await settled(bad.id, run.id!);
    expect(done.status).toBe('failed');
    const messages = (await tasks.getTasksIDLogs({ taskID: bad.id })).events?.map((e) => e.message ?? '') ?? [];
    expect(messages.some((m) => m.includes('could not find bucket "nope"'))).toBe(true);
    expect(messages).toContain('Completed(failed)');
    const after = await tasks.getTasksID({ taskID: bad.id });
    expect(after.lastRunStatus).toBe('failed');
    expect(after.lastRunError).toContain('could not find bucket "nope"');
    expect(await api('GET', `/api/v2/tasks/${bad.id}/runs/${'0'.repeat(15)}1`)).toMatchObject({
      status: 404,
      json: { message: 'failed to find run: run not found' },
    });
    // A finished run cannot be canceled.
    expect(await api('DELETE', `/api/v2/tasks/${bad.id}/runs/${run.id}`)).toMatchObject({ status: 404 });
  });

  it('cancels a future manual run', async () => {
    const run = await tasks.postTasksIDRuns({ taskID: task.id, body: { scheduledFor: '2026-01-02T00:00:00Z' } });
    expect(run.status).toBe('scheduled');
    expect((await api('DELETE', `/api/v2/tasks/${task.id}/runs/${run.id}`)).status).toBe(204);
    expect((await tasks.getTasksIDRunsID({ taskID: task.id, runID: run.id! })).status).toBe('canceled');
  });

  it('exposes task_scheduler metrics', async () => {
    const text = await (await fetch(`${ts.url}/metrics`)).text();
    expect(text).toMatch(/task_scheduler_schedule_delay_count \d+/);
    expect(text).toMatch(/task_executor_total_runs_complete\{status="success"\} [1-9]/);
    expect(text).toMatch(/task_executor_total_runs_complete\{status="failed"\} [1-9]/);
    expect(text).toContain('task_scheduler_current_execution 0');
    expect(text).toContain('task_scheduler_queue_length 0');
    // Task runs are queries too, in the same qc_* families as HTTP queries (as InfluxDB's one
    // controller counts them): the failing task's run is this org's only runtime error.
    expect(text).toMatch(new RegExp(`qc_requests_total\\{org="${orgID}",result="runtime_error"\\} [1-9]`));
    expect(text).toContain(`qc_executing_active{org="${orgID}"} 0`);
  });

  it('records finished runs in the _tasks bucket', async () => {
    // The point is written after the run finishes (asynchronously): poll, bounded.
    let statuses = new Set<unknown>();
    for (let i = 0; i < 100 && statuses.size < 3; i++) {
      const rows = await query(`from(bucket: "_tasks") |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-02T00:00:00Z) |> filter(fn: (r) => r._field == "runID")`);
      statuses = new Set(rows.map((r) => r['status']));
      if (statuses.size < 3) await new Promise((r) => setTimeout(r, 20));
    }
    expect(statuses).toEqual(new Set(['success', 'failed', 'canceled']));
    const logs = await query(
      `from(bucket: "_tasks") |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-02T00:00:00Z) |> filter(fn: (r) => r._field == "logs" and r.status == "failed")`,
    );
    expect(String(logs[0]?.['_value'])).toContain('could not find bucket');
  });

  it('keeps tasks and runs across a restart', async () => {
    ts = await ts.restart();
    tasks = new TasksAPI(client());
    const got = await tasks.getTasksID({ taskID: task.id });
    expect(got).toMatchObject({ name: 'downsample', status: 'active', lastRunStatus: 'success' });
    const runs = await tasks.getTasksIDRuns({ taskID: task.id });
    expect(runs.runs?.length).toBeGreaterThanOrEqual(3);
    const run = await tasks.postTasksIDRuns({ taskID: task.id, body: { scheduledFor: '2026-01-01T15:00:00Z' } });
    expect((await settled(task.id, run.id!)).status).toBe('success');
  });
});

describe('invokable scripts', () => {
  it('creates, invokes with params, lists params, rejects missing params, deletes', async () => {
    const scripts = new ScriptsAPI(client());
    const script = await scripts.postScripts({
      body: {
        name: 'double',
        description: 'twice x',
        language: 'flux',
        script: 'import "array"\narray.from(rows: [{label: params.label, v: params.x * 2}])',
      },
    });
    expect(script).toMatchObject({ name: 'double', language: 'flux', orgID });
    const rows = await new FluxScriptInvocationAPI(client()).invoke(script.id!, { x: 21, label: 'answer' }).collectRows();
    expect(rows).toEqual([expect.objectContaining({ label: 'answer', v: 42 })]);
    expect(await api('GET', `/api/v2/scripts/${script.id}/params`)).toMatchObject({ status: 200, json: { params: { x: 'int', label: 'any' } } });
    expect(await api('POST', `/api/v2/scripts/${script.id}/invoke`, { params: { x: 1 } })).toMatchObject({
      status: 400,
      json: { code: 'invalid', message: 'invalid parameters provided' },
    });
    expect(await api('POST', '/api/v2/scripts', { name: 'double', script: 'x', language: 'flux' })).toMatchObject({
      status: 422,
      json: { code: 'conflict', message: 'uniqueness violation' },
    });
    const patched = await scripts.patchScriptsID({ scriptID: script.id!, body: { description: 'new' } });
    expect(patched.description).toBe('new');
    expect((await scripts.getScripts()).scripts?.map((s) => s.name)).toContain('double');
    await scripts.deleteScriptsID({ scriptID: script.id! });
    expect((await api('GET', `/api/v2/scripts/${script.id}`)).status).toBe(404);
  });

  it('a task can run a script with scriptParameters and body options', async () => {
    await api('POST', '/api/v2/buckets', { orgID, name: 'marks', retentionRules: [] });
    const script = await new ScriptsAPI(client()).postScripts({
      body: {
        name: 'mark',
        description: '',
        language: 'flux',
        script: 'import "array"\narray.from(rows: [{_time: now(), _measurement: "mark", _field: task.name, _value: params.v}]) |> to(bucket: "marks")',
      },
    });
    const res = await api('POST', '/api/v2/tasks', { orgID, scriptID: script.id, scriptParameters: { v: 7 }, name: 'marker', every: '1h' });
    expect(res).toMatchObject({ status: 201, json: { name: 'marker', every: '1h', scriptID: script.id, scriptParameters: { v: 7 } } });
    const taskID = res.json['id'] as string;
    const run = await tasks.postTasksIDRuns({ taskID, body: { scheduledFor: '2026-01-01T12:00:00Z' } });
    const done = await settled(taskID, run.id!);
    expect(done.status, JSON.stringify(done.log)).toBe('success');
    const rows = await query('from(bucket: "marks") |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-02T00:00:00Z)');
    expect(rows.map((r) => [r['_time'], r['_field'], r['_value']])).toEqual([['2026-01-01T12:00:00Z', 'marker', 7]]);

    // New parameters and a new schedule apply to later runs; flux cannot be mixed in.
    const patched = await api('PATCH', `/api/v2/tasks/${taskID}`, { scriptParameters: { v: 8 }, every: '2h' });
    expect(patched).toMatchObject({ status: 200, json: { every: '2h', scriptParameters: { v: 8 } } });
    expect(await api('PATCH', `/api/v2/tasks/${taskID}`, { flux: 'option task = {name: "x", every: 1h}' })).toMatchObject({ status: 400 });
    const second = await tasks.postTasksIDRuns({ taskID, body: { scheduledFor: '2026-01-01T13:00:00Z' } });
    expect((await settled(taskID, second.id!)).status).toBe('success');
    const after = await query('from(bucket: "marks") |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-02T00:00:00Z)');
    expect(after.map((r) => r['_value'])).toEqual([7, 8]);
    expect(await api('POST', '/api/v2/tasks', { orgID, scriptID: script.id, name: 'nop', every: '1h', flux: 'x' })).toMatchObject({ status: 400 });
    expect(await api('POST', '/api/v2/tasks', { orgID, scriptID: script.id, every: '1h' })).toMatchObject({
      status: 400,
      json: { message: 'invalid options: missing required option: name' },
    });
  });
});
