import { streamOf, type TableStream } from '../flux/execute/table-stream.js';
import type { Table } from '../flux/execute/table.js';
import { Args, type ExecContext } from '../flux/interpreter/index.js';
import type { StreamValue, Value } from '../flux/values/value.js';
import { ErrorCode, isSluiceError } from '../core/errors.js';
import { HostError } from './host-error.js';
import type { QueryEnv } from './query-env.js';
import { ConstantColumns, seriesAggregateRow, seriesTable } from './series-table.js';
import type { ReadRequest } from '../storage/storage.js';
import type { ReadSpec } from './storage-stream.js';
import { coversType, valueSelector } from './value-filter.js';

/**
 * Runs a read spec against storage: raw series become tables with InfluxDB's schema; a pushed-down
 * aggregate's rows (one per window or per series) become tables that the aggregate's `finish`
 * shapes exactly as the plain implementation would.
 */
export async function* readSpecTables(env: QueryEnv, spec: ReadSpec, ctx: ExecContext): TableStream {
  const bounds = spec.bounds;
  if (bounds === undefined) {
    throw new HostError(
      ErrorCode.Invalid,
      `cannot submit unbounded read to "${spec.bucketName}"; try bounding 'from' with a call to 'range'`,
    );
  }
  const agg = spec.aggregate;
  const constants = new ConstantColumns();
  const calls = agg === undefined ? spec.valueFilters : undefined;
  // With an aggregate too: storage aggregates the values the filters keep (a type they do not
  // decide fails the read with "unsupported aggregate": the plain fallback below then runs).
  const filters = spec.valueFilters?.flatMap((c) => c.filters);
  // Every property present (undefined when unused), in one order: requests of every query shape
  // then share one hidden class, so the engine's optimised read loop does not deoptimise (and run
  // unoptimised until V8 compiles it again) when a query of another shape comes.
  const request: ReadRequest = {
    bucketId: spec.bucketId,
    startNs: bounds.startNs,
    stopNs: bounds.stopNs,
    predicate: spec.predicate,
    window: agg?.window === undefined ? undefined : { everyNs: agg.window.everyNs, offsetNs: agg.window.offsetNs },
    aggregate: agg?.aggregate,
    // Storage copies out only the values the filters keep, for the field types they cover.
    valueFilter: filters === undefined ? undefined : valueSelector(filters),
    signal: ctx.signal,
  };
  const batches = env.storage.read(request);
  if (agg === undefined) {
    for await (const read of batches) {
      ctx.checkCanceled();
      if (calls === undefined || filters === undefined) {
        if (read.timestampsNs.length > 0) yield seriesTable(read, bounds, read.timestampsNs, ctx.budget, constants);
        continue;
      }
      if (!coversType(read.type, filters)) {
        // Flux's own filters decide for a field type the typed comparison does not cover.
        let rows: TableStream = streamOf(read.timestampsNs.length === 0 ? [] : [seriesTable(read, bounds, read.timestampsNs, ctx.budget, constants)]);
        for (const c of calls) rows = await c.plain(rows);
        yield* rows;
        continue;
      }
      // Already filtered by storage (valueSelector covers this type).
      if (read.timestampsNs.length > 0) yield seriesTable(read, bounds, read.timestampsNs, ctx.budget, constants);
    }
    return;
  }
  const tables: Table[] = [];
  /** Tables already streamed out (direct), which the plain fallback must not repeat. */
  let yielded = 0;
  try {
    if (agg.direct !== undefined) {
      for await (const b of batches) {
        ctx.checkCanceled();
        if (b.timestampsNs.length === 0) continue;
        if (agg.direct === 'aggregateRow') yield seriesAggregateRow(b, bounds, ctx.budget, constants);
        else yield seriesTable(b, bounds, agg.direct === 'windowStop' ? b.windowStopsNs! : b.timestampsNs, ctx.budget, constants);
        yielded++;
      }
      return;
    }
    for await (const b of batches) {
      ctx.checkCanceled();
      const times = agg.window !== undefined ? b.windowStartsNs! : b.timestampsNs;
      if (times.length === 0) continue;
      tables.push(seriesTable(b, bounds, times, ctx.budget, constants));
    }
  } catch (e) {
    // Storage cannot aggregate this field type: let the plain implementation say why, in Flux's words.
    if (!(isSluiceError(e) && e.code === ErrorCode.Invalid && e.message.startsWith('unsupported aggregate'))) throw e;
    // The plain implementation gives one table per series in the same order, so the tables a
    // direct stream already gave (series of types storage could aggregate) are not given again.
    const { aggregate: _dropped, ...raw } = spec;
    let k = 0;
    for await (const t of await agg.plain(readSpecTables(env, raw, ctx))) if (k++ >= yielded) yield t;
    return;
  }
  yield* await agg.finish(streamOf(tables));
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
