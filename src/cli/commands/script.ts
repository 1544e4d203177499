import { readFile } from 'node:fs/promises';
import type { Script } from '../../client/api-types.js';
import { invalid } from '../../core/errors.js';
import { runCommand, type CommandGroup, type CommandIo } from './common/command-spec.js';
import { printResult, readStdin } from './query.js';

/** `sluice script`: stored Flux scripts (Cloud's invocable scripts API) and invoking them. */
const HEADERS = ['ID', 'Name', 'Description', 'Organization ID', 'Language'];
const row = (s: Script): string[] => [s.id, s.name, s.description ?? '', s.orgID, s.language];
const ID = { type: 'string', short: 'i', help: 'script ID' } as const;
const FILE = { type: 'string', short: 'f', help: 'file holding the Flux script' } as const;

async function scriptText(io: CommandIo): Promise<string | undefined> {
  const file = io.str('file');
  if (file !== undefined) return readFile(file, 'utf8');
  const s = io.str('script');
  if (s === '-') return readStdin();
  return s;
}

/** `--param k=v` pairs; a value that is valid JSON (number, true, "quoted") is used as such. */
export function parseParams(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw invalid(`--param "${p}" must be key=value`);
    const raw = p.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: the text itself.
    }
    out[p.slice(0, eq)] = value;
  }
  return out;
}

export const scriptGroup: CommandGroup = {
  summary: 'manage and invoke stored Flux scripts',
  aliases: { ls: 'list', find: 'list', rm: 'delete', run: 'invoke' },
  subcommands: {
    create: {
      summary: 'store a script',
      usage: "sluice script create -n NAME (-f FILE | -s 'FLUX' | -s -) [-d TEXT] [-o ORG]",
      examples: ['sluice script create -n cpu-by-host -f cpu.flux', `sluice script create -n hello -s 'from(bucket: params.bucket) |> range(start: -1h)'`],
      flags: {
        name: { type: 'string', short: 'n', help: 'script name' },
        description: { type: 'string', short: 'd', help: 'description' },
        script: { type: 'string', short: 's', help: 'Flux text (or - for stdin)' },
        file: FILE,
      },
      async run(io) {
        const script = await scriptText(io);
        if (script === undefined) throw invalid('no script given: use -f FILE or -s');
        const client = io.client();
        const orgID = await client.orgID(io.orgRef());
        io.print(await client.createScript({ orgID, name: io.need('name'), description: io.str('description'), script }), HEADERS, row);
      },
    },
    list: {
      summary: 'list scripts',
      usage: 'sluice script list [--limit N] [-o ORG]',
      examples: ['sluice script list', 'sluice script list --json'],
      flags: { limit: { type: 'string', help: 'most scripts to list (default 100)' } },
      async run(io) {
        const limit = io.str('limit') === undefined ? undefined : Number(io.str('limit'));
        io.print(await io.client().listScripts({ ...io.orgRef(), limit }), HEADERS, row);
      },
    },
    update: {
      summary: 'change a script\'s Flux or description',
      usage: "sluice script update -i ID [-f FILE | -s 'FLUX'] [-d TEXT]",
      examples: ['sluice script update -i 0123456789abcdef -f cpu.flux'],
      flags: { id: ID, description: { type: 'string', short: 'd', help: 'description' }, script: { type: 'string', short: 's', help: 'Flux text (or - for stdin)' }, file: FILE },
      async run(io) {
        const script = await scriptText(io);
        io.print(await io.client().updateScript(io.need('id'), { description: io.str('description'), script }), HEADERS, row);
      },
    },
    delete: {
      summary: 'delete a script',
      usage: 'sluice script delete -i ID',
      examples: ['sluice script delete -i 0123456789abcdef'],
      flags: { id: ID },
      async run(io) {
        await io.client().deleteScript(io.need('id'));
        if (io.json) io.out(JSON.stringify({ deleted: io.need('id') }) + '\n');
      },
    },
    invoke: {
      summary: 'run a script with parameters and print its result (tables, --raw CSV or --json)',
      usage: 'sluice script invoke -i ID [--param key=value]... [--raw | --json]',
      examples: ['sluice script invoke -i 0123456789abcdef --param bucket=telemetry --param limit=10', 'sluice script invoke -i 0123456789abcdef -p bucket=telemetry --raw'],
      flags: {
        id: ID,
        param: { type: 'string', short: 'p', multiple: true, help: 'parameter as key=value (JSON values allowed)' },
        raw: { type: 'boolean', short: 'r', help: 'print the annotated CSV response unchanged' },
      },
      async run(io) {
        printResult(io, await io.client().invokeScript(io.need('id'), parseParams(io.list('param'))));
      },
    },
  },
};

export const scriptCommand = (argv: readonly string[]): Promise<number> => runCommand('sluice script', scriptGroup, argv);
