/**
 * aggregateWindow: downsampling by fixed windows (Flux's `window |> fn |> fill empty |>
 * duplicate(timeSrc → timeDst) |> window(every: inf)`), computed per input table.
 *
 * Pipeline per table: `timeOrdered` (stable sort by _time when needed) → `tableWindows` (window
 * arithmetic of window-bounds.ts, clipped to the table's _start/_stop) → one reducer:
 * - `aggregateWindows`: a known aggregate builtin (count, sum, mean, ...), or one wrapped in a
 *   function of the column (`(column, tables=<-) => tables |> quantile(q: 0.99, column: column)`,
 *   window-fn.ts), reduces each window's row run with its kernel straight from the typed arrays
 *   (no per-window tables);
 * - `selectorWindows`: a known selector (first, last, min, max) picks one row per window;
 * - `functionWindows`: any other fn gets the window tables as a stream, as Flux defines it.
 *
 * Output (all paths): the input key with _start/_stop set to the range bounds; aggregates give
 * the surviving input columns (key columns, the value column, timeDst) in the input's order, as
 * InfluxDB's storage push-down does (`_start, _stop, _time, _value, _field, _measurement, …`);
 * selectors give the input's columns with timeDst holding the window time. Empty windows (createEmpty) give the kernel's empty value (count 0,
 * others null) or a row of nulls for selectors and functions.
 *
 * Push-down contract for the query path: `aggregateWindowOptions` + `windowReducer` describe a
 * call (`reducer.name` says which storage aggregate matches); a storage read producing per-window
 * values must use `computeWindows` for the bounds and yield what `aggregateWindows` /
 * `selectorWindows` yield, so both paths agree row for row.
 */
import { ColumnBuilder } from '../../../execute/column-builder.js';
import { regroupOf } from '../../../execute/group-tables.js';
import { isValid, nullColumn, type ColMeta, type ColumnData } from '../../../execute/column.js';
import { GroupKey } from '../../../execute/group-key.js';
import type { MemoryBudget } from '../../../execute/memory-budget.js';
import { Table } from '../../../execute/table.js';
import { TableBuilder } from '../../../execute/table-builder.js';
import { equalValues } from '../../../values/compare-values.js';
import { streamOf, type TableStream } from '../../../execute/table-stream.js';
import { sortOrder } from '../../../execute/sort-table.js';
import { sliceRows, takeRows } from '../../../execute/take-rows.js';
import { selectColumns } from '../../../execute/project-columns.js';
import { CallError, parseSignature, pipeParameter, type Args, type BuiltinSpec } from '../../../interpreter/index.js';
import { nullValue, stringValue, streamValue, timeValue, type FunctionValue, type Value } from '../../../values/value.js';
import { columnMonoType } from '../../../values/mono-type.js';
import type { AggregateKernel } from './aggregate-kernels.js';
import { aggregateColumn, constantColumn } from './aggregate-table.js';
import type { RowSelector } from './selectors.js';
import { wrappedAggregate } from './window-fn.js';
import { ZERO_DURATION, computeWindows, locationOffsetNs, windowSpec, type WindowSpec, type Windows } from './window-bounds.js';

/** The parameters of one aggregateWindow call, after validation. */
export interface AggregateWindowOptions {
  readonly spec: WindowSpec;
  readonly column: string;
  readonly timeSrc: string;
  readonly timeDst: string;
  readonly createEmpty: boolean;
}

/**
 * How each window is reduced: a known kernel or selector (fast path; `name` is the builtin's,
 * e.g. `mean`, which a storage push-down maps to its own window aggregate) or any Flux function.
 */
export type WindowReducer =
  | {
      readonly kind: 'aggregate';
      readonly name: string;
      readonly kernel: AggregateKernel;
      /**
       * Set for a known aggregate wrapped in a Flux function (`wrappedAggregate`): the columns come
       * in the order that function's output has (the key, the aggregated column, then timeDst),
       * not the builtin's. `name` is then empty: no storage aggregate matches it.
       */
      readonly wrapped?: true;
    }
  | { readonly kind: 'selector'; readonly name: string; readonly selector: RowSelector }
  | { readonly kind: 'function'; readonly fn: FunctionValue };

