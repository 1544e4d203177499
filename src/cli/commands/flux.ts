import { readFile } from 'node:fs/promises';
import { isSluiceError } from '../../core/errors.js';
import { parseRfc3339Ns } from '../../core/time.js';
import { encodeResults } from '../../flux/csv/index.js';
import { formatTable } from '../../flux/execute/format-table.js';
import { compileProgram, runProgram } from '../../flux/interpreter/index.js';
import { standardLibrary } from '../../flux/stdlib/index.js';
import { parseServeConfig, remoteSettingsOf, SERVE_OPTIONS } from '../../server/config.js';
import { fluxRunWiring } from '../../server/default-server-deps.js';
import { envBool, goBool } from './common/command-spec.js';
import {
  findTestFiles,
  formatReportLine,
  formatSummaryLine,
  parseSkipList,
  runTestFile,
  summarize,
  type TestCaseReport,
} from '../../flux/testing-runner/index.js';

/**
 * The flags `flux run` shares with `sluice serve`: how to reach other servers (`host:`). Parsed by
 * serve's own parser and turned into client settings as serve does (`remoteSettingsOf`), with its
 * help text and environment variables, so both commands mean the same by them.
 */
const SERVE_REMOTE_FLAGS = ['--hardening-enabled', '--remote-headers-timeout', '--remote-idle-timeout'];
const SERVE_REMOTE_OPTIONS = SERVE_OPTIONS.filter((o) => SERVE_REMOTE_FLAGS.includes(o.flag));

const USAGE = `Usage:
  sluice flux run [--now TIME] [--format table|csv] [--skip-verify] [--hardening-enabled] [--remote-headers-timeout D] [--remote-idle-timeout D] FILE|-
      Runs a Flux script without a server (csv.from, array.from, sampledata inputs) and prints
      every result. --now sets now() (RFC3339); the wall clock by default.
      from/to/buckets(host:, token:, org:|orgID:, …), influxdb.wideTo/cardinality(host:) and
      experimental.to(host:) read and write other InfluxDB-compatible servers; a bucket without
      host: is an error (there is no local storage). Redirects are followed as InfluxDB follows
      them (307/308 repeat the request, the token never goes to another host, at most 10).
      --skip-verify [SLUICE_SKIP_VERIFY] connects to https hosts (host: calls, http.post,
      requests…) without checking their certificate chain or host name.
      As for sluice serve (environment variable in brackets):
${SERVE_REMOTE_OPTIONS.map((o) => `      ${o.flag.padEnd(26)} ${o.help} [${o.env}]`).join('\n')}
      With --hardening-enabled a host: (or a redirect) to such an address fails with
      "no such host", as http.post, requests and the other outbound calls do.
  sluice flux test [flags] PATH...
      Runs the testcases of *_test.flux files (directories are searched recursively), as Flux's
      \`flux test\` does. Prints one line per testcase (PASS|FAIL|SKIP name: reason) and then
      "N passed, M failed, K skipped". Exit status 1 if any testcase failed.
      --run REGEX        only testcases whose full name (pkg.testcase) matches
      --skip NAMES       comma-separated testcases to skip (pkg.testcase or testcase)
      --skip-file FILE   testcases to skip, one per line: "name [reason]", # comments
      --tags TAGS        comma-separated testing.tags to enable (tagged testcases are skipped
                         unless all their tags are enabled)
      --timeout D        limit per testcase, e.g. 30s or 500ms (default 60s)
      --now TIME         now() for tests that do not set option now (RFC3339)
`;

class UsageError extends Error {}

