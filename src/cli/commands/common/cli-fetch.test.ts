import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_OPENSSL, makeSelfSignedCert } from '../../../../test/helpers/self-signed-cert.js';
import { startTestServer, type TestServer } from '../../../../test/helpers/test-server.js';
import { bucketGroup } from '../bucket.js';
import { pingSpec } from '../ping.js';
import { querySpec } from '../query.js';
import { setupSpec } from '../setup.js';
import { writeSpec } from '../write.js';
import type { CommandGroup, CommandSpec } from './command-spec.js';
import { runCaptured, type CapturedRun } from './testing/captured-run.js';

/**
 * `--skip-verify` / SLUICE_SKIP_VERIFY against a real Sluice server serving HTTPS with a
 * self-signed certificate made here by the `openssl` binary (node:crypto cannot make X.509
 * certificates). Without the flag a command fails naming the certificate problem; with it, it works.
 */
const TOKEN = 'skip-verify-test-operator-token';

let dir: string;
let ts: TestServer | undefined;

beforeAll(async () => {
  if (!HAVE_OPENSSL) return;
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-tls-'));
  const { certPath, keyPath } = makeSelfSignedCert(dir);
  ts = await startTestServer({ config: { tlsCertPath: certPath, tlsKeyPath: keyPath } });
  // Onboarded through our own setup command, which needs --skip-verify too.
  const setup = await run(setupSpec, ['--host', ts.url, '--skip-verify', '-u', 'admin', '-p', 'password123', '-o', 'acme', '-b', 'telemetry', '-t', TOKEN, '-f']);
  if (setup.code !== 0) throw new Error(`setup failed: ${setup.stderr}`);
}, 60_000);

afterAll(async () => {
  await ts?.cleanup();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const run = (command: CommandSpec | CommandGroup, argv: string[], env: Record<string, string> = {}): Promise<CapturedRun> =>
  runCaptured('sluice', command, argv, { env: { SLUICE_CONFIGS_PATH: join(dir, 'configs.json'), ...env } });

describe.skipIf(!HAVE_OPENSSL)('--skip-verify against an https server with a self-signed certificate', () => {
  const url = (): string => ts!.url;
  const cases: { name: string; command: CommandSpec | CommandGroup; argv: () => string[]; env?: Record<string, string>; code: number; out: RegExp; err: RegExp }[] = [
    {
      name: 'bucket list without the flag fails on the certificate and names --skip-verify',
      command: bucketGroup,
      argv: () => ['list', '--host', url(), '-t', TOKEN, '-o', 'acme'],
      code: 1,
      out: /^$/,
      err: /^Error: failed to reach https:\/\/127\.0\.0\.1:\d+: TLS certificate verification failed: self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\); use --skip-verify to connect without verifying it\n$/,
    },
    { name: 'bucket list --skip-verify lists the buckets', command: bucketGroup, argv: () => ['list', '--host', url(), '-t', TOKEN, '-o', 'acme', '--hide-headers', '--skip-verify'], code: 0, out: /\btelemetry\b/, err: /^$/ },
    { name: 'SLUICE_SKIP_VERIFY=true does the same', command: bucketGroup, argv: () => ['list', '--host', url(), '-t', TOKEN, '-o', 'acme'], env: { SLUICE_SKIP_VERIFY: 'true' }, code: 0, out: /\btelemetry\b/, err: /^$/ },
    { name: 'SLUICE_SKIP_VERIFY=1 (Go booleans) does the same', command: pingSpec, argv: () => ['--host', url()], env: { SLUICE_SKIP_VERIFY: '1' }, code: 0, out: /^OK\n$/, err: /^$/ },
    { name: 'SLUICE_SKIP_VERIFY=false verifies', command: pingSpec, argv: () => ['--host', url()], env: { SLUICE_SKIP_VERIFY: 'false' }, code: 1, out: /^$/, err: /TLS certificate verification failed/ },
    { name: 'SLUICE_SKIP_VERIFY=yes is not a boolean', command: pingSpec, argv: () => ['--host', url()], env: { SLUICE_SKIP_VERIFY: 'yes' }, code: 1, out: /^$/, err: /^Error: could not parse yes as bool value for flag skip-verify: strconv\.ParseBool: parsing "yes": invalid syntax\n$/ },
    { name: 'a server error still comes through with --skip-verify', command: bucketGroup, argv: () => ['list', '--host', url(), '-t', 'wrong-token', '-o', 'acme', '--skip-verify'], code: 1, out: /^$/, err: /^Error: .*(unauthorized|token)/i },
  ];
  it.each(cases)('$name', async (c) => {
    const r = await run(c.command, c.argv(), c.env);
    expect(r.stderr).toMatch(c.err);
    expect(r.stdout).toMatch(c.out);
    expect(r.code).toBe(c.code);
  });

  it('writes (plain and gzip, answered 204) and queries (a streamed CSV) go through with --skip-verify, also with --http-debug', async () => {
    const flags = ['--host', url(), '-t', TOKEN, '-o', 'acme', '--skip-verify'];
    const plain = await run(writeSpec, [...flags, '-b', 'telemetry', 'tls,via=plain v=1i 1700000000000000000']);
    const gzip = await run(writeSpec, [...flags, '-b', 'telemetry', '--gzip', 'tls,via=gzip v=2i 1700000000000000000']);
    expect([plain, gzip].map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    const q = await run(querySpec, [...flags, '--raw', '--http-debug', 'from(bucket: "telemetry") |> range(start: 0) |> filter(fn: (r) => r._measurement == "tls") |> keep(columns: ["via", "_value"])']);
    expect(q.code).toBe(0);
    expect(q.stdout).toMatch(/,2,gzip\r\n/);
    expect(q.stdout).toMatch(/,1,plain\r\n/);
    expect(q.stderr).toMatch(/\nPOST \/api\/v2\/query\?org=acme HTTP\/1\.1\r\n/);
    expect(q.stderr).toMatch(/\nHTTP\/1\.1 200 OK\r\n/);
  });

  it('an unreachable host fails as without --skip-verify', async () => {
    const r = await run(pingSpec, ['--host', 'https://127.0.0.1:1', '--skip-verify']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toMatch(/^Error: failed to reach https:\/\/127\.0\.0\.1:1: connect ECONNREFUSED 127\.0\.0\.1:1\n$/);
  });

  it('--skip-verify with plain http still works (the flag only matters for https)', async () => {
    const plain = await startTestServer({ setup: true });
    try {
      const r = await run(bucketGroup, ['list', '--host', plain.url, '-t', plain.token, '-o', 'acme', '--skip-verify', '--json']);
      expect(r.stderr).toBe('');
      expect((JSON.parse(r.stdout) as { name: string }[]).map((b) => b.name)).toContain('telemetry');
    } finally {
      await plain.cleanup();
    }
  });
});

describe.skipIf(HAVE_OPENSSL)('--skip-verify (skipped)', () => {
  it.skip('needs the openssl binary to make a self-signed certificate; none on PATH', () => {});
});