const TIME = '_time';
const START = '_start';
const STOP = '_stop';

/** The range a table was read over: its `_start`/`_stop` (key values, else first row). */
export function tableBounds(t: Table): { start: bigint; stop: bigint } | undefined {
  const read = (label: string): bigint | undefined => {
    const kv = t.key.value(label);
    if (kv !== undefined) return kv.kind === 'time' ? kv.value : undefined;
    const c = t.column(label);
    if (c === undefined || c.type !== 'time' || t.length === 0 || !isValid(c, 0)) return undefined;
    return c.values[0]!;
  };
  const start = read(START);
  const stop = read(STOP);
  return start === undefined || stop === undefined ? undefined : { start, stop };
}

/**
 * The rows of `t` in `_time` order (stable, radix-sorted), rows with a null time dropped; undefined
 * when `t` already is in that order without nulls (the common case: storage reads are).
 */
function timeRows(t: Table): Uint32Array | undefined {
  const j = t.colIndex(TIME);
  if (j < 0) throw new CallError(`missing time column "${TIME}"`);
  const col = t.columns[j]!;
  if (col.type !== 'time') throw new CallError(`time column "${TIME}" is not of type time`);
  const v = col.values;
  let sorted = col.valid === null;
  for (let i = 1; sorted && i < t.length; i++) if (v[i - 1]! > v[i]!) sorted = false;
  if (sorted) return undefined;
  // Nulls sort first, and are dropped.
  const perm = sortOrder(t, [TIME]) ?? Uint32Array.from({ length: t.length }, (_, i) => i);
  let nulls = 0;
  while (nulls < perm.length && !isValid(col, perm[nulls]!)) nulls++;
  return perm.subarray(nulls);
}

/** The table's rows ordered by `_time` (see `timeRows`); the table itself when already so. */
export function timeOrdered(t: Table, budget?: MemoryBudget): Table {
  const rows = timeRows(t);
  return rows === undefined ? t : takeRows(t, rows, rows.length, budget);
}

/** A table's time order for a selector: see `timeOrder`. */
export interface TimeOrder {
  /** The columns windows and the selector read, in time order, null times dropped. */
  readonly view: Table;
  /** Per row of `view`, the row of the table it is. */
  readonly rows: ArrayLike<number>;
}

/**
 * For a selector, whose output rows keep every column: the table's time order (as `timeOrdered`
 * makes it) as a narrow view (`_time`, `_start`, `_stop` and `column`) and, per view row, the
 * table row it is; undefined when the table already is in time order. The selected rows are then
 * gathered from the table itself, instead of every column being put in time order first (a
 * group of many series is not).
 */
export function timeOrder(t: Table, column: string, budget?: MemoryBudget): TimeOrder | undefined {
  const rows = timeRows(t);
  if (rows === undefined) return undefined;
  const narrow = selectColumns(t, (l) => l === TIME || l === START || l === STOP || l === column);
  return { view: takeRows(narrow, rows, rows.length, budget), rows };
}

/** Windows of one table, for the reducer and for a storage fast path alike. */
export function tableWindows(t: Table, spec: WindowSpec, createEmpty: boolean): Windows {
  const times = t.column(TIME)!.values as BigInt64Array;
  return computeWindows(spec, times, t.length, tableBounds(t), createEmpty);
}

/** Window times for `timeSrc`: the window starts or stops, or a constant key column. */
function windowTimes(t: Table, w: Windows, timeSrc: string): ColumnData {
  if (timeSrc === START || timeSrc === STOP) {
    const src = timeSrc === START ? w.starts : w.stops;
    return { type: 'time', length: w.count, valid: null, values: src.slice(0, w.count) };
  }
  const kv = t.key.value(timeSrc);
  if (kv === undefined) throw new CallError(`duplicate error: column "${timeSrc}" doesn't exist`);
  const c = t.key.cols[t.key.indexOf(timeSrc)]!;
  return constantColumn(c, kv, w.count);
}

