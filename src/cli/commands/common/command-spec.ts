import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import type { Clock } from '../../../core/clock.js';
import { invalid, isSluiceError } from '../../../core/errors.js';
import { V2Client } from '../../../client/v2-client.js';
import { cliFetch } from './cli-fetch.js';
import { ConfigStore, type Profile } from './config-store.js';
import { ProcessClock } from './process-clock.js';
import { formatTable } from './table-format.js';

/** One flag: `--name` (and `-x` when `short`), described in `--help`. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  help: string;
}

export type Flags = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** Everything a command body gets: parsed flags, positionals, the connection and output. */
export interface CommandIo {
  readonly flags: Flags;
  readonly args: readonly string[];
  readonly json: boolean;
  readonly hideHeaders: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** Time for anything paced or stamped (`write --rate-limit`, `--http-debug` log lines). */
  readonly clock: Clock;
  readonly configs: ConfigStore;
  /** Connection settings after flags > env (`SLUICE_*`) > the selected profile. */
  readonly host: string;
  readonly token: string;
  readonly org: string;
  readonly orgID: string;
  /** A client of `host` with `token`, honouring `--skip-verify` and `--http-debug`. */
  client(): V2Client;
  str(name: string): string | undefined;
  list(name: string): string[];
  bool(name: string): boolean;
  /** Required string flag; a missing one is an `invalid` error naming the flag. */
  need(name: string): string;
  out(text: string): void;
  err(text: string): void;
  /** `--json`: the value; otherwise a table of `columns`. */
  print<T>(value: T | T[], headers: readonly string[], row: (v: T) => string[]): void;
  /** org/orgID for requests (either may be empty). */
  orgRef(): { org?: string; orgID?: string };
}

export interface CommandSpec {
  summary: string;
  usage: string;
  examples: readonly string[];
  flags?: Record<string, FlagSpec>;
  /** Whether the org flags and the connection flags apply (default true). */
  connects?: boolean;
  /** Resolves to the exit status (0 when void). */
  run(io: CommandIo): Promise<number | void>;
}

/** A command with subcommands (`bucket create`); `default` runs when no subcommand is given. */
export interface CommandGroup {
  summary: string;
  subcommands: Record<string, CommandSpec | CommandGroup>;
  aliases?: Record<string, string>;
  /** Subcommand run when none is named (`sluice config` lists, as `influx config` does). */
  default?: string;
}

export const isGroup = (c: CommandSpec | CommandGroup): c is CommandGroup => 'subcommands' in c;

/** The flags every connected command takes, with `influx`'s names. */
export const COMMON_FLAGS: Record<string, FlagSpec> = {
  host: { type: 'string', help: 'server URL [SLUICE_HOST]' },
  token: { type: 'string', short: 't', help: 'API token [SLUICE_TOKEN]' },
  org: { type: 'string', short: 'o', help: 'organization name [SLUICE_ORG]' },
  'org-id': { type: 'string', help: 'organization ID [SLUICE_ORG_ID]' },
  'active-config': { type: 'string', short: 'c', help: 'config profile to use instead of the active one [SLUICE_ACTIVE_CONFIG]' },
  'configs-path': { type: 'string', help: 'path of the config profiles file [SLUICE_CONFIGS_PATH]' },
  'skip-verify': { type: 'boolean', help: 'skip TLS certificate chain and host name verification [SLUICE_SKIP_VERIFY]' },
  'http-debug': { type: 'boolean', help: 'print each HTTP request and response (token included) to stderr' },
  json: { type: 'boolean', help: 'print JSON instead of tables [SLUICE_OUTPUT_JSON]' },
  'hide-headers': { type: 'boolean', help: 'omit table headers' },
};

const HELP_FLAG: Record<string, FlagSpec> = { help: { type: 'boolean', short: 'h', help: 'show this help' } };

export const DEFAULT_HOST = 'http://localhost:8086';

export interface Streams {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Default: the system clock, its timers holding the process open. */
  clock?: Clock;
}

const processStreams = (): Streams => ({
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  env: process.env,
});

