import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * `sluice flux run` with `host:`: the real CLI (bundled, on plain node) reads from and writes to a
 * real Sluice server, as a server-side query would.
 */
const ROOT = join(import.meta.dirname, '..');
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'sluice-flux-remote-test', String(process.pid));
const BUNDLE = join(BUNDLE_DIR, 'main.mjs');

let dir: string;
let remote: TestServer;

beforeAll(async () => {
  await mkdir(BUNDLE_DIR, { recursive: true });
  [remote] = await Promise.all([
    startTestServer({ setup: { org: 'far', bucket: 'source' } }),
    build({ input: join(ROOT, 'src', 'cli', 'main.ts'), platform: 'node', output: { file: BUNDLE, format: 'esm' }, external: [/^node:/, /^[a-z@][^:]*$/], logLevel: 'warn' }),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'sluice-flux-remote-'));
  const lines = Array.from({ length: 6 }, (_, i) => `cpu,host=h${i % 2} usage=${i}.5 ${1_767_225_600 + i * 60}`).join('\n');
  const w = await fetch(`${remote.url}/api/v2/write?org=far&bucket=source&precision=s`, { method: 'POST', headers: { authorization: `Token ${remote.token}` }, body: lines });
  expect(w.status).toBe(204);
  const b = await fetch(`${remote.url}/api/v2/buckets`, {
    method: 'POST',
    headers: { authorization: `Token ${remote.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'copy', orgID: remote.onboarded!.orgID, retentionRules: [] }),
  });
  expect(b.status).toBe(201);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await remote.cleanup();
});

function sluice(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const RANGE = 'range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T01:00:00Z)';
const who = (): string => `host: "${remote.url}", token: "${remote.token}", org: "far"`;

describe('sluice flux run with host:', () => {
  it('reads from a server (filters pushed to it) and prints what that server answers', async () => {
    const script = `from(bucket: "source", ${who()}) |> ${RANGE} |> filter(fn: (r) => r.host == "h1" and r._value > 2.0) |> keep(columns: ["_time", "_value", "host"])\n`;
    const r = await sluice(['flux', 'run', '--format', 'csv', '-'], script);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '#datatype,string,long,dateTime:RFC3339,double,string\r\n#group,false,false,false,false,true\r\n#default,_result,,,,\r\n' +
        ',result,table,_time,_value,host\r\n,,0,2026-01-01T00:03:00Z,3.5,h1\r\n,,0,2026-01-01T00:05:00Z,5.5,h1\r\n\r\n',
    );
  });

  it('writes to a server with to(host:), and buckets(host:) lists its buckets', async () => {
    const script = `from(bucket: "source", ${who()}) |> ${RANGE} |> to(bucket: "copy", ${who()}) |> count() |> keep(columns: ["_value"])\n`;
    const w = await sluice(['flux', 'run', '--format', 'csv', '-'], script);
    expect(w.stderr).toBe('');
    expect(w.code).toBe(0);
    const back = await sluice(['flux', 'run', '--format', 'csv', '-'], `from(bucket: "copy", ${who()}) |> ${RANGE} |> group() |> count() |> keep(columns: ["_value"])\n`);
    expect(back.stdout).toContain(',,0,6\r\n');
    const names = await sluice(['flux', 'run', '--format', 'csv', '-'], `buckets(${who()}) |> filter(fn: (r) => r.name == "copy") |> keep(columns: ["name"])\n`);
    expect(names.stdout).toContain(',,0,copy\r\n');
  });

  it('a bucket without host: is an error naming what to do; the remote\'s errors are its own', async () => {
    const local = await sluice(['flux', 'run', '-'], `from(bucket: "source") |> ${RANGE}\n`);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain('sluice flux run has no local buckets: read and write another server with host:, token: and org:');
    const denied = await sluice(['flux', 'run', '-'], `from(bucket: "source", host: "${remote.url}", token: "wrong", org: "far") |> ${RANGE}\n`);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe('sluice flux: unauthorized access\n');
  });

  it('validates the remote timeout flags', async () => {
    const r = await sluice(['flux', 'run', '--remote-idle-timeout', 'soon', '-'], 'x = 1\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sluice flux: --remote-idle-timeout: invalid duration "soon"; expected e.g. 30s, 1m or 0 for none');
  });
});