/** Puts `col` under `label`: replaces a column of that name in place, else appends it. */
function setColumn(cols: ColMeta[], columns: ColumnData[], label: string, col: ColumnData): void {
  const at = cols.findIndex((c) => c.label === label);
  const meta = { label, type: col.type };
  if (at < 0) {
    cols.push(meta);
    columns.push(col);
  } else {
    cols[at] = meta;
    columns[at] = col;
  }
}

/**
 * The key of a table's output: its own key with `_start`/`_stop` set to its range bounds (added
 * in front when missing, as window() does), or unchanged when the table has no bounds.
 */
export function outputKey(t: Table): GroupKey {
  const b = tableBounds(t);
  return b === undefined ? t.key : boundsKey(t.key, b.start, b.stop);
}

/** aggregate fast path: the input's key columns, aggregated column and timeDst, in input order. */
export function aggregateWindows(t: Table, w: Windows, kernel: AggregateKernel, o: AggregateWindowOptions, budget?: MemoryBudget, wrapped = false): Table {
  const { j, outType } = aggregateColumn(t, o.column, kernel);
  const src = t.columns[j]!;
  const out = new ColumnBuilder(outType, budget, Math.max(w.count, 1));
  for (let k = 0; k < w.count; k++) kernel.reduce(src, w.from[k]!, w.to[k]!, out);
  const key = outputKey(t);
  const cols: ColMeta[] = [];
  const columns: ColumnData[] = [];
  const keyColumn = (c: ColMeta): void => {
    cols.push(c);
    columns.push(constantColumn(c, key.value(c.label)!, w.count, budget));
  };
  if (wrapped) {
    // What the function's output is: the aggregate's (the key, then the aggregated column), then
    // duplicate's timeDst.
    for (const c of key.cols) keyColumn(c);
    if (!key.has(o.column)) {
      cols.push({ label: o.column, type: outType });
      columns.push(out.finish(w.count));
    }
    setColumn(cols, columns, o.timeDst, windowTimes(t, w, o.timeSrc));
    return new Table(key, cols, columns, w.count);
  }
  // InfluxDB's order (what its storage push-down returns): the input's columns that survive, in
  // the input's order — `_start, _stop, _time, _value, _field, …` for a storage read — after any
  // bounds the input lacked; the aggregated column, then timeDst, at the end when not there.
  for (const c of key.cols) if (t.colIndex(c.label) < 0) keyColumn(c);
  for (const c of t.cols) {
    if (key.has(c.label)) keyColumn(key.cols[key.indexOf(c.label)]!);
    else if (c.label === o.column) {
      cols.push({ label: o.column, type: outType });
      columns.push(out.finish(w.count));
    } else if (c.label === o.timeDst) {
      cols.push(c);
      columns.push(nullColumn(c.type, 0));
    }
  }
  setColumn(cols, columns, o.timeDst, windowTimes(t, w, o.timeSrc));
  return new Table(key, cols, columns, w.count);
}

/**
 * selector fast path: the selected row of each window, whole; an empty window (createEmpty)
 * gives a row of nulls but for the key columns; timeDst holds the window time.
 */
