import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from './helpers/cli-process.js';

/**
 * A runaway query must not take the server down: `sluice serve` as a real process with a small
 * JavaScript heap (256 MiB), a query whose empty windows over 20 years (2 M rows a series) are
 * all gathered by a sort — without the memory guard V8 aborts the process at its heap limit.
 */
let child: ChildProcess;
let dataDir: string;
let url = '';
let token = '';

beforeAll(async () => {
  const bundle = await buildCli('sluice-memory-guard-test');
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-memory-guard-'));
  child = spawn(process.execPath, ['--max-old-space-size=256', bundle, 'serve', '--data-dir', dataDir, '--http-bind-address', '127.0.0.1:0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      const m = /"url":"(http:\/\/[^"]+)","msg":"sluice ready"/.exec(err);
      if (m !== null) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`sluice exited with ${code}:\n${err}`)));
  });
  const setup = await fetch(`${url}/api/v2/setup`, {
    method: 'POST',
    body: JSON.stringify({ username: 'ada', password: 'password1', org: 'acme', bucket: 'b' }),
  });
  token = ((await setup.json()) as { auth: { token: string } }).auth.token;
  const now = BigInt(Date.now()) * 1_000_000n;
  const lines = Array.from({ length: 10 }, (_, i) => `m,host=h${i} v=${i} ${now - 3_600_000_000_000n}`);
  const write = await fetch(`${url}/api/v2/write?org=acme&bucket=b`, { method: 'POST', headers: { authorization: `Token ${token}` }, body: lines.join('\n') });
  expect(write.status).toBe(204);
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

function query(flux: string): Promise<Response> {
  return fetch(`${url}/api/v2/query?org=acme`, {
    method: 'POST',
    headers: { authorization: `Token ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: flux }),
  });
}

describe('the memory guard', () => {
  it('stops a query about to exhaust the heap with a clear error, and the server goes on', async () => {
    const res = await query('from(bucket: "b") |> range(start: -20y) |> aggregateWindow(every: 5m, fn: mean) |> group() |> sort(columns: ["_time"]) |> count()');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('invalid');
    expect(body.message).toMatch(/memory allocation limit reached: the server is nearly out of memory \(its JavaScript heap holds \d+ MiB of its \d+ MiB limit\)/);
    expect(child.exitCode).toBeNull();
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    // The memory is given back: the same server answers the next query.
    const ok = await query('from(bucket: "b") |> range(start: -1d) |> count() |> group() |> sum()');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/,_result,0,10\r\n/);
  }, 120_000);
});
