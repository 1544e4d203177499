import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliRunner, type CliRunner, type RunOptions } from './helpers/cli-process.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * The `sluice` client commands as a user runs them: the CLI bundled with rolldown and run as a
 * real process against a real server (started here, not onboarded, so `sluice setup` does it).
 * Every process gets its own profiles file through SLUICE_CONFIGS_PATH.
 */
let ts: TestServer;
let dir: string;
let configs: string;
let cli: CliRunner;
const sluice: CliRunner['sluice'] = (args, options) => cli.sluice(args, options);
const ok: CliRunner['ok'] = (args, options) => cli.ok(args, options);
const okJson = <T>(args: string[], options?: RunOptions): Promise<T> => cli.okJson<T>(args, options);

beforeAll(async () => {
  const bundle = await buildCli('sluice-cli-client-test');
  dir = await mkdtemp(join(tmpdir(), 'sluice-cli-client-'));
  configs = join(dir, 'config', 'configs.json');
  cli = cliRunner(bundle, dir, configs);
  ts = await startTestServer();
}, 120_000);

afterAll(async () => {
  await ts?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('sluice client commands (process, real server)', () => {
  it('setup --force onboards and saves an active profile; a second setup is refused', async () => {
    const out = await okJson<{ org: { name: string }; bucket: { name: string }; auth: { token: string } }>([
      'setup', '--host', ts.url, '-u', 'admin', '-p', 'password123', '-o', 'acme', '-b', 'telemetry', '-r', '0', '-f',
    ]);
    expect([out.org.name, out.bucket.name]).toEqual(['acme', 'telemetry']);
    const saved = JSON.parse(await readFile(configs, 'utf8')) as { profiles: { name: string; host: string; token: string; org: string; active: boolean }[] };
    expect(saved.profiles).toEqual([{ name: 'default', host: ts.url, token: out.auth.token, org: 'acme', active: true }]);
    const listed = await ok(['config', 'list']);
    expect(listed.split('\n')[1]).toMatch(new RegExp(`^\\*\\s+default\\s+${ts.url.replace(/[.]/g, '\\.')}\\s+acme$`));
    const again = await sluice(['setup', '-u', 'x', '-o', 'y', '-b', 'z', '-f']);
    expect([again.code, again.stderr]).toEqual([1, 'Error: instance has already been set up\n']);
  });

  it('ping answers through the active profile', async () => {
    expect(await ok(['ping'])).toBe('OK\n');
  });

  it('config profiles: create, set --active, flags and SLUICE_* env override them, rm', async () => {
    await ok(['config', 'create', '-n', 'broken', '-u', 'http://127.0.0.1:1', '-t', 'nope', '-o', 'acme']);
    // Not active: the default profile still answers.
    expect(await ok(['ping'])).toBe('OK\n');
    await ok(['config', 'set', '-n', 'broken', '--active']);
    const down = await sluice(['ping']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^Error: failed to reach http:\/\/127\.0\.0\.1:1/);
    expect(await ok(['ping', '-c', 'default'])).toBe('OK\n');
    expect(await ok(['ping', '--host', ts.url])).toBe('OK\n');
    expect(await ok(['ping'], { env: { SLUICE_HOST: ts.url } })).toBe('OK\n');
    await ok(['config', 'use', 'default']);
    await ok(['config', 'rm', 'broken']);
    const names = (await okJson<{ name: string; active: boolean; token: string }[]>(['config', 'list'])).map((p) => [p.name, p.active, p.token]);
    expect(names).toEqual([['default', true, '<set>']]);
    // A profile without token or org: SLUICE_TOKEN and SLUICE_ORG fill in, flags beat env.
    const token = (JSON.parse(await readFile(configs, 'utf8')) as { profiles: { token: string }[] }).profiles[0]!.token;
    await ok(['config', 'create', '-n', 'bare', '-u', ts.url]);
    const noToken = await sluice(['bucket', 'list', '-c', 'bare']);
    expect(noToken.code).toBe(1);
    const viaEnv = await ok(['bucket', 'list', '-c', 'bare', '--hide-headers'], { env: { SLUICE_TOKEN: token, SLUICE_ORG: 'acme' } });
    expect(viaEnv).toMatch(/\stelemetry\s/);
    const flagBeatsEnv = await sluice(['bucket', 'list', '-c', 'bare', '-t', 'wrong'], { env: { SLUICE_TOKEN: token } });
    expect(flagBeatsEnv.code).toBe(1);
    await ok(['config', 'rm', 'bare']);
    // Bare `config` lists, as `influx config` does.
    expect(await ok(['config', '--hide-headers'])).toMatch(/^\*\s+default\s/);
    const both = await sluice(['bucket', 'list', '-o', 'acme', '--org-id', '0123456789abcdef']);
    expect([both.code, both.stderr]).toEqual([1, 'Error: specify --org or --org-id, not both\n']);
    const missing = await sluice(['ping', '-c', 'nosuch']);
    expect([missing.code, missing.stderr]).toEqual([1, 'Error: config "nosuch" is not found\n']);
  });

  it('bucket create --retention 30d, list, update, delete; unknown bucket is an error', async () => {
    const b = await okJson<{ id: string; name: string; retentionRules: { everySeconds: number }[] }>(['bucket', 'create', '-n', 'scratch', '--retention', '30d']);
    expect([b.name, b.retentionRules[0]!.everySeconds]).toEqual(['scratch', 30 * 86400]);
    const table = await ok(['bucket', 'list', '-n', 'scratch']);
    expect(table).toMatch(new RegExp(`^ID\\s+Name\\s+Retention\\s+Organization ID\\n${b.id}\\s+scratch\\s+720h0m0s\\s+[0-9a-f]{16}\\n$`));
    const updated = await okJson<{ retentionRules: { everySeconds: number }[] }>(['bucket', 'update', '-i', b.id, '-r', '1w']);
    expect(updated.retentionRules[0]!.everySeconds).toBe(7 * 86400);
    await ok(['bucket', 'delete', '-n', 'scratch']);
    const gone = await sluice(['bucket', 'delete', '-n', 'scratch']);
    expect([gone.code, gone.stderr]).toEqual([1, 'Error: bucket "scratch" not found\n']);
    const badRetention = await sluice(['bucket', 'create', '-n', 'x', '--retention', '1mo']);
    expect(badRetention.code).toBe(1);
    expect(badRetention.stderr).toContain('months and years have no fixed length');
  });

  it('write a file with forced progress, then query it back as table, --raw and --json', async () => {
    await writeFile(join(dir, 'cpu.lp'), 'cpu,host=a usage=1.5 1000000000\ncpu,host=b usage=2.5 2000000000\n\n# comment\ncpu,host=a usage=3.5 3000000000\n');
    const w = await sluice(['write', '-b', 'telemetry', '-f', 'cpu.lp', '--progress']);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/written 3 lines, 9\d B in [\d.]+s \(\d+ lines\/s, .*\/s\)/);
    const flux = 'from(bucket: "telemetry") |> range(start: 0) |> filter(fn: (r) => r._measurement == "cpu") |> keep(columns: ["_time", "_value", "host"])';
    const json = await okJson<{ groupKey: Record<string, unknown>; records: Record<string, unknown>[] }[]>(['query', flux]);
    expect(json.map((t) => [t.groupKey, t.records.map((r) => [r.host, r._value, r._time])])).toEqual([
      [{ host: 'a' }, [['a', 1.5, '1970-01-01T00:00:01Z'], ['a', 3.5, '1970-01-01T00:00:03Z']]],
      [{ host: 'b' }, [['b', 2.5, '1970-01-01T00:00:02Z']]],
    ]);
    const raw = await ok(['query', flux, '--raw']);
    expect(raw).toContain('#datatype,string,long,dateTime:RFC3339,double,string');
    const table = await ok(['query', '-'], { stdin: flux });
    expect(table.split('\n').slice(0, 4)).toEqual([
      'Result: _result',
      'Table: keys: [host]',
      '_time:time          \t_value:double\thost:string',
      '1970-01-01T00:00:01Z\t1.5          \ta',
    ]);
  });

  it('write from stdin (gzip, precision s) and inline; CSV with --header', async () => {
    await ok(['write', '-b', 'telemetry', '-p', 's', '--compression', 'gzip', '--gzip', '-'], { stdin: gzipSync('mem,host=a used=10i 100\n') });
    await ok(['write', '-b', 'telemetry', 'mem,host=b used=20i 200000000000']);
    await writeFile(join(dir, 'disk.csv'), 'm,host,free,time\ndisk,a,1.25,1970-01-01T00:05:00Z\ndisk,b,2.5,1970-01-01T00:06:00Z\n');
    const dry = await ok(['write', '--dry-run', '-f', 'disk.csv', '--header', '#datatype measurement,tag,double,dateTime:RFC3339'], { env: { SLUICE_HOST: 'http://127.0.0.1:1' } });
    expect(dry).toBe('disk,host=a free=1.25 300000000000\ndisk,host=b free=2.5 360000000000\n');
    await ok(['write', '-b', 'telemetry', '-f', 'disk.csv', '--header', '#datatype measurement,tag,double,dateTime:RFC3339']);
    const rows = await okJson<{ records: Record<string, unknown>[] }[]>([
      'query',
      'from(bucket: "telemetry") |> range(start: 0) |> filter(fn: (r) => r._measurement == "mem" or r._measurement == "disk") |> toFloat() |> group() |> sort(columns: ["_time"])',
    ]);
    expect(rows[0]!.records.map((r) => [r._measurement, r.host, r._field, r._value, r._time])).toEqual([
      ['mem', 'a', 'used', 10, '1970-01-01T00:01:40Z'],
      ['mem', 'b', 'used', 20, '1970-01-01T00:03:20Z'],
      ['disk', 'a', 'free', 1.25, '1970-01-01T00:05:00Z'],
      ['disk', 'b', 'free', 2.5, '1970-01-01T00:06:00Z'],
    ]);
  });

  it('a malformed file: good lines are written, bad ones go to --errors-file with reasons, exit 1', async () => {
    await writeFile(join(dir, 'bad.lp'), 'bad,host=a v=1 10\nbad,host=a v= 11\nbad,host=b v=2 12\nbad v=1 not-a-time\n');
    const w = await sluice(['write', '-b', 'telemetry', '-f', 'bad.lp', '--errors-file', 'rejected.lp']);
    expect([w.code, w.stderr]).toEqual([1, 'Error: 2 line(s) rejected, written to rejected.lp\n']);
    const rejected = (await readFile(join(dir, 'rejected.lp'), 'utf8')).split('\n');
    expect(rejected[0]).toMatch(/^# bad\.lp:2: /);
    expect(rejected[1]).toBe('bad,host=a v= 11');
    expect(rejected[2]).toMatch(/^# bad\.lp:4: /);
    expect(rejected[3]).toBe('bad v=1 not-a-time');
    const json = await okJson<{ records: { _value: number }[] }[]>(['query', 'from(bucket: "telemetry") |> range(start: 0) |> filter(fn: (r) => r._measurement == "bad") |> group()']);
    expect(json[0]!.records.map((r) => r._value).sort()).toEqual([1, 2]);
    // A field type conflict passes our check and is dropped by the server: a partial write.
    await ok(['write', '-b', 'telemetry', 'conflict v=1 1']);
    await writeFile(join(dir, 'conflict.lp'), 'conflict v="text" 2\nconflict v=3 3\n');
    const partial = await sluice(['write', '-b', 'telemetry', '-f', 'conflict.lp', '--errors-file', 'partial.lp']);
    expect([partial.code, partial.stderr]).toEqual([1, 'Error: 1 line(s) rejected, written to partial.lp\n']);
    expect(await readFile(join(dir, 'partial.lp'), 'utf8')).toMatch(/^# conflict\.lp:1-2: 1 of 2 points dropped by the server \(batch kept whole\): .*partial write: .*dropped=1\nconflict v="text" 2\nconflict v=3 3\n$/);
    const csv = await sluice(['write', '-b', 'telemetry', '--format', 'csv', '--header', '#datatype measurement,long', 'm,v\nx,notanumber\n']);
    expect(csv.code).toBe(1);
  });

  it('errors print the server message: bad token, unknown bucket, bad Flux', async () => {
    const badToken = await sluice(['bucket', 'list', '-t', 'not-a-token']);
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toMatch(/^Error: .*(unauthorized|authorization)/i);
    const noBucket = await sluice(['write', '-b', 'nosuch', 'm v=1 1']);
    expect([noBucket.code, noBucket.stderr]).toEqual([1, 'Error: bucket "nosuch" not found\n']);
    const badFlux = await sluice(['query', 'from(bucket: "telemetry") |> range(']);
    expect(badFlux.code).toBe(1);
    expect(badFlux.stderr).toMatch(/^Error: .+/);
    const unknownFlag = await sluice(['bucket', 'list', '--bogus']);
    expect(unknownFlag.code).toBe(1);
    expect(unknownFlag.stderr).toContain("Unknown option '--bogus'");
  });

  it('auth create with bucket scopes, list, inactive (token refused), active, delete', async () => {
    const [bucket] = await okJson<{ id: string }[]>(['bucket', 'list', '-n', 'telemetry']);
    const a = await okJson<{ id: string; token: string; status: string; permissions: { action: string; resource: { type: string; id?: string } }[] }>([
      'auth', 'create', '-d', 'reader', '--read-bucket', bucket!.id, '--write-bucket', bucket!.id,
    ]);
    expect(a.permissions.map((p) => [p.action, p.resource.type, p.resource.id])).toEqual([
      ['read', 'buckets', bucket!.id],
      ['write', 'buckets', bucket!.id],
    ]);
    expect(await ok(['auth', 'list', '--hide-headers'])).toContain(`${a.id}`);
    await ok(['write', '-b', 'telemetry', '-t', a.token, 'scoped v=1 1']);
    await ok(['auth', 'inactive', '-i', a.id]);
    const refused = await sluice(['write', '-b', 'telemetry', '-t', a.token, 'scoped v=2 2']);
    expect(refused.code).toBe(1);
    await ok(['auth', 'active', '-i', a.id]);
    await ok(['write', '-b', 'telemetry', '-t', a.token, 'scoped v=3 3']);
    await ok(['auth', 'delete', '-i', a.id]);
    expect(await ok(['auth', 'list'])).not.toContain(a.id);
  });

  it('delete --start --stop --predicate removes only matching points', async () => {
    await ok(['write', '-b', 'telemetry', 'del,host=a v=1 1000\ndel,host=b v=2 2000']);
    await ok(['delete', '-b', 'telemetry', '--start', '1970-01-01T00:00:00Z', '--stop', '1970-01-01T00:00:01Z', '-p', '_measurement="del" AND host="a"']);
    const json = await okJson<{ records: { host: string }[] }[]>(['query', 'from(bucket: "telemetry") |> range(start: 0) |> filter(fn: (r) => r._measurement == "del")']);
    expect(json.flatMap((t) => t.records.map((r) => r.host))).toEqual(['b']);
  });

  it('org create, list, update, delete', async () => {
    const o = await okJson<{ id: string; name: string }>(['org', 'create', '-n', 'other']);
    expect(await ok(['org', 'list', '--hide-headers'])).toMatch(new RegExp(`${o.id}\\s+other`));
    await ok(['org', 'update', '-i', o.id, '-n', 'renamed']);
    const deleted = await okJson<{ name: string }>(['org', 'delete', '-n', 'renamed']);
    expect(deleted.name).toBe('renamed');
  });

  it('task create from stdin, list, next, run start/list/retry, log list, update, retry-failed, delete', async () => {
    const flux = 'option task = {name: "cli-task", every: 1h}\nfrom(bucket: "telemetry") |> range(start: -1h) |> filter(fn: (r) => r._measurement == "cpu")\n';
    const t = await okJson<{ id: string; name: string; status: string; every: string }>(['task', 'create', '-'], { stdin: flux });
    expect([t.name, t.status, t.every]).toEqual(['cli-task', 'active', '1h']);
    expect(await ok(['task', 'list', '--hide-headers'])).toMatch(new RegExp(`^${t.id}\\s+cli-task\\s+[0-9a-f]{16}\\s+acme\\s+active\\s+1h`, 'm'));
    const found = await okJson<{ id: string }[]>(['task', 'find', '-i', t.id]);
    expect(found.map((x) => x.id)).toEqual([t.id]);
    const next = await okJson<{ scheduledFor: string }[]>(['task', 'next', '--task-id', t.id]);
    expect(next.length).toBeGreaterThan(0);
    expect(next[0]!.scheduledFor).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);

    const run = await okJson<{ id: string; taskID: string }>(['task', 'run', 'start', '--task-id', t.id, '--scheduled-for', '2024-01-01T00:00:00Z']);
    expect(run.taskID).toBe(t.id);
    // The run executes in the background: wait (bounded) for it to finish.
    let status = '';
    for (let i = 0; i < 100 && status !== 'success' && status !== 'failed'; i++) {
      const runs = await okJson<{ id: string; status: string; scheduledFor: string }[]>(['task', 'run', 'list', '--task-id', t.id]);
      status = runs.find((r) => r.id === run.id)?.status ?? '';
      if (status !== 'success' && status !== 'failed') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('success');
    const one = await ok(['task', 'run', 'list', '--task-id', t.id, '--run-id', run.id, '--hide-headers']);
    expect(one).toMatch(new RegExp(`^${run.id}\\s+${t.id}\\s+success\\s+2024-01-01T00:00:00Z`));
    const logs = await okJson<{ message: string }[]>(['task', 'log', 'list', '--task-id', t.id, '--run-id', run.id]);
    expect(logs.length).toBeGreaterThan(0);
    const retry = await ok(['task', 'run', 'retry', '-i', t.id, '-r', run.id]);
    expect(retry).toMatch(new RegExp(`^Retry for task ${t.id}'s run ${run.id} queued as run [0-9a-f]{16}\\.\\n$`));
    expect(await okJson<unknown[]>(['task', 'retry-failed', '-i', t.id, '--dry-run'])).toEqual([]);

    const inactive = await okJson<{ status: string }>(['task', 'update', '-i', t.id, '--status', 'inactive']);
    expect(inactive.status).toBe('inactive');
    // Beyond influx: an inactive task can still be run by hand.
    const manual = await okJson<{ taskID: string; status: string }>(['task', 'run', 'start', '--task-id', t.id]);
    expect(manual.taskID).toBe(t.id);
    await ok(['task', 'delete', '-i', t.id]);
    const gone = await sluice(['task', 'find', '-i', t.id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^Error: .*not found/);
  });

  it('script create, list, update, invoke --param, delete', async () => {
    const created = await okJson<{ id: string; name: string }>([
      'script', 'create', '-n', 'by-host', '-s',
      'from(bucket: "telemetry") |> range(start: 0) |> filter(fn: (r) => r._measurement == "cpu" and r.host == params.host) |> keep(columns: ["_value"])',
    ]);
    expect(created.name).toBe('by-host');
    expect(await ok(['script', 'list', '--hide-headers'])).toMatch(new RegExp(`^${created.id}\\s+by-host`, 'm'));
    const result = await okJson<{ records: { _value: number }[] }[]>(['script', 'invoke', '-i', created.id, '--param', 'host=b']);
    expect(result.flatMap((t) => t.records.map((r) => r._value))).toEqual([2.5]);
    const missing = await sluice(['script', 'invoke', '-i', created.id]);
    expect([missing.code, missing.stderr]).toEqual([1, 'Error: invalid parameters provided\n']);
    await writeFile(join(dir, 'count.flux'), 'from(bucket: "telemetry") |> range(start: 0) |> filter(fn: (r) => r._measurement == "cpu" and r.host == params.host) |> count()');
    await ok(['script', 'update', '-i', created.id, '-f', 'count.flux']);
    const counted = await okJson<{ records: { _value: number }[] }[]>(['script', 'invoke', '-i', created.id, '-p', 'host=a']);
    expect(counted.flatMap((t) => t.records.map((r) => r._value))).toEqual([2]);
    await ok(['script', 'delete', '-i', created.id]);
    expect(await ok(['script', 'list'])).not.toContain(created.id);
  });

  // `script` (util-linux) gives the CLI a pseudo-terminal, so setup prompts as it does for a user.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('setup prompts on a terminal for what flags leave out, then asks to confirm', async () => {
    const fresh = await startTestServer();
    try {
      const freshConfigs = join(dir, 'interactive.json');
      const answers = 'admin\npassword123\nacme\ntelemetry\n72\ny\n';
      const r = await sluice(['-qfec', `${process.execPath} ${cli.bundle} setup --host ${fresh.url}`, '/dev/null'], {
        stdin: answers,
        env: { SLUICE_CONFIGS_PATH: freshConfigs },
        command: 'script',
      });
      expect(r.code).toBe(0);
      for (const q of ['Please type your primary username: ', 'Please type your primary organization name: ', 'retention 72 (y/n): ']) expect(r.stdout).toContain(q);
      const saved = JSON.parse(await readFile(freshConfigs, 'utf8')) as { profiles: { host: string; org: string; active: boolean }[] };
      expect(saved.profiles.map((p) => [p.host, p.org, p.active])).toEqual([[fresh.url, 'acme', true]]);
      const [b] = await okJson<{ retentionRules: { everySeconds: number }[] }[]>(['bucket', 'list', '-n', 'telemetry'], { env: { SLUICE_CONFIGS_PATH: freshConfigs } });
      expect(b!.retentionRules[0]!.everySeconds).toBe(72 * 3600);
    } finally {
      await fresh.cleanup();
    }
  });

  it('--help shows flags and examples; completion scripts list the commands', async () => {
    for (const cmd of [['bucket', 'create'], ['write'], ['query'], ['task', 'run', 'list'], ['auth', 'create'], ['config', 'create']]) {
      const help = await ok([...cmd, '--help']);
      expect(help).toContain(`Usage: sluice ${cmd.join(' ')}`);
      expect(help).toContain('Examples:');
    }
    expect(await ok(['task', '--help'])).toMatch(/Commands:\n {2}create/);
    const bash = await ok(['completion', 'bash']);
    expect(bash).toContain('"task run") words="list retry start"');
    expect(bash).toContain('complete -o default -F _sluice sluice');
    expect(await ok(['completion', 'zsh'])).toContain('#compdef sluice');
  });
});