export function selectorWindows(t: Table, w: Windows, selector: RowSelector, o: AggregateWindowOptions, budget?: MemoryBudget, order?: TimeOrder): Table {
  const read = order?.view ?? t;
  const vj = read.colIndex(o.column);
  if (vj < 0) throw new CallError(`no column "${o.column}" exists`);
  const vcol = read.columns[vj]!;
  selector.check(vcol);
  const rows = new Int32Array(w.count);
  let n = 0;
  const times = windowTimes(t, w, o.timeSrc);
  const keep = new Int32Array(w.count);
  for (let k = 0; k < w.count; k++) {
    const i = selector.select(vcol, w.from[k]!, w.to[k]!);
    if (i < 0 && !o.createEmpty) continue;
    rows[n] = i < 0 || order === undefined ? i : order.rows[i]!;
    keep[n++] = k;
  }
  const key = outputKey(t);
  const cols: ColMeta[] = [...t.cols];
  const columns: ColumnData[] = t.cols.map((c, j) => {
    const kv = key.value(c.label);
    if (kv !== undefined) return constantColumn(c, kv, n, budget);
    const b = new ColumnBuilder(c.type, budget, Math.max(n, 1));
    const src = t.columns[j]!;
    for (let r = 0; r < n; r++) {
      const i = rows[r]!;
      if (i < 0) b.pushNull();
      else b.pushCell(src, i);
    }
    return b.finish(n);
  });
  const tb = new ColumnBuilder(times.type, budget, Math.max(n, 1));
  for (let r = 0; r < n; r++) tb.pushCell(times, keep[r]!);
  setColumn(cols, columns, o.timeDst, tb.finish(n));
  return new Table(key, cols, columns, n);
}

/** A key with `_start`/`_stop` set to the given bounds (added at the front when missing). */
function boundsKey(key: GroupKey, start: bigint, stop: bigint): GroupKey {
  const cols: ColMeta[] = [];
  const values: Value[] = [];
  if (!key.has(START)) {
    cols.push({ label: START, type: 'time' });
    values.push(timeValue(start));
  }
  if (!key.has(STOP)) {
    cols.push({ label: STOP, type: 'time' });
    values.push(timeValue(stop));
  }
  key.cols.forEach((c, i) => {
    cols.push(c);
    values.push(c.label === START ? timeValue(start) : c.label === STOP ? timeValue(stop) : key.values[i]!);
  });
  return new GroupKey(cols, values);
}

/** `t` with `_start`/`_stop` (key and columns) set to constant bounds. */
function withBounds(t: Table, start: bigint, stop: bigint, budget?: MemoryBudget): Table {
  const key = boundsKey(t.key, start, stop);
  const cols: ColMeta[] = [];
  const columns: ColumnData[] = [];
  const constant = (label: string): ColumnData =>
    constantColumn({ label, type: 'time' }, timeValue(label === START ? start : stop), t.length, budget);
  for (const label of [START, STOP]) {
    if (t.colIndex(label) < 0) {
      cols.push({ label, type: 'time' });
      columns.push(constant(label));
    }
  }
  t.cols.forEach((c, j) => {
    cols.push(c);
    columns.push(c.label === START || c.label === STOP ? constant(c.label) : t.columns[j]!);
  });
  return new Table(key, cols, columns, t.length);
}

/** An empty table becomes one row: key values, nulls elsewhere (Flux's table.fill()). */
function fillEmpty(t: Table): Table {
  if (t.length > 0) return t;
  const columns = t.cols.map((c) => {
    const kv = t.key.value(c.label);
    return constantColumn(c, kv ?? nullValue(columnMonoType(c.type)), 1);
  });
  return new Table(t.key, t.cols, columns, 1);
}

/**
 * Generic path, as Flux defines aggregateWindow: window tables → fn(column:) → fill empty
 * tables (with createEmpty) → duplicate(timeSrc → timeDst) → back to the table's own range bounds, merged by key.
 */