/** `sluice flux <run|test>`: Flux without a server. Returns the process exit status. */
export async function fluxCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'run') return await fluxRun(rest, env);
    if (sub === 'test') return await fluxTest(rest);
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      process.stdout.write(USAGE);
      return sub === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown subcommand "${sub}"`);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sluice flux: ${e.message}\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`sluice flux: ${isSluiceError(e) ? e.message : String((e as Error).stack ?? e)}\n`);
    return 1;
  }
}

/** Flags of the form `--name value` or `--name=value`; everything else is positional. */
function parseFlags(argv: readonly string[], valued: readonly string[], repeatable: readonly string[] = []) {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      flags.set('help', ['']);
      continue;
    }
    if (!a.startsWith('--') || a === '-') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!valued.includes(name)) throw new UsageError(`unknown flag --${name}`);
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`flag --${name} needs a value`);
    if (flags.has(name) && !repeatable.includes(name)) throw new UsageError(`flag --${name} given twice`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  const one = (name: string): string | undefined => flags.get(name)?.[0];
  return { flags, positional, one };
}

/** `read()`, its errors (a bad flag or variable value) turned into usage errors. */
function usageErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new UsageError(isSluiceError(e) ? e.message : String(e));
  }
}

function parseNow(text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  try {
    return parseRfc3339Ns(text);
  } catch {
    throw new UsageError(`--now: not an RFC3339 time: ${text}`);
  }
}

/**
 * Takes serve's remote-host flags (`SERVE_REMOTE_FLAGS`, `--flag value`, `--flag=value` or a
 * bare boolean) out of `argv`, and reads them, with their environment variables, as serve does.
 */
function remoteFlags(argv: readonly string[], env: NodeJS.ProcessEnv): { rest: string[]; remote: RemoteSettings } {
  const rest: string[] = [];
  const serveArgv: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const o = SERVE_REMOTE_OPTIONS.find((x) => x.flag === a.split('=', 1)[0]);
    if (o === undefined) {
      rest.push(a);
      continue;
    }
    serveArgv.push(a);
    if (!a.includes('=') && o.boolean !== true && i + 1 < argv.length) serveArgv.push(argv[++i]!);
  }
  const ownEnv = Object.fromEntries(SERVE_REMOTE_OPTIONS.map((o) => [o.env, env[o.env]]));
  try {
    return { rest, remote: remoteSettingsOf(parseServeConfig(serveArgv, ownEnv)) };
  } catch (e) {
    throw new UsageError(isSluiceError(e) ? e.message : String(e));
  }
}

type RemoteSettings = NonNullable<Parameters<typeof fluxRunWiring>[0]>;

function parseTimeoutMs(text: string | undefined): number {
  if (text === undefined) return 60_000;
  const m = /^(\d+)(ms|s|m)?$/.exec(text);
  if (m === null) throw new UsageError(`--timeout: expected a duration like 30s or 500ms, got ${text}`);
  const n = Number(m[1]);
  return m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
}

async function fluxRun(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { rest: afterRemote, remote } = remoteFlags(argv, env);
  // --skip-verify (or SLUICE_SKIP_VERIFY), as the other commands take it: here for host: calls
  // and Flux's own HTTP calls to https servers.
  const given = afterRemote.filter((a) => a === '--skip-verify' || a.startsWith('--skip-verify='));
  const rest = afterRemote.filter((a) => !given.includes(a));
  const last = given[given.length - 1];
  const skipVerify = usageErrors(() =>
    last === undefined ? envBool(env, 'SLUICE_SKIP_VERIFY', 'skip-verify') : last === '--skip-verify' || goBool(last.slice('--skip-verify='.length), 'skip-verify'),
  );
  const { flags, positional, one } = parseFlags(rest, ['now', 'format']);
  if (flags.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positional.length !== 1) throw new UsageError('flux run takes exactly one FILE (or - for stdin)');
  const format = one('format') ?? 'table';
  if (format !== 'table' && format !== 'csv') throw new UsageError(`--format must be table or csv, got ${format}`);
  const nowNs = parseNow(one('now'));
  const path = positional[0]!;
  const source = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  // The query library over no local storage: host: reads and writes reach other servers, under
  // the address policy --hardening-enabled chose (HTTP_CLIENT included, as for serve).
  const { registry, externals } = fluxRunWiring(skipVerify ? { ...remote, tlsSkipVerify: true } : remote);
  // Compiled with the file's name, so diagnostics point into it.
  const program = compileProgram(source, registry, path === '-' ? '' : path);
  const run = await runProgram(program, { registry, externals, ...(nowNs === undefined ? {} : { nowNs }) });
  if (format === 'csv') {
    const results = run.results.map((r) => ({ name: r.name, tables: r.stream.tables }));
    const outcome = await encodeResults(results, writeOut);
    if (outcome.error !== undefined) throw outcome.error;
    return 0;
  }
  // Indexed: reading a result may register another (a yield inside a lazily called function).
  for (let i = 0; i < run.results.length; i++) {
    const r = run.results[i]!;
    await writeOut(`Result: ${r.name}\n`);
    for await (const t of r.stream.tables) await writeOut(`${formatTable(t)}\n\n`);
  }
  return 0;
}

/** Writes to stdout, waiting for 'drain' when the pipe is full (a large result into `less`). */
function writeOut(chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(chunk)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function fluxTest(argv: readonly string[]): Promise<number> {
  const { flags, positional, one } = parseFlags(argv, ['run', 'skip', 'skip-file', 'tags', 'timeout', 'now'], ['skip-file', 'skip']);
  if (flags.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positional.length === 0) throw new UsageError('flux test needs at least one PATH');
  const skip = new Map<string, string>();
  for (const f of flags.get('skip-file') ?? []) for (const [k, v] of parseSkipList(await readFile(f, 'utf8'))) skip.set(k, v);
  for (const list of flags.get('skip') ?? []) for (const n of list.split(',')) if (n.trim() !== '') skip.set(n.trim(), '');
  let run: RegExp | undefined;
  const runText = one('run');
  if (runText !== undefined) {
    try {
      run = new RegExp(runText);
    } catch (e) {
      throw new UsageError(`--run: ${(e as Error).message}`);
    }
  }
  const tags = (one('tags') ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  const nowNs = parseNow(one('now'));
  const registry = standardLibrary();
  const opts = {
    registry,
    scope: registry.scopeDescription(),
    skip,
    tags,
    timeoutMs: parseTimeoutMs(one('timeout')),
    ...(run === undefined ? {} : { run }),
    ...(nowNs === undefined ? {} : { nowNs }),
  };
  const all: TestCaseReport[] = [];
  const onReport = (r: TestCaseReport): void => {
    all.push(r);
    process.stdout.write(`${formatReportLine(r)}\n`);
  };
  const names = new Map<string, string>();
  for (const file of await findTestFiles(positional)) await runTestFile(file, { ...opts, onReport, names });
  const summary = summarize(all);
  const code = summary.failed > 0 ? 1 : 0;
  process.stdout.write(`${formatSummaryLine(summary)}\n`);
  if (all.some((r) => r.failure === 'timeout')) {
    // A timed-out testcase may still be running in the background (work that never checks the
    // abort signal): exit once the output is flushed instead of waiting for it.
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    process.exit(code);
  }
  return code;
}
