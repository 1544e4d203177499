import type { TableStream } from '../flux/execute/table-stream.js';
import type { StreamValue } from '../flux/values/value.js';
import type { Aggregate, Predicate } from '../storage/storage.js';
import type { RemoteTarget } from './remote/remote-target.js';
import type { ValueFilter } from './value-filter.js';

/**
 * What a storage-backed stream reads: `from()` sets the bucket, `range()` the bounds, pushed-down
 * `filter()`s the predicate (and-ed), a pushed-down aggregate (optionally windowed) the rest.
 * Immutable: every push-down makes a new spec.
 */
export interface ReadSpec {
  readonly bucketId: string;
  readonly bucketName: string;
  /** Set by `from(host:)`: the bucket is another server's (bucketId is then ''). */
  readonly remote?: RemoteTarget;
  /** Set by range(); a read without bounds is an error, as in InfluxDB. */
  readonly bounds?: { readonly startNs: bigint; readonly stopNs: bigint };
  readonly predicate?: Predicate;
  /**
   * Filter calls whose `r._value <op> literal` conjuncts are applied to the read's typed arrays
   * (value-filter.ts), in order. Nothing aggregates in storage after them.
   */
  readonly valueFilters?: readonly ValueFilterCall[];
  /**
   * A `window()` call over the read, waiting for the aggregate after it (count, sum, mean, min,
   * max, first, last), which then becomes a windowed storage aggregate. Anything else after it
   * reads raw and runs the window call itself (`plain`).
   */
  readonly window?: PendingWindow;
  /** Pushed-down aggregateWindow / bare aggregate; nothing can be pushed after it. */
  readonly aggregate?: PushedAggregate;
}

/** See `ReadSpec.window`. */
export interface PendingWindow {
  readonly everyNs: bigint;
  readonly offsetNs: bigint;
  /** Window width: every, or another width (overlapping windows, or gaps between them). */
  readonly periodNs: bigint;
  /** The window call over other rows (the raw read, or storage's one row per window). */
  readonly plain: (rows: TableStream) => Promise<TableStream>;
}

/**
 * A pushed-down aggregate. `fn` is the Flux function to apply to the per-window (or per-series)
 * storage rows to give them the exact shape the plain implementation gives: the same function
 * (one row per window is its own aggregate), or `sum` for `count`.
 */
export interface PushedAggregate {
  readonly aggregate: Aggregate;
  /** Windowed (aggregateWindow) with these parameters, or over the whole range (bare call). */
  readonly window?: { readonly everyNs: bigint; readonly offsetNs: bigint; readonly periodNs?: bigint };
  /** Shapes the storage rows (as raw-schema tables) into the plain implementation's output. */
  readonly finish: (rows: TableStream) => Promise<TableStream>;
  /**
   * Set when the storage rows, as raw-schema tables with `_time` taken from this source, already
   * are the plain output (a selector over one row per window or series; aggregateWindow without
   * empty windows; `aggregateRow`: a bare count/sum/mean, one row without `_time`): `finish` is skipped and the tables stream straight out, typed columns and all.
   */
  readonly direct?: 'windowStop' | 'pointTime' | 'aggregateRow';
  /**
   * `_time` of the windowed storage rows `finish` gets: the window start (default), or the
   * selected point's own time (`window() |> first()` keeps the row's time).
   */
  readonly rowTime?: 'windowStart' | 'point';
  /**
   * `window() |> agg`: the plain output is one table per series and window, in key order (window
   * merges by key), built straight from the storage rows: `row` for an aggregate (the key
   * columns then `_value`), `point` for a selector (the selected point's row). `finish` is skipped.
   */
  readonly perWindow?: 'row' | 'point';
  /**
   * The plain implementation over raw reads: used when storage refuses the aggregate for a
   * field type (`sum` of strings), so the error is the one Flux itself gives.
   */
  readonly plain: (raw: TableStream) => Promise<TableStream>;
}

/**
 * One pushed filter call's value conjuncts. Where they cover a batch's field type they are exact
 * (Flux's comparison rules); a batch of another type goes through `plain` — the call's own Flux
 * filter — so its results and errors are Flux's.
 */
export interface ValueFilterCall {
  readonly filters: readonly ValueFilter[];
  readonly plain: (rows: TableStream) => Promise<TableStream>;
}

/** A stream value that still knows how to read itself from storage (push-down possible). */
export interface StorageStreamValue extends StreamValue {
  readonly readSpec: ReadSpec;
}

export function isStorageStream(v: unknown): v is StorageStreamValue {
  return typeof v === 'object' && v !== null && (v as Partial<StorageStreamValue>).readSpec !== undefined;
}

/** `a and b`, with `true` as the identity. */
export function andPredicates(a: Predicate | undefined, b: Predicate): Predicate {
  return a === undefined || a.kind === 'true' ? b : { kind: 'and', left: a, right: b };
}
