import { mapTables, type TableStream } from '../flux/execute/table-stream.js';
import { Table } from '../flux/execute/table.js';
import { Args, CallError, parseSignature, rowFunctionIR, type BuiltinSpec } from '../flux/interpreter/index.js';
import { boundNs } from '../flux/stdlib/universe/shape/range.js';
import { noteRangeBounds } from '../flux/stdlib/universe/shape/query-bounds.js';
import { boolValue, streamValue, type FunctionValue, type Value } from '../flux/values/value.js';
import type { Aggregate, Predicate } from '../storage/storage.js';
import { QUERY_ENV, type QueryEnv } from './query-env.js';
import { resolveBucket, tenantRefOf } from './tenant-refs.js';
import { standardBuiltin } from './standard-builtins.js';
import { conjuncts, narrowingPredicate, storagePredicate } from './storage-predicate.js';
import { callBuiltin, readSpecTables } from './storage-read.js';
import { remoteReadTables } from './remote/remote-read.js';
import { bucketLabel, remoteTargetOf } from './remote/remote-target.js';
import { valueFilterOf, type ValueFilter } from './value-filter.js';
import { andPredicates, isStorageStream, type PushedAggregate, type ReadSpec, type StorageStreamValue, type ValueFilterCall } from './storage-stream.js';

/**
 * `from()` and the push-down layer over universe's `range`, `filter`, `aggregateWindow` and the
 * aggregates storage computes (`count/sum/mean/min/max/first/last`). Each wrapper checks whether
 * its input is still a storage read it can extend; if so it returns a new storage stream with
 * the extended read spec, else it runs the standard implementation unchanged.
 */

const FROM_SIGNATURE =
  '(?bucket: string, ?bucketID: string, ?org: string, ?orgID: string, ?host: string, ?token: string) => stream[{B with _measurement: string, _field: string, _time: time, _value: A}]';

export const from: BuiltinSpec = {
  signature: FROM_SIGNATURE,
  call(args) {
    const env = args.ctx.requireExternal(QUERY_ENV, 'from');
    // With `host`, another server's bucket (src/query/remote); without it `token` is ignored, as in InfluxDB.
    if (args.has('host')) {
      const remote = remoteTargetOf(args);
      return storageStream(args, env, { bucketId: '', bucketName: bucketLabel(remote), remote });
    }
    const bucket = resolveBucket(env, tenantRefOf(args), 'read');
    return storageStream(args, env, { bucketId: bucket.id, bucketName: bucket.name });
  },
};

function storageStream(args: Args, env: QueryEnv, pushed: ReadSpec): StorageStreamValue {
  const ctx = args.ctx;
  const spec = sameShape(pushed);
  const remote = spec.remote;
  const read = remote === undefined ? () => readSpecTables(env, spec, ctx) : () => remoteReadTables(remote, spec, ctx);
  return { ...streamValue(args.output(read)), readSpec: spec };
}

/**
 * `spec` with every property present (undefined when unset) in one order. Push-downs build specs
 * by spreading, so each query shape had its own hidden class, and readSpecTables (one loop per
 * read) was deoptimised whenever a query of another shape came after V8 had optimised it.
 */
function sameShape(spec: ReadSpec): ReadSpec {
  return {
    bucketId: spec.bucketId,
    bucketName: spec.bucketName,
    remote: spec.remote,
    bounds: spec.bounds,
    predicate: spec.predicate,
    valueFilters: spec.valueFilters,
    window: spec.window,
    aggregate: spec.aggregate,
  };
}

/** The storage stream piped into this call, when push-down applies to it. */
function storageInput(args: Args): { env: QueryEnv; spec: ReadSpec } | undefined {
  const v = args.get('tables');
  if (!isStorageStream(v)) return undefined;
  const env = args.ctx.external(QUERY_ENV);
  if (env === undefined) return undefined;
  return { env, spec: v.readSpec };
}

const std = {
  range: standardBuiltin('range'),
  filter: standardBuiltin('filter'),
  aggregateWindow: standardBuiltin('aggregateWindow'),
  window: standardBuiltin('window'),
};

export const range: BuiltinSpec = {
  signature: std.range.signature,
  call(args) {
    const input = storageInput(args);
    if (input === undefined || input.spec.bounds !== undefined) return std.range.call(args);
    const startNs = boundNs(args, 'start', args.value('start'));
    const stopArg = args.get('stop');
    const stopNs = stopArg === undefined || stopArg.kind === 'null' ? args.ctx.now() : boundNs(args, 'stop', stopArg);
    noteRangeBounds(args.ctx, { start: startNs, stop: stopNs });
    return storageStream(args, input.env, { ...input.spec, bounds: { startNs, stopNs } });
  },
};

