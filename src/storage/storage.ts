import type { FieldType, FieldValue, Point, Tag } from '../lineprotocol/point.js';

/**
 * The storage engine's contract with the rest of Sluice. Everything above storage (query path,
 * HTTP, tasks) talks to this interface only; `Engine` (engine.ts) implements it.
 *
 * Times are nanoseconds since the epoch as `bigint`; ranges are half-open `[startNs, stopNs)`.
 */
export interface Storage {
  /** Creates or updates a bucket's storage settings. Idempotent. */
  ensureBucket(config: BucketStorageConfig): Promise<void>;
  /** Drops a bucket and all its data. */
  dropBucket(bucketId: string): Promise<void>;

  /**
   * Durably stores points. Resolves only after the WAL record holding them is fsynced. Points that
   * conflict (field type, retention, size limits) are dropped and reported; the rest are stored.
   */
  write(bucketId: string, points: readonly Point[]): Promise<WriteResult>;

  /** Deletes points in `[startNs, stopNs]` (inclusive, as InfluxDB's delete API) matching `predicate`. */
  delete(request: DeleteRequest): Promise<void>;

  /** Reads series batches. With `window`/`aggregate`, the aggregation is pushed down. */
  read(request: ReadRequest): AsyncIterable<SeriesBatch>;

  measurements(request: SchemaRequest): Promise<string[]>;
  tagKeys(request: SchemaRequest): Promise<string[]>;
  tagValues(request: SchemaRequest & { tagKey: string }): Promise<string[]>;
  fieldKeys(request: SchemaRequest): Promise<{ key: string; type: FieldType }[]>;
  /** Number of distinct series (measurement + tags + field) matching the request. */
  cardinality(request: SchemaRequest): Promise<number>;

  stats(): StorageStats;
  close(): Promise<void>;
}

export interface BucketStorageConfig {
  bucketId: string;
  /** 0 = keep forever. */
  retentionNs: bigint;
  /** 0 = derive as InfluxDB does (7d for infinite or ≥ 180d retention, 1d for ≥ 2d, else 1h). */
  shardGroupDurationNs: bigint;
}

export interface RejectedPoint {
  /** Index into the `points` array passed to `write`. */
  index: number;
  reason: string;
}

export interface WriteResult {
  /** Number of points stored. */
  accepted: number;
  /** Points dropped, each with InfluxDB's reason text. Empty when everything was stored. */
  rejected: RejectedPoint[];
  /** Field values stored (for metrics). */
  values: number;
}

/**
 * Series predicate. `key` is a tag key, or `_measurement` / `_field`. A missing tag compares as the
 * empty string (as in InfluxDB: `t != "x"` matches series without tag t).
 */
export type Predicate =
  | { readonly kind: 'compare'; readonly key: string; readonly op: '==' | '!='; readonly value: string }
  | { readonly kind: 'regex'; readonly key: string; readonly op: '=~' | '!~'; readonly pattern: RegExp }
  | { readonly kind: 'and' | 'or'; readonly left: Predicate; readonly right: Predicate }
  | { readonly kind: 'not'; readonly operand: Predicate }
  | { readonly kind: 'true' };

export interface DeleteRequest {
  bucketId: string;
  startNs: bigint;
  /** Inclusive. */
  stopNs: bigint;
  predicate?: Predicate;
}

export type Aggregate = 'count' | 'sum' | 'mean' | 'min' | 'max' | 'first' | 'last';

export interface ReadRequest {
  bucketId: string;
  startNs: bigint;
  /** Exclusive. */
  stopNs: bigint;
  predicate?: Predicate;
  /**
   * Window push-down: windows are `[t, t + periodNs)` (period defaults to every) for each `t` with
   * `(t - offsetNs) % everyNs == 0` (as Flux's window()), clipped to the read range: a point is in
   * every window holding it (none when it falls between windows shorter than every). Requires
   * `aggregate`.
   */
  window?: { everyNs: bigint; offsetNs: bigint; periodNs?: bigint | undefined };
  /**
   * Aggregate push-down. Without `window`, one row per series over the whole range. Windows (or
   * series) with no points are omitted.
   */
  aggregate?: Aggregate;
  /**
   * The points a series batch keeps, chosen from its values before anything is copied out of the
   * engine, so a selective filter (`r._value > 90.0`) copies only the points that pass and yields
   * no batch for a series none of whose points pass. With `aggregate`, the aggregate is of the
   * kept points only (again no batch for a series without any), and a series of a type the
   * selector does not decide (`select` returns -1) fails the read with `invalid` "unsupported
   * aggregate …", as an aggregate storage cannot compute does.
   */
  valueFilter?: ValueSelector;
  /** Abort reading early (client went away, query limit hit). */
  signal?: AbortSignal;
}

/**
 * Chooses points by value for `ReadRequest.valueFilter`. The engine calls `select` once per
 * column it is about to yield, synchronously.
 */
export interface ValueSelector {
  /**
   * Writes to `keep[0, m)` the ascending positions `i < values.length` of the values to keep and
   * returns `m`; or returns -1 to keep every value (a type the selector does not decide: the
   * batch is then yielded whole for the caller to filter). `keep` has room for `values.length`
   * positions; `values` is read-only and must not be kept after the call.
   */
  select(type: FieldType, values: ColumnValues, keep: Uint32Array): number;
  /**
   * Optional: false when no value of `type` in `[min, max]` can be kept, so a block chunk with
   * those stats need not be decoded (`min`/`max` skip NaN; both are NaN only when every value
   * is). Must be conservative: true whenever unsure (e.g. NaN passes `!=`), and false only for a
   * type `select` decides (never -1). The engine asks only where leaving the chunk's points out
   * (not decoding them, or not passing them to `select`) cannot change the result.
   */
  mayKeep?(type: FieldType, min: number | bigint, max: number | bigint): boolean;
}

export type ColumnValues = Float64Array | BigInt64Array | BigUint64Array | string[] | Uint8Array;

/**
 * One series' points in time order, or one series' aggregates. For raw reads `timestampsNs` holds
 * point times. For aggregate reads, each row is a window (or the whole range): `windowStartsNs` and
 * `windowStopsNs` are set (clipped to the range) and `timestampsNs` holds the selected point's time
 * for `first/last/min/max`, else the window stop.
 *
 * Value arrays by type: float → Float64Array, integer → BigInt64Array, unsigned → BigUint64Array,
 * string → string[], boolean → Uint8Array (0/1). `count` yields BigInt64Array; `mean` yields
 * Float64Array; `sum` keeps the field's numeric type.
 */
export interface SeriesBatch {
  readonly measurement: string;
  readonly tags: readonly Tag[];
  readonly field: string;
  readonly type: FieldType;
  readonly timestampsNs: BigInt64Array;
  readonly values: ColumnValues;
  readonly windowStartsNs?: BigInt64Array;
  readonly windowStopsNs?: BigInt64Array;
}

export interface SchemaRequest {
  bucketId: string;
  startNs: bigint;
  stopNs: bigint;
  predicate?: Predicate;
}

export interface StorageStats {
  series: number;
  blocks: number;
  walBytes: number;
  headPoints: number;
  diskBytes: number;
}

export type { FieldValue };
