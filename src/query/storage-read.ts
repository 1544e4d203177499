import { streamOf, type TableStream } from '../flux/execute/table-stream.js';
import type { Table } from '../flux/execute/table.js';
import { Args, type ExecContext } from '../flux/interpreter/index.js';
import type { StreamValue, Value } from '../flux/values/value.js';
import { ErrorCode, isSluiceError } from '../core/errors.js';
import { HostError } from './host-error.js';
import type { QueryEnv } from './query-env.js';
import { ConstantColumns, seriesAggregateRow, seriesTable } from './series-table.js';
import type { ReadRequest, SeriesBatch } from '../storage/storage.js';
import type { PushedAggregate, ReadSpec } from './storage-stream.js';
import { coversType, valueSelector } from './value-filter.js';

type ReadBounds = NonNullable<ReadSpec['bounds']>;

/**
 * Runs a read spec against storage: raw series become tables with InfluxDB's schema; a pushed-down
 * aggregate's rows (one per window or per series) become tables that the aggregate's `finish`
 * shapes exactly as the plain implementation would. Nothing runs until the stream is read.
 *
 * Each batch read passes a checkpoint (ExecContext.checkpoint): cancellation is checked, after
 * letting the event loop run when the query has worked a while without: a query reading from
 * memory runs in microtasks only, where neither its time limit nor its client going away could
 * be seen.
 *
 * One small async generator per shape of read rather than one for all: V8 compiles an async
 * generator with every live register saved and restored at each await and yield, so a single
 * generator with all the loops took TurboFan 30-60 ms to compile (on a background thread, but
 * on a two-core machine beside the query and its client), during a fresh server's first answers.
 */
export function readSpecTables(env: QueryEnv, spec: ReadSpec, ctx: ExecContext): TableStream {
  const agg = spec.aggregate;
  if (agg === undefined) return spec.window === undefined ? rawTables(env, spec, ctx) : windowedRaw(env, spec, spec.window, ctx);
  if (agg.perWindow !== undefined) return windowTables(env, spec, agg, agg.perWindow, ctx);
  if (agg.direct !== undefined) return directTables(env, spec, agg, agg.direct, ctx);
  return finishedTables(env, spec, agg, ctx);
}

/** The bounds of a read, which Flux requires (`range`). */
function boundsOf(spec: ReadSpec): ReadBounds {
  const bounds = spec.bounds;
  if (bounds === undefined) {
    throw new HostError(
      ErrorCode.Invalid,
      `cannot submit unbounded read to "${spec.bucketName}"; try bounding 'from' with a call to 'range'`,
    );
  }
  return bounds;
}

/** The storage request of a read spec. */
function requestOf(spec: ReadSpec, bounds: ReadBounds, ctx: ExecContext): ReadRequest {
  const agg = spec.aggregate;
  // With an aggregate too: storage aggregates the values the filters keep (a type they do not
  // decide fails the read with "unsupported aggregate": the plain fallback then runs).
  const filters = spec.valueFilters?.flatMap((c) => c.filters);
  // Every property present (undefined when unused), in one order: requests of every query shape
  // then share one hidden class, so the engine's optimised read loop does not deoptimise (and run
  // unoptimised until V8 compiles it again) when a query of another shape comes.
  return {
    bucketId: spec.bucketId,
    startNs: bounds.startNs,
    stopNs: bounds.stopNs,
    predicate: spec.predicate,
    window: agg?.window === undefined ? undefined : { everyNs: agg.window.everyNs, offsetNs: agg.window.offsetNs, periodNs: agg.window.periodNs ?? agg.window.everyNs },
    aggregate: agg?.aggregate,
    // Storage copies out only the values the filters keep, for the field types they cover.
    valueFilter: filters === undefined ? undefined : valueSelector(filters),
    signal: ctx.signal,
  };
}

/** Raw series, through the spec's value filters (storage applies those it covers). */
async function* rawTables(env: QueryEnv, spec: ReadSpec, ctx: ExecContext): TableStream {
  const bounds = boundsOf(spec);
  const request = requestOf(spec, bounds, ctx);
  const constants = new ConstantColumns();
  const calls = spec.valueFilters;
  const filters = calls?.flatMap((c) => c.filters);
  for await (const read of env.storage.read(request)) {
    const pause = ctx.checkpoint();
    if (pause !== undefined) await pause;
    if (calls !== undefined && filters !== undefined && !coversType(read.type, filters)) {
      // Flux's own filters decide for a field type the typed comparison does not cover.
      yield* plainFiltered(read, bounds, calls, ctx, constants);
      continue;
    }
    // Unfiltered, or already filtered by storage (valueSelector covers this type).
    if (read.timestampsNs.length > 0) yield seriesTable(read, bounds, read.timestampsNs, ctx.budget, constants);
  }
}

/** A `window()` nothing was pushed into: the raw read through the window call itself. */
async function* windowedRaw(env: QueryEnv, spec: ReadSpec, window: NonNullable<ReadSpec['window']>, ctx: ExecContext): TableStream {
  yield* await window.plain(rawTables(env, spec, ctx));
}

/** One series through Flux's own filter calls. */
async function* plainFiltered(
  read: SeriesBatch,
  bounds: ReadBounds,
  calls: NonNullable<ReadSpec['valueFilters']>,
  ctx: ExecContext,
  constants: ConstantColumns,
): TableStream {
  let rows: TableStream = streamOf(read.timestampsNs.length === 0 ? [] : [seriesTable(read, bounds, read.timestampsNs, ctx.budget, constants)]);
  for (const c of calls) rows = await c.plain(rows);
  yield* rows;
}