export const filter: BuiltinSpec = {
  signature: std.filter.signature,
  call(args) {
    const input = storageInput(args);
    const onEmpty = args.optString('onEmpty');
    if (
      input === undefined ||
      input.env.pushDown === false ||
      input.spec.aggregate !== undefined ||
      input.spec.window !== undefined ||
      (onEmpty !== undefined && onEmpty !== 'drop')
    ) {
      return std.filter.call(args);
    }
    const ir = rowFunctionIR(args.fn('fn'));
    if (ir === undefined || ir.kind !== 'expr') return std.filter.call(args);
    let pushed: Predicate | undefined;
    let rest = false;
    const values: ValueFilter[] = [];
    for (const c of conjuncts(ir.expr)) {
      const p = storagePredicate(c);
      if (p !== undefined) {
        pushed = andPredicates(pushed, p);
        continue;
      }
      const v = valueFilterOf(c);
      if (v !== undefined) values.push(v);
      else {
        rest = true;
        // Not decidable per series, but it may still rule series out (a tag's string test).
        const narrowing = narrowingPredicate(c);
        if (narrowing !== undefined) pushed = andPredicates(pushed, narrowing);
      }
    }
    if (pushed === undefined && values.length === 0) return std.filter.call(args);
    // A remote read applies the value conjuncts on the remote, in Flux (remote-read-query.ts), with
    // Flux's own semantics for every type: exactly as the whole filter here would, so nothing runs
    // here again unless the function has other conjuncts (then it all does).
    const ctx = args.ctx;
    const loc = args.loc;
    const call: ValueFilterCall = {
      filters: values,
      plain: (rows) => callBuiltin(std.filter, 'filter', withTables(args.map, rows), ctx, loc),
    };
    const narrowed = storageStream(args, input.env, {
      ...input.spec,
      ...(pushed === undefined ? {} : { predicate: andPredicates(input.spec.predicate, pushed) }),
      ...(values.length === 0 ? {} : { valueFilters: [...(input.spec.valueFilters ?? []), call] }),
    });
    if (!rest) return narrowed;
    // Storage narrows the series (and pre-filters values); the whole function still decides row by row.
    const map = new Map(args.map);
    map.set('tables', narrowed);
    return std.filter.call(new Args(args.fnName, map, args.ctx, args.loc));
  },
};

const PUSHABLE: readonly Aggregate[] = ['count', 'sum', 'mean', 'min', 'max', 'first', 'last'];

/** A bare aggregate or selector: pushed down as one row per series, else the standard one. */
function aggregateBuiltin(name: Aggregate): BuiltinSpec {
  const plain = standardBuiltin(name);
  return {
    signature: plain.signature,
    call(args) {
      const input = storageInput(args);
      const column = args.optString('column');
      if (
        input === undefined ||
        input.env.pushDown === false ||
        input.spec.aggregate !== undefined ||
        input.spec.bounds === undefined ||
        (column !== undefined && column !== '_value')
      ) {
        return plain.call(args);
      }
      // Per series storage gives one row holding the aggregate; the plain function over that
      // row gives the plain output's shape (a count is summed, the rest are their own result).
      const shaper = name === 'count' ? standardBuiltin('sum') : plain;
      const shaperName = name === 'count' ? 'sum' : name;
      const ctx = args.ctx;
      const loc = args.loc;
      const selector = name === 'first' || name === 'last' || name === 'min' || name === 'max';
      const window = input.spec.window;
      if (window !== undefined) {
        // window() |> agg: one storage row per series and window, made straight into the plain
        // output's tables (one per series and window, in key order: `perWindow`). `finish` (the
        // window call and the aggregate over those rows, timed at the window start or at the
        // selected point) describes the same output.
        const windowed: PushedAggregate = {
          aggregate: name,
          window: { everyNs: window.everyNs, offsetNs: window.offsetNs, periodNs: window.periodNs },
          rowTime: selector ? 'point' : 'windowStart',
          perWindow: selector ? 'point' : 'row',
          finish: async (rows) => callBuiltin(shaper, shaperName, new Map([['tables', streamValue(await window.plain(rows))]]), ctx, loc),
          plain: async (raw) => callBuiltin(plain, name, withTables(args.map, await window.plain(raw)), ctx, loc),
        };
        return storageStream(args, input.env, { ...input.spec, window: undefined, aggregate: windowed });
      }
      const aggregate: PushedAggregate = {
        aggregate: name,
        // One storage row per series is the plain output: whole for a selector, without `_time` for the rest.
        direct: selector ? ('pointTime' as const) : ('aggregateRow' as const),
        finish: (rows) => callBuiltin(shaper, shaperName, new Map([['tables', streamValue(rows)]]), ctx, loc),
        plain: (raw) => callBuiltin(plain, name, withTables(args.map, raw), ctx, loc),
      };
      return storageStream(args, input.env, { ...input.spec, aggregate });
    },
  };
}

