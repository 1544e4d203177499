import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../../test/helpers/test-server.js';
import { FakeClock } from '../../../core/clock.js';
import { bucketGroup } from '../bucket.js';
import { writeSpec } from '../write.js';
import type { CommandGroup, CommandSpec } from './command-spec.js';
import { runCaptured, type CapturedRun } from './testing/captured-run.js';
import { requestDump, responseDump } from './http-debug-fetch.js';

/** `--http-debug`: each exchange of a real command against a real server, printed as influx prints it. */
let ts: TestServer;
let dir: string;
const clock = new FakeClock(Date.UTC(2026, 4, 17, 9, 8, 7));

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-debug-'));
});
afterAll(async () => {
  await ts?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const run = (command: CommandSpec | CommandGroup, argv: string[]): Promise<CapturedRun> =>
  runCaptured('sluice', command, argv, { env: { SLUICE_CONFIGS_PATH: join(dir, 'configs.json') }, clock });

/** Go's log prefix for the fake clock's instant, in local time. */
function stamp(): string {
  const d = new Date(clock.nowMs());
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} `;
}

/** The stderr log entries: each is `<stamp>\n<dump>\n`. */
const entries = (stderr: string): string[] => stderr.split(stamp() + '\n').slice(1);

describe('--http-debug against a real server', () => {
  it('bucket list prints its request (token as sent) and the response with its body; stdout is unchanged', async () => {
    const host = new URL(ts.url).host;
    const r = await run(bucketGroup, ['list', '--host', ts.url, '-t', ts.token, '-o', 'acme', '--http-debug', '--hide-headers']);
    expect(r.code).toBe(0);
    expect(r.stderr.startsWith(stamp() + '\n')).toBe(true);
    const [request, response, ...rest] = entries(r.stderr);
    expect(rest).toEqual([]);
    expect(request).toBe(`GET /api/v2/buckets?org=acme&limit=100 HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Token ${ts.token}\r\n\r\n\n`);
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n(?:[A-Z][A-Za-z0-9-]*: [^\r\n]*\r\n)+\r\n\{.*"name":"telemetry".*\}\n$/s);
    expect(response).toMatch(/\r\nContent-Type: application\/json; charset=utf-8\r\n/);
    // Headers in Go's canonical case and sorted, as Header.Write prints them.
    const names = response!.split('\r\n\r\n')[0]!.split('\r\n').slice(1).map((l) => l.slice(0, l.indexOf(':')));
    expect(names).toEqual([...names].sort());
    // The body was read for the dump and still reached the command.
    expect(r.stdout).toMatch(/\btelemetry\b/);
  });

  it('write prints the line protocol body with its length and the 204 answer', async () => {
    const lp = 'cpu,host=a usage=0.5 1700000000000000000';
    const r = await run(writeSpec, ['--host', ts.url, '-t', ts.token, '-o', 'acme', '-b', 'telemetry', '--http-debug', lp]);
    expect(r.code).toBe(0);
    const [request, response] = entries(r.stderr);
    const body = `${lp}\n`;
    expect(request).toBe(
      `POST /api/v2/write?org=acme&bucket=telemetry&precision=ns HTTP/1.1\r\nHost: ${new URL(ts.url).host}\r\nContent-Length: ${body.length}\r\nAuthorization: Token ${ts.token}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\n`,
    );
    expect(response).toMatch(/^HTTP\/1\.1 204 No Content\r\n(?:[^\r\n]+\r\n)*\r\n\n$/);
  });

  it('a refused request is printed too, then reported as an error', async () => {
    const r = await run(bucketGroup, ['list', '--host', ts.url, '-t', 'not-a-token', '-o', 'acme', '--http-debug']);
    expect(r.code).toBe(1);
    const [request, response, ...rest] = entries(r.stderr);
    expect(rest).toEqual([]);
    expect(request).toMatch(/^GET \/api\/v2\/buckets\?org=acme&limit=100 HTTP\/1\.1\r\n.*\r\nAuthorization: Token not-a-token\r\n\r\n\n$/s);
    // The response entry, then the command's own error line.
    const message = /"message":"([^"]+)"/.exec(response!)?.[1];
    expect(response).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n.*\r\n\r\n\{"code":"unauthorized","message":"[^"]+"\}\n/s);
    expect(response!.endsWith(`}\nError: ${message}\n`)).toBe(true);
  });

  it('without the flag nothing is printed', async () => {
    const r = await run(bucketGroup, ['list', '--host', ts.url, '-t', ts.token, '-o', 'acme']);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});

describe('requestDump / responseDump', () => {
  const cases: { name: string; init: Parameters<typeof requestDump>[1]; dump: string }[] = [
    { name: 'no body: no Content-Length', init: { method: 'GET', headers: {}, body: undefined }, dump: 'GET /ping HTTP/1.1\r\nHost: db:8086\r\n\r\n' },
    {
      name: 'headers canonical and sorted, byte length of a UTF-8 body',
      init: { method: 'POST', headers: { 'x-b': '2', 'content-type': 'text/plain', authorization: 'Token t' }, body: 'é\n' },
      dump: 'POST /ping HTTP/1.1\r\nHost: db:8086\r\nContent-Length: 3\r\nAuthorization: Token t\r\nContent-Type: text/plain\r\nX-B: 2\r\n\r\né\n',
    },
    { name: 'a byte body', init: { method: 'PUT', headers: {}, body: new Uint8Array([104, 105]) }, dump: 'PUT /ping HTTP/1.1\r\nHost: db:8086\r\nContent-Length: 2\r\n\r\nhi' },
  ];
  it.each(cases)('request: $name', ({ init, dump }) => {
    expect(requestDump(new URL('http://db:8086/ping'), init)).toBe(dump);
  });

  it('response: status line, sorted canonical headers, body', () => {
    const res = new Response(null, { status: 404, statusText: 'Not Found', headers: { 'x-influxdb-version': 'v2', 'content-type': 'application/json' } });
    expect(responseDump(res, new TextEncoder().encode('{"code":"not found"}'))).toBe('HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nX-Influxdb-Version: v2\r\n\r\n{"code":"not found"}');
  });
});
