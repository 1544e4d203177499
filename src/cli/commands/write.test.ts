import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliRunner } from '../../../test/helpers/cli-process.js';
import { startTestServer, type TestServer } from '../../../test/helpers/test-server.js';
import { V2Client } from '../../client/v2-client.js';
import { FakeClock, type Clock, type TimerHandle } from '../../core/clock.js';
import { runCaptured, type CapturedRun } from './common/testing/captured-run.js';
import { writeSpec } from './write.js';

/**
 * `sluice write --rate-limit` against a real server. In-process runs get a fake clock that records
 * each wait and then moves time by it, so the test asserts the pacing decisions, not wall time.
 */
let ts: TestServer;
let dir: string;

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-write-'));
});
afterAll(async () => {
  await ts?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** A FakeClock that records every timer's delay and lets it fire on the next turn. */
class PacingClock implements Clock {
  private readonly fake = new FakeClock();
  readonly waits: number[] = [];
  nowMs(): number {
    return this.fake.nowMs();
  }
  nowNs(): bigint {
    return this.fake.nowNs();
  }
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    this.waits.push(delayMs);
    const handle = this.fake.setTimer(delayMs, fn);
    setImmediate(() => this.fake.advance(delayMs));
    return handle;
  }
}

const write = (argv: string[], clock: Clock): Promise<CapturedRun> =>
  runCaptured('sluice write', writeSpec, ['--host', ts.url, '-t', ts.token, '-o', 'acme', '-b', 'telemetry', ...argv], { env: { SLUICE_CONFIGS_PATH: join(dir, 'configs.json') }, clock });

/** `n` lines of exactly 50 bytes with their newline, measurement `m`. */
function lines(m: string, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const head = `${m},i=${i} v=${i}i ${1_700_000_000_000_000_000n + BigInt(i)}`;
    out.push(head.replace(' v=', `,pad=${'x'.repeat(49 - head.length - 5)} v=`));
  }
  for (const l of out) expect(Buffer.byteLength(l) + 1).toBe(50);
  return out.join('\n');
}

async function count(m: string): Promise<number> {
  const csv = await new V2Client({ host: ts.url, token: ts.token }).query({ org: 'acme' }, `from(bucket: "telemetry") |> range(start: 0) |> filter(fn: (r) => r._measurement == "${m}") |> group() |> count()`);
  // Annotated CSV: the result name is in #default, so the one data row starts ",,0,".
  const row = csv.split('\r\n').find((l) => l.startsWith(',,'));
  return row === undefined ? 0 : Number(row.split(',').at(-1));
}

describe('sluice write --rate-limit', () => {
  // 100 B/s: a batch holds one second of budget (100 bytes = two 50-byte lines) and waits size / rate.
  it.each([
    { name: '100B/s: 2+2+1 lines wait 1 s, 1 s, 0.5 s', m: 'paced1', n: 5, flags: ['--rate-limit', '100B/s'], waits: [1000, 1000, 500] },
    { name: 'the same rate written another way ("6000 B / 1 min")', m: 'paced2', n: 4, flags: ['--rate-limit', '6000 B / 1 min'], waits: [1000, 1000] },
    { name: 'kB are 1024 bytes: at 1kB/s a batch takes 21 lines (1050 bytes, 1025.4 ms)', m: 'paced7', n: 22, flags: ['--rate-limit', '1kBs'], waits: [1026, 49] }, // 1026 ms (ceil) then 50 - 0.6 bytes of credit
    { name: 'bytes are counted before gzip', m: 'paced3', n: 3, flags: ['--rate-limit', '100B/s', '--gzip'], waits: [1000, 500] },
    { name: '--batch-size smaller than the budget: one line per batch', m: 'paced4', n: 3, flags: ['--rate-limit', '1kB/s', '--batch-size', '1'], waits: [49, 49, 49] },
    { name: 'no --rate-limit: no waits', m: 'paced5', n: 3, flags: [], waits: [] },
    { name: 'an empty --rate-limit is no limit (as influx)', m: 'paced6', n: 3, flags: ['--rate-limit', ''], waits: [] },
  ])('$name', async ({ m, n, flags, waits }) => {
    const clock = new PacingClock();
    const r = await write([...flags, lines(m, n)], clock);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(clock.waits).toEqual(waits);
    expect(await count(m)).toBe(n);
  });

  it('--dry-run is not paced', async () => {
    const clock = new PacingClock();
    const r = await write(['--rate-limit', '1B/s', '--dry-run', lines('dry', 2)], clock);
    expect([r.code, r.stdout.split('\n').length - 1, clock.waits]).toEqual([0, 2, []]);
  });

  it('an invalid rate is refused with influx message before anything is sent', async () => {
    const clock = new PacingClock();
    const r = await write(['--rate-limit', '5MB/hour', '--http-debug', lines('refused', 1)], clock);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: String.raw`Error: invalid value "5MB/hour" for flag -rate-limit: invalid rate limit "5MB/hour": it does not match format COUNT(B|kB|MB)/TIME(s|sec|m|min) with / and TIME being optional, rexpexp: ^(\d*\.?\d*)(B|kB|MB)/?(\d*)?(s|sec|m|min)$` + '\n',
    });
  });

  it('help describes --rate-limit with influx examples, and the connection flags --skip-verify and --http-debug', async () => {
    const r = await write(['--help'], new PacingClock());
    expect(r.stdout).toMatch(/\n {6}--rate-limit <value>\s+throttles write, examples: "5 MB \/ 5 min", "17kBs", "1MB\/s"/);
    expect(r.stdout).toMatch(/\n {6}--skip-verify\s+skip TLS certificate chain and host name verification \[SLUICE_SKIP_VERIFY\]\n/);
    expect(r.stdout).toMatch(/\n {6}--http-debug\s+print each HTTP request and response \(token included\) to stderr\n/);
  });

  it('the real CLI process stays up through its waits and writes everything', async () => {
    const bundle = await buildCli('sluice-cli-write-rate-limit-test');
    const cli = cliRunner(bundle, dir, join(dir, 'configs.json'));
    // One batch of 150 bytes at 200 B/s: a 750 ms wait on a real clock that must keep the process up.
    const r = await cli.sluice(['write', '--host', ts.url, '-t', ts.token, '-o', 'acme', '-b', 'telemetry', '--rate-limit', '200B/s', '-'], { stdin: lines('process', 3) + '\n' });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(await count('process')).toBe(3);
  }, 60_000);
});
