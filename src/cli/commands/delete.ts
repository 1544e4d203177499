import { invalid } from '../../core/errors.js';
import { runCommand, type CommandSpec } from './common/command-spec.js';

/** `sluice delete`: deletes points in a time range matching a predicate (`influx delete`). */
export const deleteSpec: CommandSpec = {
  summary: 'delete points in a time range (optionally matching a predicate)',
  usage: 'sluice delete -b BUCKET --start RFC3339 --stop RFC3339 [-p PREDICATE] [-o ORG]',
  examples: [
    "sluice delete -b telemetry --start 1970-01-01T00:00:00Z --stop 2030-01-01T00:00:00Z",
    `sluice delete -b telemetry --start 2024-01-01T00:00:00Z --stop 2024-02-01T00:00:00Z -p '_measurement="cpu" AND host="a"'`,
  ],
  flags: {
    bucket: { type: 'string', short: 'b', help: 'bucket name' },
    'bucket-id': { type: 'string', help: 'bucket ID (instead of --bucket)' },
    start: { type: 'string', help: 'start time (RFC3339, inclusive)' },
    stop: { type: 'string', help: 'stop time (RFC3339, inclusive)' },
    predicate: { type: 'string', short: 'p', help: 'delete predicate, e.g. \'_measurement="cpu" AND host="a"\'' },
  },
  async run(io) {
    const client = io.client();
    const start = io.need('start');
    const stop = io.need('stop');
    const id = io.str('bucket-id');
    let target: { bucket: string; org?: string; orgID?: string };
    if (id !== undefined) {
      const [b] = await client.listBuckets({ id });
      target = { bucket: b!.name, orgID: b!.orgID };
    } else {
      const bucket = io.str('bucket');
      if (bucket === undefined) throw invalid('must specify --bucket or --bucket-id');
      target = { bucket, ...io.orgRef() };
    }
    await client.deletePoints({ ...target, start, stop, predicate: io.str('predicate') });
    if (io.json) io.out(JSON.stringify({ deleted: true, ...target, start, stop, predicate: io.str('predicate') ?? '' }) + '\n');
  },
};

export const deleteCommand = (argv: readonly string[]): Promise<number> => runCommand('sluice delete', deleteSpec, argv);