/** A pushed-down aggregate whose storage rows are the tables as they are (`direct`). */
async function* directTables(env: QueryEnv, spec: ReadSpec, agg: PushedAggregate, direct: NonNullable<PushedAggregate['direct']>, ctx: ExecContext): TableStream {
  const bounds = boundsOf(spec);
  const request = requestOf(spec, bounds, ctx);
  const constants = new ConstantColumns();
  /** Tables already streamed out, which the plain fallback must not repeat. */
  let yielded = 0;
  try {
    for await (const b of env.storage.read(request)) {
      const pause = ctx.checkpoint();
      if (pause !== undefined) await pause;
      if (b.timestampsNs.length === 0) continue;
      yield directTable(b, bounds, direct, ctx, constants);
      yielded++;
    }
  } catch (e) {
    rethrowUnlessUnsupported(e);
    yield* plainAggregate(env, spec, agg, ctx, yielded);
  }
}

function directTable(b: SeriesBatch, bounds: ReadBounds, direct: NonNullable<PushedAggregate['direct']>, ctx: ExecContext, constants: ConstantColumns): Table {
  if (direct === 'aggregateRow') return seriesAggregateRow(b, bounds, ctx.budget, constants);
  return seriesTable(b, bounds, direct === 'windowStop' ? b.windowStopsNs! : b.timestampsNs, ctx.budget, constants);
}

/**
 * `window() |> agg` pushed down: a table per series and window (its bounds the window's), one row
 * each, sorted by key as window's output is. Blocking, as the window call is over storage tables.
 */
async function* windowTables(env: QueryEnv, spec: ReadSpec, agg: PushedAggregate, shape: 'row' | 'point', ctx: ExecContext): TableStream {
  const bounds = boundsOf(spec);
  const request = requestOf(spec, bounds, ctx);
  const constants = new ConstantColumns();
  const tables: Table[] = [];
  try {
    for await (const b of env.storage.read(request)) {
      const pause = ctx.checkpoint();
      if (pause !== undefined) await pause;
      const starts = b.windowStartsNs!;
      const stops = b.windowStopsNs!;
      for (let k = 0; k < starts.length; k++) {
        const window = { startNs: starts[k]!, stopNs: stops[k]! };
        // The batch with its one row for this window (same shape as storage's batches).
        const one: SeriesBatch = { ...b, timestampsNs: b.timestampsNs.subarray(k, k + 1), values: rowOf(b.values, k) };
        tables.push(shape === 'row' ? seriesAggregateRow(one, window, ctx.budget, constants) : seriesTable(one, window, one.timestampsNs, ctx.budget, constants));
      }
    }
  } catch (e) {
    rethrowUnlessUnsupported(e);
    yield* plainAggregate(env, spec, agg, ctx, 0);
    return;
  }
  yield* tables.sort((a, b) => a.key.compare(b.key));
}

/** Row `k` of a storage value array, as a one-element array of the same kind. */
function rowOf(values: SeriesBatch['values'], k: number): SeriesBatch['values'] {
  return Array.isArray(values) ? values.slice(k, k + 1) : values.subarray(k, k + 1);
}

/** A pushed-down aggregate whose storage rows the aggregate's `finish` shapes. */
async function* finishedTables(env: QueryEnv, spec: ReadSpec, agg: PushedAggregate, ctx: ExecContext): TableStream {
  const bounds = boundsOf(spec);
  const request = requestOf(spec, bounds, ctx);
  const constants = new ConstantColumns();
  const tables: Table[] = [];
  try {
    for await (const b of env.storage.read(request)) {
      const pause = ctx.checkpoint();
      if (pause !== undefined) await pause;
      const times = agg.window !== undefined && agg.rowTime !== 'point' ? b.windowStartsNs! : b.timestampsNs;
      if (times.length === 0) continue;
      tables.push(seriesTable(b, bounds, times, ctx.budget, constants));
    }
  } catch (e) {
    rethrowUnlessUnsupported(e);
    yield* plainAggregate(env, spec, agg, ctx, 0);
    return;
  }
  yield* await agg.finish(streamOf(tables));
}

/** Storage cannot aggregate this field type: then the plain implementation says why, in Flux's words. */
function rethrowUnlessUnsupported(e: unknown): void {
  if (!(isSluiceError(e) && e.code === ErrorCode.Invalid && e.message.startsWith('unsupported aggregate'))) throw e;
}

/**
 * The plain implementation of a read's aggregate over the raw read. It gives one table per
 * series in the same order, so the first `skip` tables (those a direct stream already gave, of
 * series whose type storage could aggregate) are not given again.
 */
async function* plainAggregate(env: QueryEnv, spec: ReadSpec, agg: PushedAggregate, ctx: ExecContext, skip: number): TableStream {
  const { aggregate: _dropped, ...raw } = spec;
  let k = 0;
  for await (const t of await agg.plain(rawTables(env, raw, ctx))) if (k++ >= skip) yield t;
}

/** Calls a builtin implementation with named arguments (the piped stream under `tables`). */
export async function callBuiltin(
  spec: { call(args: Args): Value | Promise<Value> },
  name: string,
  args: ReadonlyMap<string, Value>,
  ctx: ExecContext,
  loc: Args['loc'],
): Promise<TableStream> {
  const v = await spec.call(new Args(name, args, ctx, loc));
  return (v as StreamValue).tables;
}
