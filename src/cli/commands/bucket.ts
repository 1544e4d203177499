import type { Bucket } from '../../client/api-types.js';
import { invalid, notFound } from '../../core/errors.js';
import { runCommand, type CommandGroup, type CommandIo } from './common/command-spec.js';
import { formatRetention, retentionSeconds } from './common/retention-seconds.js';

/** `sluice bucket`: buckets (`influx bucket`). */
const HEADERS = ['ID', 'Name', 'Retention', 'Organization ID'];
const row = (b: Bucket): string[] => [b.id, b.name, formatRetention(b.retentionRules[0]?.everySeconds ?? 0), b.orgID];
const NAME = { type: 'string', short: 'n', help: 'bucket name' } as const;
const ID = { type: 'string', short: 'i', help: 'bucket ID' } as const;
const DESCRIPTION = { type: 'string', short: 'd', help: 'description' } as const;
const RETENTION = { type: 'string', short: 'r', help: 'retention (e.g. 30d, 72h; 0 = forever)' } as const;

/** The bucket named by `-i`, or by `-n` in the selected org. */
export async function findBucket(io: CommandIo, idFlag = 'id', nameFlag = 'name'): Promise<Bucket> {
  const client = io.client();
  const id = io.str(idFlag);
  if (id !== undefined) return (await client.listBuckets({ id }))[0]!;
  const name = io.str(nameFlag);
  if (name === undefined) throw invalid(`must specify --${idFlag} or --${nameFlag}`);
  const found = (await client.listBuckets({ ...io.orgRef(), name })).find((b) => b.name === name);
  if (found === undefined) throw notFound(`bucket "${name}" not found`);
  return found;
}

export const bucketGroup: CommandGroup = {
  summary: 'manage buckets',
  aliases: { ls: 'list', find: 'list' },
  subcommands: {
    create: {
      summary: 'create a bucket',
      usage: 'sluice bucket create -n NAME [-r RETENTION] [-d DESCRIPTION] [-o ORG]',
      examples: ['sluice bucket create -n telemetry --retention 30d', 'sluice bucket create -n archive -o acme'],
      flags: { name: NAME, description: DESCRIPTION, retention: RETENTION, 'shard-group-duration': { type: 'string', help: 'shard group duration (e.g. 1d)' } },
      async run(io) {
        const client = io.client();
        const orgID = await client.orgID(io.orgRef());
        const shard = io.str('shard-group-duration');
        const b = await client.createBucket({
          orgID,
          name: io.need('name'),
          description: io.str('description'),
          retentionSeconds: retentionSeconds(io.str('retention') ?? '0'),
          ...(shard === undefined ? {} : { shardGroupSeconds: retentionSeconds(shard) }),
        });
        io.print(b, HEADERS, row);
      },
    },
    list: {
      summary: 'list buckets of an organization',
      usage: 'sluice bucket list [-n NAME] [-i ID] [-o ORG]',
      examples: ['sluice bucket list', 'sluice bucket list -n telemetry --json'],
      flags: { name: NAME, id: ID },
      async run(io) {
        const id = io.str('id');
        const buckets = await io.client().listBuckets(id !== undefined ? { id } : { ...io.orgRef(), name: io.str('name') });
        io.print(buckets, HEADERS, row);
      },
    },
    update: {
      summary: 'rename a bucket or change its retention',
      usage: 'sluice bucket update -i ID [-n NEW_NAME] [-r RETENTION] [-d DESCRIPTION]',
      examples: ['sluice bucket update -i 0123456789abcdef --retention 90d'],
      flags: { id: ID, name: NAME, description: DESCRIPTION, retention: RETENTION },
      async run(io) {
        const r = io.str('retention');
        const b = await io.client().updateBucket(io.need('id'), {
          name: io.str('name'),
          description: io.str('description'),
          ...(r === undefined ? {} : { retentionSeconds: retentionSeconds(r) }),
        });
        io.print(b, HEADERS, row);
      },
    },
    delete: {
      summary: 'delete a bucket and its data',
      usage: 'sluice bucket delete -i ID | -n NAME [-o ORG]',
      examples: ['sluice bucket delete -n scratch'],
      flags: { id: ID, name: NAME },
      async run(io) {
        const b = await findBucket(io);
        await io.client().deleteBucket(b.id);
        io.print(b, HEADERS, row);
      },
    },
  },
};

export const bucketCommand = (argv: readonly string[]): Promise<number> => runCommand('sluice bucket', bucketGroup, argv);