/** Runs a command or group against argv; errors print `Error: <server message>` and give 1. */
export async function runCommand(path: string, command: CommandSpec | CommandGroup, argv: readonly string[], streams: Streams = processStreams()): Promise<number> {
  if (isGroup(command)) {
    const [sub, ...rest] = argv;
    if (command.default !== undefined && (sub === undefined || (sub.startsWith('-') && sub !== '--help' && sub !== '-h'))) {
      return runCommand(`${path} ${command.default}`, command.subcommands[command.default]!, argv, streams);
    }
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      (sub === undefined ? streams.stderr : streams.stdout)(groupUsage(path, command));
      return sub === undefined ? 1 : 0;
    }
    const name = command.aliases?.[sub] ?? sub;
    const next = command.subcommands[name];
    if (next === undefined) {
      streams.stderr(`Error: unknown command "${sub}" for "${path}"\n${groupUsage(path, command)}`);
      return 1;
    }
    return runCommand(`${path} ${name}`, next, rest, streams);
  }
  const specs = { ...(command.connects === false ? {} : COMMON_FLAGS), ...command.flags, ...HELP_FLAG };
  let parsed: { values: Flags; positionals: string[] };
  try {
    parsed = parseArgs({ args: attachValues(argv, specs), options: toParseArgs(specs), allowPositionals: true, strict: true }) as typeof parsed;
  } catch (e) {
    streams.stderr(`Error: ${(e as Error).message}\nSee '${path} --help'.\n`);
    return 1;
  }
  if (parsed.values.help === true) {
    streams.stdout(commandUsage(path, command, specs));
    return 0;
  }
  try {
    const io = makeIo(parsed.values, parsed.positionals, streams);
    return (await command.run(io)) ?? 0;
  } catch (e) {
    streams.stderr(`Error: ${isSluiceError(e) ? e.message : ((e as Error).message ?? String(e))}\n`);
    return 1;
  }
}

/**
 * Go's flag rule, which influx follows: a flag that takes a value takes the next argument whatever
 * it looks like, so `-t -Ab3…` passes a token that starts with "-" (base64url tokens can).
 * parseArgs calls that ambiguous; written as `--token=-Ab3…` it is not.
 */
