import type { ColMeta, ColumnData } from '../flux/execute/column.js';
import { GroupKey } from '../flux/execute/group-key.js';
import { Table } from '../flux/execute/table.js';
import type { BuiltinSpec } from '../flux/interpreter/index.js';
import { stringValue, streamValue } from '../flux/values/value.js';
import { ErrorCode } from '../core/errors.js';
import { HostError } from './host-error.js';
import { QUERY_ENV } from './query-env.js';
import { remoteBucketsTables } from './remote/remote-read.js';
import { remoteOrgOf } from './remote/remote-target.js';
import { resolveOrg, tenantRefOf } from './tenant-refs.js';

/**
 * `buckets()`: the buckets of the organization that the caller may read, one table grouped by
 * `organizationID` with columns `name, id, organizationID, retentionPolicy, retentionPeriod`
 * (nanoseconds; 0 = infinite). Grafana's health check runs it.
 */
export const buckets: BuiltinSpec = {
  signature:
    '(?org: string, ?orgID: string, ?host: string, ?token: string) => stream[{name: string, id: string, organizationID: string, retentionPolicy: string, retentionPeriod: int}]',
  call(args) {
    const env = args.ctx.requireExternal(QUERY_ENV, 'buckets');
    // With `host`, another server's buckets (src/query/remote); without it `token` is ignored, as in InfluxDB.
    if (args.has('host')) {
      const remote = remoteOrgOf(args);
      return streamValue(args.output(() => remoteBucketsTables(remote, args.ctx)));
    }
    const org = resolveOrg(env, tenantRefOf(args));
    return streamValue(
      args.output(async function* () {
        const list = env.meta.buckets.list(org.id).filter((b) => env.auth.allows('read', { type: 'buckets', orgID: b.orgID, id: b.id }));
        // InfluxDB answers an empty list with 404 (Grafana's health check shows this message).
        if (list.length === 0) throw new HostError(ErrorCode.NotFound, `no buckets found in organization ${org.id}`);
        const n = list.length;
        const cols: ColMeta[] = [
          { label: 'name', type: 'string' },
          { label: 'id', type: 'string' },
          { label: 'organizationID', type: 'string' },
          { label: 'retentionPolicy', type: 'string' },
          { label: 'retentionPeriod', type: 'int' },
        ];
        const columns: ColumnData[] = [
          { type: 'string', length: n, valid: null, values: list.map((b) => b.name) },
          { type: 'string', length: n, valid: null, values: list.map((b) => b.id) },
          { type: 'string', length: n, valid: null, values: list.map((b) => b.orgID) },
          { type: 'string', length: n, valid: null, values: list.map((b) => b.rp ?? '') },
          { type: 'int', length: n, valid: null, values: BigInt64Array.from(list.map((b) => BigInt(b.retentionSeconds) * 1_000_000_000n)) },
        ];
        yield new Table(new GroupKey([cols[2]!], [stringValue(org.id)]), cols, columns, n);
      }),
    );
  },
};
