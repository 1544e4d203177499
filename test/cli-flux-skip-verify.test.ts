import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliRunner, type CliRunner } from './helpers/cli-process.js';
import { HAVE_OPENSSL, makeSelfSignedCert } from './helpers/self-signed-cert.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Certificate checks of Flux's outbound calls, against https servers with a self-signed
 * certificate made here by `openssl`: `sluice flux run --skip-verify` (or SLUICE_SKIP_VERIFY) for
 * `from(host:)` and Flux's HTTP functions, and `requests`' own `insecureSkipVerify` on a server
 * (InfluxDB honours it; the fetch-based default could not).
 */
let dir: string;
let remote: TestServer | undefined;
let local: TestServer | undefined;
let hello: HttpsServer | undefined;
let helloUrl = '';
let cli: CliRunner;
let remoteToken = '';

beforeAll(async () => {
  if (!HAVE_OPENSSL) return;
  dir = mkdtempSync(join(tmpdir(), 'sluice-flux-tls-'));
  const { certPath, keyPath } = makeSelfSignedCert(dir);
  let bundle: string;
  [remote, local, bundle] = await Promise.all([
    startTestServer({ config: { tlsCertPath: certPath, tlsKeyPath: keyPath } }),
    startTestServer({ setup: true }),
    buildCli('sluice-flux-skip-verify-test'),
  ]);
  cli = cliRunner(bundle, dir, join(dir, 'configs.json'));
  // Onboarded and written with certificate checks off (the test's own client; fetch would check).
  const setup = JSON.parse(
    await insecure(`${remote.url}/api/v2/setup`, 'application/json', JSON.stringify({ username: 'admin', password: 'password123', org: 'far', bucket: 'source' })),
  ) as { auth: { token: string } };
  remoteToken = setup.auth.token;
  await insecure(`${remote.url}/api/v2/write?org=far&bucket=source&precision=s`, 'text/plain', 'cpu,host=h1 usage=1.5 1767225600\ncpu,host=h1 usage=2.5 1767225660', remoteToken);
  hello = createServer({ key: readFileSync(keyPath), cert: readFileSync(certPath) }, (_req, res) => {
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

const sluice = (args: string[], stdin: string, env: Record<string, string> = {}): ReturnType<CliRunner['sluice']> => cli.sluice(args, { stdin, env });

const read = (): string =>
  `from(bucket: "source", host: "${remote!.url}", token: "${remoteToken}", org: "far") |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T01:00:00Z) |> keep(columns: ["_time", "_value"])\n`;
const get = (): string =>
  `import "array"\nimport "http/requests"\nr = requests.get(url: "${helloUrl}")\narray.from(rows: [{status: r.statusCode, body: string(v: r.body)}])\n`;

describe.skipIf(!HAVE_OPENSSL)('certificate checks of Flux outbound calls (self-signed https servers)', () => {
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

describe.skipIf(HAVE_OPENSSL)('certificate checks (skipped)', () => {
  it.skip('needs the openssl binary to make a self-signed certificate; none on PATH', () => {});
});
