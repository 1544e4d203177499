import type { Org } from '../../client/api-types.js';
import { runCommand, type CommandGroup, type CommandIo } from './common/command-spec.js';

/** `sluice org`: organizations (`influx org`). */
const HEADERS = ['ID', 'Name'];
const row = (o: Org): string[] => [o.id, o.name];
const NAME = { type: 'string', short: 'n', help: 'organization name' } as const;
const ID = { type: 'string', short: 'i', help: 'organization ID' } as const;
const DESCRIPTION = { type: 'string', short: 'd', help: 'description' } as const;

/** The ID from `-i`, else the org named by `-n`. */
async function idOf(io: CommandIo): Promise<string> {
  const id = io.str('id');
  if (id !== undefined) return id;
  return io.client().orgID({ org: io.need('name') });
}

export const orgGroup: CommandGroup = {
  summary: 'manage organizations',
  aliases: { ls: 'list', find: 'list' },
  subcommands: {
    create: {
      summary: 'create an organization',
      usage: 'sluice org create -n NAME [-d DESCRIPTION]',
      examples: ['sluice org create -n acme'],
      flags: { name: NAME, description: DESCRIPTION },
      async run(io) {
        io.print(await io.client().createOrg(io.need('name'), io.str('description')), HEADERS, row);
      },
    },
    list: {
      summary: 'list organizations',
      usage: 'sluice org list [-n NAME] [-i ID]',
      examples: ['sluice org list', 'sluice org list -n acme --json'],
      flags: { name: NAME, id: ID },
      async run(io) {
        io.print(await io.client().listOrgs({ name: io.str('name'), id: io.str('id') }), HEADERS, row);
      },
    },
    update: {
      summary: 'rename or describe an organization',
      usage: 'sluice org update -i ID [-n NEW_NAME] [-d DESCRIPTION]',
      examples: ['sluice org update -i 0123456789abcdef -n acme-eu'],
      flags: { id: ID, name: NAME, description: DESCRIPTION },
      async run(io) {
        io.print(await io.client().updateOrg(io.need('id'), { name: io.str('name'), description: io.str('description') }), HEADERS, row);
      },
    },
    delete: {
      summary: 'delete an organization and everything in it',
      usage: 'sluice org delete -i ID | -n NAME',
      examples: ['sluice org delete -n old-org'],
      flags: { id: ID, name: NAME },
      async run(io) {
        const client = io.client();
        const id = await idOf(io);
        const [org] = await client.listOrgs({ id });
        await client.deleteOrg(id);
        io.print(org!, HEADERS, row);
      },
    },
  },
};

export const orgCommand = (argv: readonly string[]): Promise<number> => runCommand('sluice org', orgGroup, argv);