export const aggregateBuiltins: Record<string, BuiltinSpec> = Object.fromEntries(PUSHABLE.map((n) => [n, aggregateBuiltin(n)]));

/** Whether `fn` is universe's own `name` (ours or the standard one: same signature object). */
function knownAggregate(fn: FunctionValue): Aggregate | undefined {
  const name = fn.name as Aggregate;
  if (!PUSHABLE.includes(name)) return undefined;
  return fn.type === parseSignature(standardBuiltin(name).signature) ? name : undefined;
}

export const aggregateWindow: BuiltinSpec = {
  signature: std.aggregateWindow.signature,
  call(args) {
    const input = storageInput(args);
    const window = input === undefined ? undefined : pushableWindow(args);
    const fnName = window === undefined ? undefined : knownAggregate(args.fn('fn'));
    if (
      input === undefined ||
      window === undefined ||
      fnName === undefined ||
      input.env.pushDown === false ||
      input.spec.aggregate !== undefined ||
      input.spec.window !== undefined ||
      input.spec.bounds === undefined
    ) {
      return std.aggregateWindow.call(args);
    }
    const ctx = args.ctx;
    const loc = args.loc;
    const isCount = fnName === 'count';
    const universeFn = (n: string): Value => {
      const v = ctx.universe.scope.lookup(n);
      if (v === undefined) throw new CallError(`universe has no ${n}`);
      return v;
    };
    // One storage row per window, timed at the window start: the plain aggregateWindow over
    // those rows reproduces the plain output (empty windows included). Counts are summed, and an
    // empty window's count is 0, not null.
    const aggregate: PushedAggregate = {
      aggregate: fnName,
      window: { everyNs: window.everyNs, offsetNs: window.offsetNs },
      // Without empty windows, one storage row per window timed at its stop is the plain output.
      ...(window.createEmpty ? {} : { direct: 'windowStop' as const }),
      finish: async (rows) => {
        const out = await callBuiltin(
          std.aggregateWindow,
          'aggregateWindow',
          new Map<string, Value>([
            ['tables', streamValue(rows)],
            ['every', args.value('every')],
            ['fn', isCount ? universeFn('sum') : args.value('fn')],
            ...(args.has('offset') ? [['offset', args.value('offset')] as [string, Value]] : []),
            ['createEmpty', boolValue(window.createEmpty)],
          ]),
          ctx,
          loc,
        );
        return isCount && window.createEmpty ? mapTables(out, zeroNullCounts) : out;
      },
      plain: (raw) => callBuiltin(std.aggregateWindow, 'aggregateWindow', withTables(args.map, raw), ctx, loc),
    };
    return storageStream(args, input.env, { ...input.spec, aggregate });
  },
};

/**
 * `window()` over a storage read: remembered in the read spec (`ReadSpec.window`) when storage can
 * compute its windows, so that an aggregate after it is pushed down as a windowed aggregate.
 */
export const window: BuiltinSpec = {
  signature: std.window.signature,
  call(args) {
    const input = storageInput(args);
    const w = input?.spec.bounds === undefined ? undefined : pushableWindowCall(args, input.spec.bounds);
    if (
      input === undefined ||
      w === undefined ||
      input.env.pushDown === false ||
      input.spec.remote !== undefined ||
      input.spec.aggregate !== undefined ||
      input.spec.window !== undefined ||
      input.spec.bounds === undefined
    ) {
      return std.window.call(args);
    }
    const ctx = args.ctx;
    const loc = args.loc;
    return storageStream(args, input.env, {
      ...input.spec,
      window: { ...w, plain: (rows) => callBuiltin(std.window, 'window', withTables(args.map, rows), ctx, loc) },
    });
  },
};

