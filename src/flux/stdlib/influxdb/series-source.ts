import { ExternalKey } from '../../interpreter/index.js';
import type { TableStream } from '../../execute/table-stream.js';

/**
 * The storage-facing contracts of the `influxdata/influxdb` package (from, to, buckets,
 * cardinality, wideTo, and through them the schema package). The Flux engine may not import
 * storage or meta (scripts/check-deps.mjs), so the query path (src/query) implements these
 * interfaces over `Storage` and the meta store and hands them to an execution as externals:
 *
 *   runProgram(src, { registry, externals: new Map([[SERIES_SOURCE, source], [POINT_SINK, sink]]) })
 *
 * Without them, the functions fail at call time with "<fn> is not available here: no <name> is
 * configured" — e.g. in `sluice flux run` over CSV data, where there is no server.
 *
 * Shapes are deliberately structural copies of the storage contract (SeriesBatch, Predicate,
 * FieldValue) so an implementation can pass storage objects through without conversion.
 */

/** Which bucket (by name or ID, exactly one) of which org; `host`/`token` name a remote server. */
export interface BucketRef {
  readonly bucket?: string;
  readonly bucketID?: string;
  readonly org?: string;
  readonly orgID?: string;
  /** A remote InfluxDB to read from / write to; undefined = this server. */
  readonly host?: string;
  readonly token?: string;
}

/** Which org's buckets (`buckets()`); all undefined = the org of the query's token. */
export type OrgRef = Omit<BucketRef, 'bucket' | 'bucketID'>;

/**
 * Series predicate pushed down from `filter()` — structurally storage's `Predicate`. `key` is a
 * tag key, `_measurement` or `_field`; a missing tag compares as "".
 */
export type SeriesPredicate =
  | { readonly kind: 'compare'; readonly key: string; readonly op: '==' | '!='; readonly value: string }
  | { readonly kind: 'regex'; readonly key: string; readonly op: '=~' | '!~'; readonly pattern: RegExp }
  | { readonly kind: 'and' | 'or'; readonly left: SeriesPredicate; readonly right: SeriesPredicate }
  | { readonly kind: 'not'; readonly operand: SeriesPredicate }
  | { readonly kind: 'true' };

/** Aggregates storage can compute per window (storage's `Aggregate`). */
export type PushedAggregate = 'count' | 'sum' | 'mean' | 'min' | 'max' | 'first' | 'last';

/**
 * One read: `from(bucket) |> range(start, stop)` plus whatever the planner could push down.
 * Range is half-open `[startNs, stopNs)`.
 */
export interface SeriesReadRequest {
  readonly bucket: BucketRef;
  readonly startNs: bigint;
  readonly stopNs: bigint;
  readonly predicate?: SeriesPredicate;
  /** `aggregateWindow(every, offset, fn)` push-down; requires `aggregate`. */
  readonly window?: { readonly everyNs: bigint; readonly offsetNs: bigint };
  readonly aggregate?: PushedAggregate;
  readonly signal?: AbortSignal;
}

/** A field's type in storage: 0 float, 1 integer, 2 unsigned, 3 string, 4 boolean (lineprotocol's FieldType). */
export type SeriesFieldType = 0 | 1 | 2 | 3 | 4;

/**
 * One series' points (or per-window aggregates), time-ordered — storage's `SeriesBatch`.
 * Values by type: Float64Array, BigInt64Array, BigUint64Array, string[], Uint8Array (0/1).
 * Window rows carry `windowStartsNs`/`windowStopsNs` (clipped to the range).
 */
export interface SeriesData {
  readonly measurement: string;
  /** Sorted by key. */
  readonly tags: readonly (readonly [key: string, value: string])[];
  readonly field: string;
  readonly type: SeriesFieldType;
  readonly timestampsNs: BigInt64Array;
  readonly values: Float64Array | BigInt64Array | BigUint64Array | string[] | Uint8Array;
  readonly windowStartsNs?: BigInt64Array;
  readonly windowStopsNs?: BigInt64Array;
}

export interface BucketInfo {
  readonly name: string;
  readonly id: string;
  readonly organizationID: string;
  /** "" when none (InfluxDB 2 has no retention policy names). */
  readonly retentionPolicy: string;
  /** Nanoseconds; 0 = infinite. */
  readonly retentionPeriodNs: bigint;
}

/** The read side: what `from`, `buckets` and `cardinality` need from a server. */
export interface SeriesSource {
  /**
   * Series of one bucket. Batches of the same series may come in several pieces (in time order);
   * the Flux side turns them into one table per series with Flux's from() schema:
   * `_start, _stop, _time, _value, _field, _measurement, <tags sorted>`, key = all but _time/_value.
   * Fails with a SluiceError `not found` for an unknown bucket or org.
   */
  read(request: SeriesReadRequest): AsyncIterable<SeriesData>;
  buckets(org: OrgRef): Promise<readonly BucketInfo[]>;
  /** Number of series matching the request (measurement + tag set + field). */
  cardinality(request: SeriesReadRequest): Promise<number>;
}

/** A point to write, as `to()`/`wideTo()` build them (lineprotocol's Point, unflattened). */
export interface SinkPoint {
  readonly measurement: string;
  /** Sorted by key, no empty values. */
  readonly tags: readonly (readonly [key: string, value: string])[];
  /** Field values: float `number`, integer/unsigned `bigint`, string, boolean. */
  readonly fields: readonly SinkField[];
  readonly timestampNs: bigint;
}

export interface SinkField {
  readonly key: string;
  readonly value: number | bigint | string | boolean;
  /** Needed to tell an unsigned from an integer bigint. */
  readonly type: SeriesFieldType;
}

/** The write side: where `to()` and `wideTo()` put points. */
export interface PointSink {
  /**
   * Writes points durably (resolves after storage acknowledges them). A write error (unknown
   * bucket, field type conflict) is thrown as a SluiceError and fails the query.
   */
  write(target: BucketRef, points: readonly SinkPoint[]): Promise<void>;
}

export const SERIES_SOURCE = new ExternalKey<SeriesSource>('series source (influxdb storage)');
export const POINT_SINK = new ExternalKey<PointSink>('point sink (influxdb storage)');

/**
 * A stream made by `from()`: reads when iterated, and carries its request so that the planner
 * (or range/filter/aggregateWindow, when they see a `SourceStream` as input) can narrow it with
 * `narrow()` instead of filtering tables afterwards. Narrowing returns a new stream; this one is
 * unchanged (Flux values are immutable).
 */
export interface SourceStream extends TableStream {
  readonly request: Omit<SeriesReadRequest, 'signal'>;
  /** Whether `range()` has bounded it (an unbounded read is an error, as in Flux). */
  readonly bounded: boolean;
  narrow(change: Partial<Omit<SeriesReadRequest, 'bucket' | 'signal'>>): SourceStream;
}

/** Whether a stream is a `from()` read that can still be narrowed (what range/filter check). */
export function isSourceStream(tables: TableStream): tables is SourceStream {
  return typeof (tables as Partial<SourceStream>).narrow === 'function' && (tables as Partial<SourceStream>).request !== undefined;
}