export async function functionWindows(t: Table, w: Windows, fn: FunctionValue, o: AggregateWindowOptions, budget?: MemoryBudget): Promise<Table[]> {
  // Window tables are made as fn reads them, so only the tables in flight are alive.
  function* windowTables(): Generator<Table> {
    for (let k = 0; k < w.count; k++) yield withBounds(sliceRows(t, w.from[k]!, w.to[k]!), w.starts[k]!, w.stops[k]!, budget);
  }
  const pipe = pipeParameter(fn.type) ?? 'tables';
  const result = await fn.call(
    new Map<string, Value>([
      [pipe, streamValue(streamOf(windowTables()))],
      ['column', stringValue(o.column)],
    ]),
  );
  if (result.kind !== 'stream') throw new CallError(`aggregateWindow: fn must return a stream of tables, got ${result.kind}`);
  const bounds = tableBounds(t);
  // Outputs merge by their key with the window bounds replaced by the range bounds. Most fns
  // keep one key for all windows, so the last group is tried first with a cheap structural
  // comparison, before the id lookup (ids format every key value).
  const groups = new Map<string, { probe: GroupKey; builder: TableBuilder }>();
  let last: { probe: GroupKey; builder: TableBuilder } | undefined;
  for await (let out of result.tables) {
    if (o.createEmpty) out = fillEmpty(out);
    const sj = out.colIndex(o.timeSrc);
    if (sj < 0) throw new CallError(`duplicate error: column "${o.timeSrc}" doesn't exist`);
    const cols = [...out.cols];
    const columns = [...out.columns];
    setColumn(cols, columns, o.timeDst, out.columns[sj]!);
    let key = out.key;
    if (key.has(o.timeDst) && !key.has(o.timeSrc)) {
      const drop = key.indexOf(o.timeDst);
      key = new GroupKey(
        key.cols.filter((_, i) => i !== drop),
        key.values.filter((_, i) => i !== drop),
      );
    }
    let table = new Table(key, cols, columns, out.length);
    // Without range bounds (Flux would use the query's), the window bounds added for fn leave
    // again, so the output is keyed like the input, as the fast paths do.
    if (bounds === undefined) table = withoutBounds(table, t);
    key = table.key;
    let g = last !== undefined && sameKey(last.probe, key, bounds !== undefined) ? last : undefined;
    if (g === undefined) {
      const finalKey = bounds === undefined ? key : boundsKey(key, bounds.start, bounds.stop);
      g = groups.get(finalKey.id);
      if (g === undefined) {
        g = { probe: key, builder: new TableBuilder(finalKey, budget) };
        groups.set(finalKey.id, g);
      }
    }
    g.builder.appendTable(table);
    last = g;
  }
  const tables = [...groups.values()].map((g) => {
    const built = g.builder.build();
    return bounds === undefined ? built : withBounds(built, bounds.start, bounds.stop, budget);
  });
  return tables.sort((a, b) => a.key.compare(b.key));
}

/** `out` without the _start/_stop columns (and key columns) that `input` does not have. */
function withoutBounds(out: Table, input: Table): Table {
  const drop = (l: string): boolean => (l === START || l === STOP) && input.colIndex(l) < 0;
  if (!out.cols.some((c) => drop(c.label))) return out;
  const keep = out.key.cols.map((_, i) => i).filter((i) => !drop(out.key.cols[i]!.label));
  const key = new GroupKey(
    keep.map((i) => out.key.cols[i]!),
    keep.map((i) => out.key.values[i]!),
  );
  const js = out.cols.map((_, j) => j).filter((j) => !drop(out.cols[j]!.label));
  return new Table(
    key,
    js.map((j) => out.cols[j]!),
    js.map((j) => out.columns[j]!),
    out.length,
  );
}

/** Keys with the same columns in the same order and equal values (_start/_stop aside if asked). */
function sameKey(a: GroupKey, b: GroupKey, ignoreBounds: boolean): boolean {
  if (a === b) return true;
  if (a.cols.length !== b.cols.length) return false;
  for (let i = 0; i < a.cols.length; i++) {
    const ca = a.cols[i]!;
    const cb = b.cols[i]!;
    if (ca.label !== cb.label || ca.type !== cb.type) return false;
    if (ignoreBounds && (ca.label === START || ca.label === STOP)) continue;
    if (!equalValues(a.values[i]!, b.values[i]!)) return false;
  }
  return true;
}

