import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `sluice flux run` and `sluice flux test` through the real CLI entry: src/cli/main.ts bundled
 * with rolldown (as test/server-cli.test.ts does) and run on plain node.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
// Per process: several engineers may run the whole suite at once in this tree.
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'sluice-flux-cli-test', String(process.pid));
const BUNDLE = join(BUNDLE_DIR, 'main.mjs');
const FIXTURES = join(ROOT, 'src', 'flux', 'testing-runner', 'testdata');
const OUTCOMES = join(FIXTURES, 'outcomes_test.flux');

let dir: string;

beforeAll(async () => {
  await mkdir(BUNDLE_DIR, { recursive: true });
  await build({
    input: join(ROOT, 'src', 'cli', 'main.ts'),
    platform: 'node',
    output: { file: BUNDLE, format: 'esm' },
    external: [/^node:/, /^[a-z@][^:]*$/],
    logLevel: 'warn',
  });
  dir = await mkdtemp(join(tmpdir(), 'sluice-flux-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(BUNDLE_DIR, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sluice(args: string[], stdin = '', env: NodeJS.ProcessEnv = process.env): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** The status lines (`PASS x`, `FAIL y: first line of reason`) without indented continuation lines. */
const statusLines = (out: string): string[] => out.split('\n').filter((l) => /^(PASS|FAIL|SKIP) /.test(l));
const lastLine = (out: string): string => out.trimEnd().split('\n').pop()!;

describe('sluice flux test', () => {
  it('prints one line per testcase and the totals, exit 1 when one failed', async () => {
    const r = await sluice(['flux', 'test', OUTCOMES]);
    expect(r.code).toBe(1);
    expect(statusLines(r.stdout)).toEqual([
      'PASS outcomes.passes',
      'FAIL outcomes.differs: errorOutput: 1 table, 1 row',
      'FAIL outcomes.errors: error @20:9-20:18: cannot access element 5 of array of length 2',
      'PASS outcomes.other_results_do_not_count',
      'SKIP outcomes.tagged: tagged skip',
    ]);
    // The diff is shown under its FAIL line, indented.
    expect(r.stdout).toContain('    _value:int\n    ----------\n             2');
    expect(lastLine(r.stdout)).toBe('2 passed, 2 failed, 1 skipped');
  });

  it.each([
    ['--run selects by regular expression', ['--run', 'passes|other'], ['PASS outcomes.passes', 'PASS outcomes.other_results_do_not_count'], 0],
    ['--skip names testcases', ['--run', 'passes|errors', '--skip', 'outcomes.errors'], ['PASS outcomes.passes', 'SKIP outcomes.errors: in skip list'], 0],
    ['--tags enables tagged testcases', ['--run', 'tagged', '--tags', 'skip'], [expect.stringMatching(/^FAIL outcomes\.tagged: error .*outcomes_test\.flux@29:12-29:19: undefined identifier testing$/)], 1],
  ])('%s', async (_, flags, lines, code) => {
    const r = await sluice(['flux', 'test', ...flags, OUTCOMES]);
    expect(statusLines(r.stdout)).toEqual(lines);
    expect(r.code).toBe(code);
  });

  it('--skip-file reads names with reasons and comments', async () => {
    const skipFile = join(dir, 'skip.txt');
    await writeFile(skipFile, '# known problems\ndiffers   waiting for a fix\noutcomes.errors\n');
    const r = await sluice(['flux', 'test', '--skip-file', skipFile, OUTCOMES]);
    expect(statusLines(r.stdout)).toEqual([
      'PASS outcomes.passes',
      'SKIP outcomes.differs: waiting for a fix',
      'SKIP outcomes.errors: in skip list',
      'PASS outcomes.other_results_do_not_count',
      'SKIP outcomes.tagged: tagged skip',
    ]);
    expect(lastLine(r.stdout)).toBe('2 passed, 0 failed, 3 skipped');
    expect(r.code).toBe(0);
  });

  it('searches directories for *_test.flux and fails the testcases of a file that does not parse', async () => {
    const r = await sluice(['flux', 'test', '--run', '^broken', FIXTURES]);
    expect(statusLines(r.stdout)).toEqual([expect.stringMatching(/^FAIL broken\.unbalanced: error .*broken_test\.flux@5:9-6:2: expected RPAREN, got RBRACE$/)]);
    expect(r.code).toBe(1);
  });

  it.each([
    ['no path', ['flux', 'test'], /flux test needs at least one PATH/],
    ['a missing path', ['flux', 'test', join(tmpdir(), 'sluice-no-such-dir', 'nope_test.flux')], /no such file or directory/],
    ['a bad regular expression', ['flux', 'test', '--run', '(', OUTCOMES], /--run: Invalid regular expression/],
    ['an unknown flag', ['flux', 'test', '--bogus', 'x', OUTCOMES], /unknown flag --bogus/],
    ['an unknown subcommand', ['flux', 'nope'], /unknown subcommand "nope"/],
  ])('rejects %s', async (_, args, message) => {
    const r = await sluice(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });
});

describe('sluice flux test on our own Flux tests', () => {
  it('reports every testcase of src/flux/testdata once, and totals that add up', async () => {
    const testdata = join(ROOT, 'src', 'flux', 'testdata');
    const r = await sluice(['flux', 'test', testdata]);
    const names = statusLines(r.stdout).map((l) => /^\w+ (\S+?):?(?: |$)/.exec(l)![1]);
    expect(names).toEqual(expect.arrayContaining(['rows.filter_keeps_matching_rows', 'task_logic.mean_per_window', 'shape.cumulative_sum']));
    expect(new Set(names).size).toBe(names.length);
    const m = /^(\d+) passed, (\d+) failed, (\d+) skipped$/.exec(lastLine(r.stdout))!;
    expect(Number(m[1]) + Number(m[2]) + Number(m[3])).toBe(names.length);
    expect(r.code).toBe(Number(m[2]) > 0 ? 1 : 0);
  });
});

describe('sluice flux run', () => {
  it('runs a script of ours with csv.from input', async () => {
    const r = await sluice(['flux', 'run', '--now', '2024-06-01T00:00:00Z', join(ROOT, 'src', 'flux', 'testdata', 'scripts', 'csv_input.flux')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // One table per host (the CSV's group key); the row below 1.6 is gone; now() is --now.
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Result: over_threshold');
    expect(lines.filter((l) => l === 'Table: keys: [host]')).toHaveLength(2);
    const rows = lines.filter((l) => /^\s*2024-01-01T/.test(l)).map((l) => l.trim().split(/\s+/));
    expect(rows).toEqual([
      ['2024-01-01T00:01:00.000000000Z', 'a', '4.5', '9', '2024-06-01T00:00:00.000000000Z'],
      ['2024-01-01T00:00:00.000000000Z', 'b', '2', '4', '2024-06-01T00:00:00.000000000Z'],
    ]);
  });

  const script = 'import "array"\n\narray.from(rows: [{n: 1, t: now()}, {n: 2, t: now()}])\n  |> map(fn: (r) => ({r with twice: r.n * 2}))\n  |> yield(name: "doubled")\n';

  it('prints every result as readable tables, with --now setting now()', async () => {
    const file = join(dir, 'double.flux');
    await writeFile(file, script);
    const r = await sluice(['flux', 'run', '--now', '2024-05-06T07:08:09Z', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'Result: doubled',
        'Table: keys: []',
        'n:int                          t:time  twice:int',
        '-----  ------------------------------  ---------',
        '    1  2024-05-06T07:08:09.000000000Z          2',
        '    2  2024-05-06T07:08:09.000000000Z          4',
        '',
        '',
      ].join('\n'),
    );
  });

  it('reads the script from stdin with -, and writes annotated CSV with --format csv', async () => {
    const r = await sluice(['flux', 'run', '--format', 'csv', '--now', '2024-05-06T07:08:09Z', '-'], script);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n').slice(0, 6)).toEqual([
      '#datatype,string,long,long,dateTime:RFC3339,long',
      '#group,false,false,false,false,false',
      '#default,doubled,,,,',
      ',result,table,n,t,twice',
      ',,0,1,2024-05-06T07:08:09Z,2',
      ',,0,2,2024-05-06T07:08:09Z,4',
    ]);
  });

  it.each([
    ['a runtime error', 'x = [1][2]\n', /^sluice flux: error @1:5-1:11: cannot access element 2 of array of length 1\n$/],
    ['an undefined identifier', 'nope\n', /undefined identifier nope/],
  ])('exits 1 on %s with the message', async (_, source, message) => {
    const r = await sluice(['flux', 'run', '-'], source);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it('names the file in compile errors', async () => {
    const file = join(dir, 'typo.flux');
    await writeFile(file, 'x = 1\nnope\n');
    const r = await sluice(['flux', 'run', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`sluice flux: error ${file}@2:1-2:5: undefined identifier nope\n`);
  });

  it('rejects a bad --now', async () => {
    const r = await sluice(['flux', 'run', '--now', 'yesterday', '-'], '1\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--now: not an RFC3339 time: yesterday');
  });
});

/**
 * A remote InfluxDB stand-in on 127.0.0.1 answering every query with one bucket, counting the
 * requests that reach it; closed by `close`.
 */
async function bucketServer(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () =>
      res
        .writeHead(200, { 'content-type': 'text/csv' })
        .end('#datatype,string,long,string\r\n#group,false,false,false\r\n#default,_result,,\r\n,result,table,name\r\n,,0,far-bucket\r\n\r\n'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('sluice flux run --hardening-enabled (as sluice serve)', () => {
  const withoutHardeningEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'SLUICE_HARDENING_ENABLED'));
  const script = (url: string): string => `buckets(host: "${url}", token: "t", org: "o")\n`;

  it.each<[string, string[], NodeJS.ProcessEnv]>([
    ['the flag', ['--hardening-enabled'], withoutHardeningEnv],
    ['--hardening-enabled=true', ['--hardening-enabled=true'], withoutHardeningEnv],
    ['serve’s environment variable', [], { ...withoutHardeningEnv, SLUICE_HARDENING_ENABLED: 'true' }],
  ])('with %s, a host: call to 127.0.0.1 is refused before it is made', async (_what, flags, env) => {
    const remote = await bucketServer();
    try {
      const r = await sluice(['flux', 'run', ...flags, '-'], script(remote.url), env);
      expect(r.stderr).toBe('sluice flux: failed to initialize execute state: no such host\n');
      expect(r.code).toBe(1);
      expect(remote.requests()).toBe(0);
    } finally {
      await remote.close();
    }
  });

  it.each<[string, string[], NodeJS.ProcessEnv]>([
    ['by default', [], withoutHardeningEnv],
    ['with --hardening-enabled=false', ['--hardening-enabled=false'], withoutHardeningEnv],
    ['when the flag overrides the environment', ['--hardening-enabled=false'], { ...withoutHardeningEnv, SLUICE_HARDENING_ENABLED: 'true' }],
  ])('%s, the same call is made and answered', async (_what, flags, env) => {
    const remote = await bucketServer();
    try {
      const r = await sluice(['flux', 'run', ...flags, '--format', 'csv', '-'], script(remote.url), env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(',,0,far-bucket');
      expect(remote.requests()).toBe(1);
    } finally {
      await remote.close();
    }
  });

  it.each([
    [['--hardening-enabled=perhaps', '-'], 'invalid boolean "perhaps"'],
    [['-', '--remote-idle-timeout'], 'flag --remote-idle-timeout needs a value'],
    [['--remote-headers-timeout', '10x', '-'], '--remote-headers-timeout: invalid duration "10x"'],
  ])('rejects %j as serve does: %s', async (args, message) => {
    const r = await sluice(['flux', 'run', ...args], '1\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('documents the shared flags with serve’s help and environment variables', async () => {
    const r = await sluice(['flux', 'run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--hardening-enabled +Flux may not connect to private, loopback.*\[SLUICE_HARDENING_ENABLED\]/);
    expect(r.stdout).toMatch(/--remote-idle-timeout +.*\[SLUICE_REMOTE_IDLE_TIMEOUT\]/);
  });
});
