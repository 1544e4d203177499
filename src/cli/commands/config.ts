import type { CommandGroup, CommandIo } from './common/command-spec.js';
import { runCommand } from './common/command-spec.js';
import type { Profile } from './common/config-store.js';

/** `sluice config`: connection profiles (`influx config`), stored in the user's config dir. */
const PROFILE_FLAGS = {
  'config-name': { type: 'string', short: 'n', help: 'profile name' },
  'host-url': { type: 'string', short: 'u', help: 'server URL of the profile' },
  token: { type: 'string', short: 't', help: 'API token of the profile' },
  org: { type: 'string', short: 'o', help: 'default organization of the profile' },
  active: { type: 'boolean', short: 'a', help: 'make this the active profile' },
  'configs-path': { type: 'string', help: 'path of the config profiles file [SLUICE_CONFIGS_PATH]' },
  json: { type: 'boolean', help: 'print JSON instead of tables' },
  'hide-headers': { type: 'boolean', help: 'omit table headers' },
} as const;

const HEADERS = ['Active', 'Name', 'URL', 'Org'];
const row = (p: Profile): string[] => [p.active ? '*' : '', p.name, p.host, p.org];
/** Tokens are secrets: `--json` shows whether one is set, not its value. */
const redact = (p: Profile): Omit<Profile, 'token'> & { token: string } => ({ ...p, token: p.token === '' ? '' : '<set>' });

const nameOf = (io: CommandIo): string => io.str('config-name') ?? io.args[0] ?? io.need('config-name');

export const configGroup: CommandGroup = {
  summary: 'manage connection profiles (host, token, org)',
  default: 'list',
  aliases: { ls: 'list', delete: 'rm', update: 'set' },
  subcommands: {
    create: {
      summary: 'create a profile',
      usage: 'sluice config create -n NAME -u URL -t TOKEN [-o ORG] [--active]',
      examples: ['sluice config create -n local -u http://localhost:8086 -t $TOKEN -o acme --active'],
      connects: false,
      flags: PROFILE_FLAGS,
      async run(io) {
        const p = io.configs.create({
          name: nameOf(io),
          host: io.need('host-url'),
          token: io.str('token') ?? '',
          org: io.str('org') ?? '',
          active: io.bool('active'),
        });
        io.print(redact(p), HEADERS, row);
      },
    },
    list: {
      summary: 'list profiles (* marks the active one)',
      usage: 'sluice config list',
      examples: ['sluice config list', 'sluice config list --json'],
      connects: false,
      flags: PROFILE_FLAGS,
      async run(io) {
        io.print(io.configs.list().map(redact), HEADERS, row);
      },
    },
    set: {
      summary: 'change a profile (or make it active with --active)',
      usage: 'sluice config set -n NAME [-u URL] [-t TOKEN] [-o ORG] [--active]',
      examples: ['sluice config set -n local -o other-org', 'sluice config set -n prod --active'],
      connects: false,
      flags: PROFILE_FLAGS,
      async run(io) {
        const p = io.configs.update(nameOf(io), {
          host: io.str('host-url'),
          token: io.str('token'),
          org: io.str('org'),
          active: io.bool('active') ? true : undefined,
        });
        io.print(redact(p), HEADERS, row);
      },
    },
    rm: {
      summary: 'remove a profile',
      usage: 'sluice config rm NAME',
      examples: ['sluice config rm old'],
      connects: false,
      flags: PROFILE_FLAGS,
      async run(io) {
        const names = io.args.length > 0 ? io.args : [nameOf(io)];
        io.print(names.map((n) => redact(io.configs.remove(n))), HEADERS, row);
      },
    },
    use: {
      summary: 'make a profile active (as `influx config NAME`)',
      usage: 'sluice config use NAME',
      examples: ['sluice config use prod'],
      connects: false,
      flags: PROFILE_FLAGS,
      async run(io) {
        io.print(redact(io.configs.update(nameOf(io), { active: true })), HEADERS, row);
      },
    },
  },
};

export const configCommand = (argv: readonly string[]): Promise<number> => runCommand('sluice config', configGroup, argv);