/** The most windows of a storage read a point may fall in (period / every); storage's own limit. */
const MAX_WINDOWS_PER_POINT = 1000n;

/**
 * Every/offset/period in nanoseconds when a window() call uses nothing storage windows cannot do.
 * A period other than every is storage's too, unless it is longer than the range: then windows
 * clipped to the range can coincide, and window() merges those into one table.
 */
function pushableWindowCall(args: Args, bounds: { readonly startNs: bigint; readonly stopNs: bigint }): { everyNs: bigint; offsetNs: bigint; periodNs: bigint } | undefined {
  if (args.boolOr('createEmpty', false)) return undefined;
  const columns = [['timeColumn', '_time'], ['startColumn', '_start'], ['stopColumn', '_stop']] as const;
  const w = fixedUtcWindow(args, columns, true);
  if (w === undefined) return undefined;
  if (w.periodNs !== w.everyNs && w.periodNs > bounds.stopNs - bounds.startNs) return undefined;
  // Storage computes every window holding a point, in one synchronous pass per series: a point in
  // millions of windows (every: 1ns, period: 1h) is left to Flux, whose windows count against the
  // query's memory limit and whose table stream can be cancelled.
  if (w.periodNs > w.everyNs * MAX_WINDOWS_PER_POINT) return undefined;
  return w;
}

/**
 * Every/offset/period in nanoseconds when a call's windows are ones storage computes (a fixed
 * width, the period equal to it unless `anyPeriod`, UTC, no months) and its column arguments are
 * the defaults given.
 */
function fixedUtcWindow(
  args: Args,
  columns: readonly (readonly [string, string])[],
  anyPeriod = false,
): { everyNs: bigint; offsetNs: bigint; periodNs: bigint } | undefined {
  const every = args.optDuration('every');
  const period = args.optDuration('period');
  const offset = args.optDuration('offset') ?? { months: 0, nanoseconds: 0n };
  if (every === undefined || every.months !== 0 || every.nanoseconds <= 0n || offset.months !== 0) return undefined;
  if (period !== undefined && (period.months !== 0 || period.nanoseconds <= 0n)) return undefined;
  if (period !== undefined && !anyPeriod && period.nanoseconds !== every.nanoseconds) return undefined;
  for (const [name, dflt] of columns) {
    const v = args.optString(name);
    if (v !== undefined && v !== dflt) return undefined;
  }
  if (!utcLocation(args)) return undefined;
  return { everyNs: every.nanoseconds, offsetNs: offset.nanoseconds, periodNs: period?.nanoseconds ?? every.nanoseconds };
}

/** Whether a window's location (the call's, else the `location` option) is UTC without offset. */
function utcLocation(args: Args): boolean {
  const loc = args.get('location') ?? args.ctx.option('universe', 'location');
  if (loc !== undefined && loc.kind === 'record') {
    const zone = loc.fields.get('zone');
    const off = loc.fields.get('offset');
    if (zone?.kind === 'string' && zone.value !== 'UTC') return false;
    if (off?.kind === 'duration' && (off.value.months !== 0 || off.value.nanoseconds !== 0n)) return false;
  }
  return true;
}

/** A call's arguments with another piped-in stream. */
function withTables(map: ReadonlyMap<string, Value>, tables: TableStream): Map<string, Value> {
  const m = new Map(map);
  m.set('tables', streamValue(tables));
  return m;
}

/** Every/offset in nanoseconds when an aggregateWindow call uses nothing storage windows cannot do. */
function pushableWindow(args: Args): { everyNs: bigint; offsetNs: bigint; createEmpty: boolean } | undefined {
  const w = fixedUtcWindow(args, [['column', '_value'], ['timeSrc', '_stop'], ['timeDst', '_time']]);
  return w === undefined ? undefined : { ...w, createEmpty: args.boolOr('createEmpty', true) };
}

/** A windowed count's empty windows: 0 rather than the null a sum gives. */
function zeroNullCounts(t: Table): Table {
  const j = t.colIndex('_value');
  const c = j < 0 ? undefined : t.columns[j];
  if (c === undefined || c.type !== 'int' || c.valid === null) return t;
  const columns = [...t.columns];
  columns[j] = { type: 'int', length: c.length, valid: null, values: c.values };
  return new Table(t.key, t.cols, columns, t.length);
}