/** Reads every/period/offset/location and the column options of a call. */
export function aggregateWindowOptions(args: Args): AggregateWindowOptions {
  let locOffset = 0n;
  const loc = args.get('location') ?? args.ctx.option('universe', 'location');
  if (loc !== undefined && loc.kind === 'record') {
    const zone = loc.fields.get('zone');
    const off = loc.fields.get('offset');
    locOffset = locationOffsetNs(
      zone?.kind === 'string' ? zone.value : 'UTC',
      off?.kind === 'duration' ? off.value : ZERO_DURATION,
    );
  }
  return {
    spec: windowSpec(args.duration('every'), args.optDuration('period'), args.optDuration('offset'), locOffset),
    column: args.stringOr('column', '_value'),
    timeSrc: args.stringOr('timeSrc', STOP),
    timeDst: args.stringOr('timeDst', TIME),
    createEmpty: args.boolOr('createEmpty', true),
  };
}

/** Builtins whose semantics aggregateWindow computes directly, by name. */
export interface FastReducers {
  readonly aggregates: ReadonlyMap<string, { spec: BuiltinSpec; kernel: AggregateKernel }>;
  readonly selectors: ReadonlyMap<string, { spec: BuiltinSpec; selector: RowSelector }>;
}

/**
 * The reducer for `fn`: a fast path when `fn` is one of our builtins (same name and the very
 * signature object the registry built it from — a user function named `mean` has another).
 */
export function windowReducer(fn: FunctionValue, fast: FastReducers): WindowReducer {
  const a = fast.aggregates.get(fn.name);
  if (a !== undefined && fn.type === parseSignature(a.spec.signature)) return { kind: 'aggregate', name: fn.name, kernel: a.kernel };
  const s = fast.selectors.get(fn.name);
  if (s !== undefined && fn.type === parseSignature(s.spec.signature)) return { kind: 'selector', name: fn.name, selector: s.selector };
  const wrapped = wrappedAggregate(fn, fast.aggregates);
  if (wrapped !== undefined) return { kind: 'aggregate', name: '', kernel: wrapped, wrapped: true };
  return { kind: 'function', fn };
}

/** aggregateWindow over a stream, one output table per input table (merged by key). */
export async function* aggregateWindowStream(
  input: TableStream,
  reducer: WindowReducer,
  o: AggregateWindowOptions,
  budget?: MemoryBudget,
): TableStream {
  for await (const raw of input) {
    // A selector reads the times and values in time order and gathers its rows from `raw`.
    const order = reducer.kind === 'selector' ? timeOrder(raw, o.column, budget) : undefined;
    const t = reducer.kind === 'selector' ? raw : timeOrdered(raw, budget);
    const w = tableWindows(order?.view ?? t, o.spec, o.createEmpty);
    // No window (an empty table without range bounds, or rows only in the gaps between short
    // periods): window() would emit no table, so neither does aggregateWindow.
    if (w.count === 0) continue;
    switch (reducer.kind) {
      case 'aggregate':
        yield aggregateWindows(t, w, reducer.kernel, o, budget, reducer.wrapped === true);
        break;
      case 'selector':
        yield selectorWindows(t, w, reducer.selector, o, budget, order);
        break;
      case 'function':
        yield* await functionWindows(t, w, reducer.fn, o, budget);
        break;
    }
  }
}

export function aggregateWindowBuiltin(fast: FastReducers): BuiltinSpec {
  return {
    signature:
      '(<-tables: stream[A], every: duration, ?period: duration, fn: (<-tables: stream[B], column: string) => stream[C], ?offset: duration, ?location: {zone: string, offset: duration}, ?column: string, ?timeSrc: string, ?timeDst: string, ?createEmpty: bool) => stream[D]',
    call(args) {
      const o = aggregateWindowOptions(args);
      const reducer = windowReducer(args.fn('fn'), fast);
      // After group(), an aggregate (not a selector, whose rows keep every column) reads only the
      // times, the window bounds, the value column and the time source: the groups are built
      // with just those.
      const regroup = reducer.kind === 'aggregate' ? regroupOf(args.get('tables')) : undefined;
      const input = regroup?.([TIME, START, STOP, o.column, o.timeSrc, o.timeDst]) ?? args.stream();
      const budget = args.ctx.budget;
      return streamValue(args.output(() => aggregateWindowStream(input, reducer, o, budget)));
    },
  };
}