export function attachValues(argv: readonly string[], specs: Record<string, FlagSpec>): string[] {
  const byShort = new Map<string, string>();
  for (const [name, s] of Object.entries(specs)) if (s.short !== undefined) byShort.set(s.short, name);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const name = a.startsWith('--') ? (a.includes('=') ? undefined : a.slice(2)) : /^-[^-]$/.test(a) ? byShort.get(a[1]!) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && specs[name]?.type === 'string' && next !== undefined && next.startsWith('-') && next !== '--') {
      out.push(`--${name}=${next}`);
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function toParseArgs(specs: Record<string, FlagSpec>): ParseArgsOptionsConfig {
  const out: ParseArgsOptionsConfig = {};
  for (const [name, s] of Object.entries(specs)) {
    out[name] = { type: s.type, ...(s.short === undefined ? {} : { short: s.short }), ...(s.multiple === true ? { multiple: true } : {}) };
  }
  return out;
}

function makeIo(flags: Flags, args: string[], streams: Streams): CommandIo {
  const env = streams.env;
  const str = (name: string): string | undefined => {
    const v = flags[name];
    return typeof v === 'string' ? v : undefined;
  };
  const configs = new ConfigStore(str('configs-path') ?? ConfigStore.defaultPath(env));
  const profileName = str('active-config') ?? nonEmpty(env.SLUICE_ACTIVE_CONFIG);
  let profile: Profile | undefined;
  const getProfile = (): Profile | undefined => (profile ??= profileName !== undefined ? configs.get(profileName) : configs.active());
  const pick = (flag: string, envName: string, fromProfile: (p: Profile) => string, fallback: string): string =>
    str(flag) ?? nonEmpty(env[envName]) ?? (getProfile() !== undefined ? fromProfile(getProfile()!) : undefined) ?? fallback;
  const json = flags.json === true || env.SLUICE_OUTPUT_JSON === 'true';
  const clock = streams.clock ?? new ProcessClock();
  const hideHeaders = flags['hide-headers'] === true;
  // Resolved lazily: `config` commands must work even when the selected profile is missing.
  const lazy = <T>(f: () => T): (() => T) => {
    let v: { value: T } | undefined;
    return () => (v ??= { value: f() }).value;
  };
  const host = lazy(() => pick('host', 'SLUICE_HOST', (p) => p.host, DEFAULT_HOST));
  // SLUICE_SKIP_VERIFY is read only by commands that connect (a bad value must not break `config`).
  const fetch = lazy(() =>
    cliFetch({ skipVerify: flags['skip-verify'] === true || envBool(env, 'SLUICE_SKIP_VERIFY', 'skip-verify'), httpDebug: flags['http-debug'] === true, debugOut: streams.stderr, clock }),
  );
  const token = lazy(() => pick('token', 'SLUICE_TOKEN', (p) => p.token, ''));
  const orgID = lazy(() => str('org-id') ?? nonEmpty(env.SLUICE_ORG_ID) ?? '');
  // An explicit --org-id wins over a profile's org name (influx: the two are exclusive).
  const org = lazy(() => str('org') ?? nonEmpty(env.SLUICE_ORG) ?? (orgID() !== '' ? '' : (getProfile()?.org ?? '')));
  const io: CommandIo = {
    flags,
    args,
    json,
    hideHeaders,
    env,
    clock,
    configs,
    get host() {
      return host();
    },
    get token() {
      return token();
    },
    get org() {
      return org();
    },
    get orgID() {
      return orgID();
    },
    client: () => new V2Client({ host: host(), token: token(), fetch: fetch() }),
    str,
    list: (name) => {
      const v = flags[name];
      return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
    },
    bool: (name) => flags[name] === true,
    need: (name) => {
      const v = str(name);
      if (v === undefined || v === '') throw invalid(`required flag --${name} not set`);
      return v;
    },
    out: streams.stdout,
    err: streams.stderr,
    print<T>(value: T | T[], headers: readonly string[], row: (v: T) => string[]) {
      if (json) {
        streams.stdout(JSON.stringify(value, null, 2) + '\n');
        return;
      }
      const rows = (Array.isArray(value) ? value : [value]).map(row);
      streams.stdout(formatTable(headers, rows, hideHeaders));
    },
    orgRef: () => {
      if (str('org') !== undefined && str('org-id') !== undefined) throw invalid('specify --org or --org-id, not both');
      return orgID() !== '' ? { orgID: orgID() } : org() !== '' ? { org: org() } : {};
    },
  };
  return io;
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

/**
 * The environment variable of boolean flag `--flag`, read as influx reads one (Go's
 * strconv.ParseBool; unset or empty is false), refused with influx's message.
 */
/** A boolean environment variable read as Go's strconv.ParseBool reads it (influx's flag variables); unset or empty is false. */
export function envBool(env: NodeJS.ProcessEnv, name: string, flag: string): boolean {
  const v = env[name];
  return v === undefined || v === '' ? false : goBool(v, flag);
}

/** `value` as Go's strconv.ParseBool reads it, for `--flag`; else influx's error. */
export function goBool(value: string, flag: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw invalid(`could not parse ${value} as bool value for flag ${flag}: strconv.ParseBool: parsing "${value}": invalid syntax`);
}

export function groupUsage(path: string, group: CommandGroup): string {
  const names = Object.keys(group.subcommands);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const lines = [`Usage: ${path} <command> [flags]`, '', group.summary, '', 'Commands:'];
  for (const n of names) lines.push(`  ${n.padEnd(width)}${group.subcommands[n]!.summary}`);
  const aliases = Object.entries(group.aliases ?? {});
  if (aliases.length > 0) lines.push('', `Aliases: ${aliases.map(([alias, target]) => `${alias} = ${target}`).join(', ')}`);
  lines.push('', `Run '${path} <command> --help' for the flags and examples of a command.`);
  return lines.join('\n') + '\n';
}

export function commandUsage(path: string, c: CommandSpec, specs: Record<string, FlagSpec>): string {
  const lines = [`Usage: ${c.usage}`, '', c.summary, '', 'Flags:'];
  const label = (n: string, s: FlagSpec): string => `${s.short === undefined ? '    ' : `-${s.short}, `}--${n}${s.type === 'string' ? ' <value>' : ''}`;
  const width = Math.max(...Object.entries(specs).map(([n, s]) => label(n, s).length)) + 2;
  for (const [n, s] of Object.entries(specs)) lines.push(`  ${label(n, s).padEnd(width)}${s.help}${s.multiple === true ? ' (repeatable)' : ''}`);
  if (c.examples.length > 0) lines.push('', 'Examples:', ...c.examples.map((e) => `  ${e}`));
  void path;
  return lines.join('\n') + '\n';
}
