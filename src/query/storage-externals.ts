import type { ExternalKey } from '../flux/interpreter/index.js';
import {
  POINT_SINK,
  SERIES_SOURCE,
  type BucketInfo,
  type OrgRef,
  type PointSink,
  type SeriesData,
  type SeriesReadRequest,
  type SeriesSource,
  type SinkPoint,
} from '../flux/stdlib/influxdb/series-source.js';
import { ErrorCode, SluiceError } from '../core/errors.js';
import { makeSeries } from '../lineprotocol/make-series.js';
import type { FieldType, Point } from '../lineprotocol/point.js';
import type { QueryEnv } from './query-env.js';
import { remoteCardinality } from './remote/remote-cardinality.js';
import { writeRemote } from './remote/remote-point-writer.js';
import { DEFAULT_REMOTE_OPTIONS, type RemoteOptions } from './remote/remote-options.js';
import { resolveBucket, resolveOrg } from './tenant-refs.js';

function local(ref: { host?: string | undefined }): void {
  if (ref.host !== undefined) throw new SluiceError(ErrorCode.Invalid, 'reading from or writing to a remote host is not supported');
}

/**
 * The standard library's `influxdata/influxdb` contracts (SERIES_SOURCE, POINT_SINK) over this
 * server's storage and metadata, with the caller's permissions. Our own `from`/`to`/`buckets`
 * replace the standard ones in server queries (they push down); these serve the rest of the
 * package (cardinality, wideTo, monitor, schema helpers) and any host that runs the standard
 * library alone, such as the task executor.
 */
export class StorageSeriesSource implements SeriesSource {
  constructor(
    private readonly env: QueryEnv,
    /** For `cardinality(host:)`: the execution's remote-host options (timeouts, address policy). */
    private readonly remote: RemoteOptions = DEFAULT_REMOTE_OPTIONS,
  ) {}

  async *read(request: SeriesReadRequest): AsyncIterable<SeriesData> {
    local(request.bucket);
    const bucket = resolveBucket(this.env, request.bucket, 'read');
    yield* this.env.storage.read({
      bucketId: bucket.id,
      startNs: request.startNs,
      stopNs: request.stopNs,
      ...(request.predicate === undefined ? {} : { predicate: request.predicate }),
      ...(request.window === undefined ? {} : { window: request.window }),
      ...(request.aggregate === undefined ? {} : { aggregate: request.aggregate }),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
  }

  async buckets(org: OrgRef): Promise<readonly BucketInfo[]> {
    local(org);
    const o = resolveOrg(this.env, org);
    return this.env.meta.buckets
      .list(o.id)
      .filter((b) => this.env.auth.allows('read', { type: 'buckets', orgID: b.orgID, id: b.id }))
      .map((b) => ({
        name: b.name,
        id: b.id,
        organizationID: b.orgID,
        retentionPolicy: b.rp ?? '',
        retentionPeriodNs: BigInt(b.retentionSeconds) * 1_000_000_000n,
      }));
  }

  async cardinality(request: SeriesReadRequest): Promise<number> {
    // influxdb.cardinality(host:): the remote counts (src/query/remote).
    const host = request.bucket.host;
    if (host !== undefined) return remoteCardinality({ ...request.bucket, host }, request, this.remote);
    const bucket = resolveBucket(this.env, request.bucket, 'read');
    return this.env.storage.cardinality({
      bucketId: bucket.id,
      startNs: request.startNs,
      stopNs: request.stopNs,
      ...(request.predicate === undefined ? {} : { predicate: request.predicate }),
    });
  }
}

export class StoragePointSink implements PointSink {
  constructor(
    private readonly env: QueryEnv,
    /** For `wideTo/experimental.to(host:)`: the execution's remote-host options (timeouts, address policy). */
    private readonly remote: RemoteOptions = DEFAULT_REMOTE_OPTIONS,
  ) {}

  async write(target: Parameters<PointSink['write']>[0], points: readonly SinkPoint[]): Promise<void> {
    // wideTo(host:) / experimental.to(host:): another server's bucket (src/query/remote).
    if (target.host !== undefined) return writeRemote({ ...target, host: target.host }, points.map(sinkPoint), this.remote);
    const bucket = resolveBucket(this.env, target, 'write');
    const converted: Point[] = points.map(sinkPoint);
    if (converted.length === 0) return;
    const r = await this.env.storage.write(bucket.id, converted);
    if (r.rejected.length > 0) {
      throw new SluiceError(ErrorCode.Invalid, `failed to write points: partial write: ${r.rejected[0]!.reason} dropped=${r.rejected.length}`);
    }
  }
}

function sinkPoint(p: SinkPoint): Point {
  return {
    series: makeSeries(p.measurement, p.tags),
    fields: { keys: p.fields.map((f) => f.key), types: p.fields.map((f) => f.type as FieldType) },
    values: p.fields.map((f) => f.value),
    timestampNs: p.timestampNs,
  };
}

/**
 * The externals a standard-library execution needs to read and write this server's storage
 * (and, with `host:`, other servers', with `remote`'s timeouts and address policy).
 */
export function storageExternals(env: QueryEnv, remote: RemoteOptions = DEFAULT_REMOTE_OPTIONS): Map<ExternalKey<unknown>, unknown> {
  return new Map<ExternalKey<unknown>, unknown>([
    [SERIES_SOURCE, new StorageSeriesSource(env, remote)],
    [POINT_SINK, new StoragePointSink(env, remote)],
  ]);
}
