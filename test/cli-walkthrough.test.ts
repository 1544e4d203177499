import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliRunner, type CliRunner } from './helpers/cli-process.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * The seed's walkthrough done only with the CLI, as a user would: set up a fresh server, write a
 * file with a progress line, create the downsampling task from a file, start a run for a slot,
 * list runs, read the run's logs, and query the destination bucket for exactly the expected means.
 */
let ts: TestServer;
let dir: string;
let cli: CliRunner;

beforeAll(async () => {
  const bundle = await buildCli('sluice-cli-walkthrough');
  dir = await mkdtemp(join(tmpdir(), 'sluice-walkthrough-'));
  cli = cliRunner(bundle, dir, join(dir, 'configs.json'));
  ts = await startTestServer();
}, 120_000);

afterAll(async () => {
  await ts?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the seed walkthrough with the sluice CLI', () => {
  it('setup, write, downsampling task, run, logs, query the destination', async () => {
    await cli.ok(['setup', '--host', ts.url, '--username', 'ops', '--password', 'correct-horse-1', '--org', 'acme', '--bucket', 'src', '--force']);
    await cli.ok(['bucket', 'create', '--name', 'dst']);

    // 12 points one minute apart in [00:00, 00:12): 5-minute means are known exactly.
    const lines = Array.from({ length: 12 }, (_, i) => `cpu,host=a usage=${i}.0 ${1767225600 + i * 60}`).join('\n') + '\n';
    await writeFile(join(dir, 'cpu.lp'), lines);
    const written = await cli.sluice(['write', '--bucket', 'src', '--precision', 's', '--file', join(dir, 'cpu.lp'), '--progress']);
    expect(written.code).toBe(0);
    expect(written.stderr).toMatch(/12 lines/);

    await writeFile(
      join(dir, 'downsample.flux'),
      `option task = {name: "downsample", every: 15m}

from(bucket: "src")
    |> range(start: -task.every)
    |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage")
    |> aggregateWindow(every: 5m, fn: mean, createEmpty: false)
    |> to(bucket: "dst")
`,
    );
    const task = await cli.okJson<{ id: string; name: string }>(['task', 'create', '--file', join(dir, 'downsample.flux')]);
    expect(task.name).toBe('downsample');

    // The slot ending at 00:15 covers [00:00, 00:15).
    const run = await cli.okJson<{ id: string }>(['task', 'run', 'start', '--task-id', task.id, '--scheduled-for', '2026-01-01T00:15:00Z']);
    let status = '';
    for (let i = 0; i < 100 && status !== 'success' && status !== 'failed'; i++) {
      const runs = await cli.okJson<{ id: string; status: string }[]>(['task', 'run', 'list', '--task-id', task.id]);
      status = runs.find((r) => r.id === run.id)?.status ?? '';
      if (status !== 'success' && status !== 'failed') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('success');

    const logs = await cli.okJson<{ message: string }[]>(['task', 'log', 'list', '--task-id', task.id, '--run-id', run.id]);
    expect(logs.map((l) => l.message)).toEqual([expect.stringMatching(/^Started task from script: "option task/), 'Completed(success)']);

    const tables = await cli.okJson<{ records: { _time: string; _value: number }[] }[]>([
      'query',
      'from(bucket: "dst") |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T01:00:00Z) |> keep(columns: ["_time", "_value"])',
    ]);
    expect(tables.flatMap((t) => t.records).map((r) => [r._time, r._value])).toEqual([
      ['2026-01-01T00:05:00Z', 2],
      ['2026-01-01T00:10:00Z', 7],
      ['2026-01-01T00:15:00Z', 10.5],
    ]);
  });
});
