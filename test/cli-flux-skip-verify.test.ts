import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Certificate checks of Flux's outbound calls, against https servers with a self-signed
 * certificate made here by `openssl`: `sluice flux run --skip-verify` (or SLUICE_SKIP_VERIFY) for
 * `from(host:)` and Flux's HTTP functions, and `requests`' own `insecureSkipVerify` on a server
 * (InfluxDB honours it; the fetch-based default could not).
 */
const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const haveOpenssl = openssl.status === 0;
const ROOT = join(import.meta.dirname, '..');
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'sluice-flux-skip-verify-test', String(process.pid));
const BUNDLE = join(BUNDLE_DIR, 'main.mjs');

let dir: string;
let remote: TestServer | undefined;
let local: TestServer | undefined;
let hello: HttpsServer | undefined;
let helloUrl = '';
let remoteToken = '';

beforeAll(async () => {
  if (!haveOpenssl) return;
  dir = mkdtempSync(join(tmpdir(), 'sluice-flux-tls-'));
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  mkdirSync(BUNDLE_DIR, { recursive: true });
  [remote, local] = await Promise.all([
    startTestServer({ config: { tlsCertPath: join(dir, 'cert.pem'), tlsKeyPath: join(dir, 'key.pem') } }),
    startTestServer({ setup: true }),
    build({ input: join(ROOT, 'src', 'cli', 'main.ts'), platform: 'node', output: { file: BUNDLE, format: 'esm' }, external: [/^node:/, /^[a-z@][^:]*$/], logLevel: 'warn' }),
  ]);
  // Onboarded and written with certificate checks off (the test's own client; fetch would check).
  const setup = JSON.parse(
    await insecure(`${remote.url}/api/v2/setup`, 'application/json', JSON.stringify({ username: 'admin', password: 'password123', org: 'far', bucket: 'source' })),
  ) as { auth: { token: string } };
  remoteToken = setup.auth.token;
  await insecure(`${remote.url}/api/v2/write?org=far&bucket=source&precision=s`, 'text/plain', 'cpu,host=h1 usage=1.5 1767225600\ncpu,host=h1 usage=2.5 1767225660', remoteToken);
  hello = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello over tls');
  });
  await new Promise<void>((resolve) => hello!.listen(0, '127.0.0.1', resolve));
  helloUrl = `https://127.0.0.1:${(hello.address() as AddressInfo).port}/hello`;
}, 60_000);

afterAll(async () => {
  hello?.closeAllConnections();
  await new Promise<void>((resolve) => (hello === undefined ? resolve() : hello.close(() => resolve())));
  await Promise.all([remote?.cleanup(), local?.cleanup()]);
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
});

/** A POST without certificate checks; resolves with the body of a 2xx answer. */
async function insecure(url: string, contentType: string, body: string, token?: string): Promise<string> {
  const { request } = await import('node:https');
  return new Promise<string>((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': contentType, ...(token === undefined ? {} : { authorization: `Token ${token}` }) };
    const req = request(url, { method: 'POST', headers, rejectUnauthorized: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve(text) : reject(new Error(`${url}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function sluice(args: string[], stdin: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const read = (): string =>
  `from(bucket: "source", host: "${remote!.url}", token: "${remoteToken}", org: "far") |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T01:00:00Z) |> keep(columns: ["_time", "_value"])\n`;
const get = (): string =>
  `import "array"\nimport "http/requests"\nr = requests.get(url: "${helloUrl}")\narray.from(rows: [{status: r.statusCode, body: string(v: r.body)}])\n`;

describe.skipIf(!haveOpenssl)('certificate checks of Flux outbound calls (self-signed https servers)', () => {
  it('flux run: a host: read fails on the certificate without --skip-verify', async () => {
    const r = await sluice(['flux', 'run', '-'], read());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/certificate/i);
  });

  it.each<[string, string[], Record<string, string>]>([
    ['--skip-verify', ['--skip-verify'], {}],
    ['--skip-verify=true', ['--skip-verify=true'], {}],
    ['SLUICE_SKIP_VERIFY=true', [], { SLUICE_SKIP_VERIFY: 'true' }],
  ])('flux run %s: the host: read answers', async (_name, flags, env) => {
    const r = await sluice(['flux', 'run', ...flags, '-'], read(), env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1.5');
    expect(r.stdout).toContain('2.5');
  });

  it('flux run: --skip-verify=false and a bad SLUICE_SKIP_VERIFY', async () => {
    const off = await sluice(['flux', 'run', '--skip-verify=false', '-'], read(), { SLUICE_SKIP_VERIFY: 'true' });
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/certificate/i);
    const bad = await sluice(['flux', 'run', '-'], read(), { SLUICE_SKIP_VERIFY: 'perhaps' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('could not parse perhaps as bool value for flag skip-verify');
  });

  it("flux run: Flux's own HTTP calls (requests.get) skip the check with --skip-verify, and fail on it without", async () => {
    const checked = await sluice(['flux', 'run', '-'], get());
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/certificate/i);
    const skipped = await sluice(['flux', 'run', '--skip-verify', '-'], get());
    expect(skipped.stderr).toBe('');
    expect(skipped.stdout).toContain('hello over tls');
    expect(skipped.stdout).toContain('200');
  });

  it("a server honours requests' insecureSkipVerify (and checks certificates without it)", async () => {
    const query = (config: string): Promise<Response> =>
      fetch(`${local!.url}/api/v2/query?org=${local!.onboarded!.org}`, {
        method: 'POST',
        headers: { authorization: `Token ${local!.token}`, 'content-type': 'application/vnd.flux' },
        body: `import "array"\nimport "http/requests"\nr = requests.get(url: "${helloUrl}"${config})\narray.from(rows: [{status: r.statusCode, body: string(v: r.body)}])\n`,
      });
    const skipped = await query(', config: {timeout: 0s, insecureSkipVerify: true}');
    const text = await skipped.text();
    expect(skipped.status).toBe(200);
    expect(text).toContain('hello over tls');
    const checked = await query('');
    expect(checked.status).toBe(400);
    expect(await checked.text()).toMatch(/certificate/i);
  });
});

describe.skipIf(haveOpenssl)('certificate checks (skipped)', () => {
  it.skip('needs the openssl binary to make a self-signed certificate; none on PATH', () => {});
});
