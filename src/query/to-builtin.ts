import { ErrorCode, SluiceError } from '../core/errors.js';
import type { Table } from '../flux/execute/table.js';
import { onceStream, type BuiltinSpec } from '../flux/interpreter/index.js';
import { streamValue } from '../flux/values/value.js';
import { PointBatch } from './point-batch.js';
import { resolveBucket, tenantRefOf } from './tenant-refs.js';
import { QUERY_ENV } from './query-env.js';
import { RemotePointWriter } from './remote/remote-point-writer.js';
import { remoteOptionsOf } from './remote/remote-options.js';
import { remoteTargetOf } from './remote/remote-target.js';

/**
 * Field values gathered before one storage write (one WAL record, one fsync). Large enough that
 * a task writing a day of 5-minute means of 1,000 series (288,000 values) is one write, small
 * enough that the record stays around 20 MB.
 */
const BATCH_VALUES = 500_000;

/**
 * `to()`: writes every row of its input to a bucket through `storage.write` (the caller needs
 * write permission) and passes the tables on unchanged. Without `fieldFn`, each row is one field
 * (`_field` = `_value`); with it, the record it returns maps field names to values. Tags: the
 * `tagColumns`, by default every string column but the measurement, `_field` and `_value`.
 * Rows whose value is null are skipped, as are null tags. Runs once however often its result
 * is read. Points are gathered across tables (point-batch.ts) and written in large batches;
 * the query ends only after the last one is durable.
 */
export const to: BuiltinSpec = {
  signature:
    '(<-tables: stream[A], ?bucket: string, ?bucketID: string, ?org: string, ?orgID: string, ?host: string, ?token: string, ?timeColumn: string, ?measurementColumn: string, ?tagColumns: [string], ?fieldFn: (r: A) => B) => stream[A]',
  call(args) {
    const env = args.ctx.requireExternal(QUERY_ENV, 'to');
    // With `host`, another server's bucket (src/query/remote); without it `token` is ignored, as in InfluxDB.
    const remote = args.has('host') ? new RemotePointWriter(remoteTargetOf(args), remoteOptionsOf(args.ctx), args.ctx.signal) : undefined;
    const bucket = remote === undefined ? resolveBucket(env, tenantRefOf(args), 'write') : undefined;
    const timeColumn = args.stringOr('timeColumn', '_time');
    const measurementColumn = args.stringOr('measurementColumn', '_measurement');
    const tagColumns = args.optStrings('tagColumns');
    const fieldFn = args.optFn('fieldFn');
    const input = args.stream();
    const ctx = args.ctx;
    const tables = onceStream(() =>
      args.output(async function* () {
        const options = { timeColumn, measurementColumn, tagColumns, fieldFn };
        const batch = new PointBatch();
        let held: Table[] = [];
        // A local batch's tables pass on while its fsync is in flight (encoding them overlaps the
        // disk); the next batch and the end of the stream wait until it is durable, so a failed
        // write still fails the query. A remote batch is sent before its tables pass on.
        async function* passOn(written: Promise<void>): AsyncGenerator<Table> {
          const out = held;
          held = [];
          if (remote !== undefined) {
            await written;
            yield* out;
            return;
          }
          written.catch(() => undefined);
          try {
            yield* out;
          } finally {
            await written;
          }
        }
        const write = async (): Promise<void> => {
          const points = batch.take();
          if (remote !== undefined) await remote.write(points);
          else if (points.length > 0) {
            const r = await env.storage.write(bucket!.id, points);
            if (r.rejected.length > 0) {
              throw new SluiceError(
                ErrorCode.Invalid,
                `failed to write points: partial write: ${r.rejected[0]!.reason} dropped=${r.rejected.length}`,
              );
            }
          }
        };
        for await (const t of input) {
          ctx.checkCanceled();
          await batch.addTable(t, options);
          held.push(t);
          if (batch.values >= BATCH_VALUES) yield* passOn(write());
        }
        yield* passOn(write());
        await remote?.flush();
      }),
    );
    return streamValue(tables);
  },
};
