import { durationFromNs, isZeroDuration } from '../../../../core/duration.js';
import { floorDiv } from '../../../../core/time.js';
import { isValid, type ColMeta, type ColumnData, type TimeColumn } from '../../../execute/column.js';
import { GroupKey } from '../../../execute/group-key.js';
import { Table } from '../../../execute/table.js';
import { sliceRows, takeRows } from '../../../execute/take-rows.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { timeValue, type Value } from '../../../values/value.js';
import { locationArg } from '../../timezone/location.js';
import { fillTimes } from './constant-column.js';
import { perTable } from './per-table.js';
import { queryBounds, type QueryBounds } from './query-bounds.js';
import { WindowSpec, type Bounds } from './window-bounds.js';

/**
 * The bounds windows are clipped to: the query's range (see query-bounds.ts); when that is
 * ambiguous, the table's own `_start`/`_stop` key values (what range put there), if any.
 */
function clipBounds(q: QueryBounds, t: Table, startCol: string, stopCol: string): Bounds | undefined {
  if (q.kind === 'bounded') return q.bounds;
  if (q.kind === 'unbounded') return undefined;
  const s = t.key.value(startCol);
  const e = t.key.value(stopCol);
  return s?.kind === 'time' && e?.kind === 'time' ? { start: s.value, stop: e.value } : undefined;
}

/**
 * `window(every:, period:, offset:, location:, ...)`: each row goes to every window containing
 * its time; each window is a table whose key adds `_start`/`_stop`, set to the window bounds
 * clipped to the query's range (see `clipBounds`). Missing start/stop columns are appended.
 * Windows follow the location's wall clock. With `createEmpty`, windows without rows inside the
 * range are emitted as empty tables. Rows with a null time are dropped.
 */
export const window: BuiltinSpec = {
  signature:
    '(<-tables: stream[A], ?every: duration, ?period: duration, ?offset: duration, ?location: {zone: string, offset: duration}, ?timeColumn: string, ?startColumn: string, ?stopColumn: string, ?createEmpty: bool) => stream[B]',
  call(args) {
    const zero = durationFromNs(0n);
    let every = args.optDuration('every') ?? zero;
    let period = args.optDuration('period') ?? zero;
    const offset = args.optDuration('offset') ?? zero;
    if (isZeroDuration(every) && isZeroDuration(period)) {
      throw new CallError('window function requires at least one of "every" or "period" to be set and non-zero');
    }
    if (isZeroDuration(every)) every = period;
    if (isZeroDuration(period)) period = every;
    if (every.months < 0 || every.nanoseconds < 0n || period.months < 0 || period.nanoseconds < 0n) {
      throw new CallError('window: every and period must be positive');
    }
    const location = locationArg(args);
    const loc = location.offset;
    // Windows are aligned in the location's time: a fixed offset moves every boundary back by it.
    const ns = offset.nanoseconds - loc.nanoseconds;
    const months = offset.months - loc.months;
    const zone = location.zone === 'UTC' ? undefined : location.zone;
    const spec = new WindowSpec(every, period, { months, nanoseconds: ns, negative: months < 0 || ns < 0n }, zone);
    const timeCol = args.stringOr('timeColumn', '_time');
    const startCol = args.stringOr('startColumn', '_start');
    const stopCol = args.stringOr('stopColumn', '_stop');
    const createEmpty = args.boolOr('createEmpty', false);
    const ctx = args.ctx;
    const windowOf = (t: Table): Table[] =>
      windowTable(t, spec, { timeCol, startCol, stopCol, createEmpty, bounds: clipBounds(queryBounds(ctx), t, startCol, stopCol) });
    return perTable(
      args,
      windowOf,
      args.stream(),
      // Output keys are the input key plus the window bounds: distinct across inputs unless an
      // input already had start/stop in its key (windowing windowed data), then merge.
      { mergeWhen: (t) => t.key.has(startCol) || t.key.has(stopCol) },
    );
  },
};

interface WindowColumns {
  readonly timeCol: string;
  readonly startCol: string;
  readonly stopCol: string;
  readonly createEmpty: boolean;
  /** Windows are clipped to these bounds (and createEmpty fills them), when given. */
  readonly bounds: Bounds | undefined;
}

/** One window and its rows: a list, or a contiguous range [from, to). */
interface WindowRows {
  readonly b: Bounds;
  readonly rows: number[] | { readonly from: number; readonly to: number };
}

/** The general case: every window holding each row (overlapping windows, months, zones). */
function windowRows(times: TimeColumn, spec: WindowSpec, limit: Bounds | undefined): WindowRows[] {
  const windows = new Map<bigint, { b: Bounds; rows: number[] }>();
  for (let i = 0; i < times.length; i++) {
    if (!isValid(times, i)) continue;
    for (const b of spec.containing(times.values[i]!, limit)) {
      let w = windows.get(b.start);
      if (w === undefined) windows.set(b.start, (w = { b, rows: [] }));
      w.rows.push(i);
    }
  }
  return [...windows.values()];
}

/**
 * The common case without per-row work: windows of fixed width (no months, UTC) over times in
 * ascending order. Each window's rows are then a contiguous run (shared with the input, no
 * copy), found by two pointers sweeping the times while the windows advance; windows without
 * rows are skipped by jumping to the first window of the next row. Returns undefined when the
 * case does not apply (months, a zone, unsorted times).
 */
function sortedRuns(values: BigInt64Array, spec: WindowSpec, limit: Bounds | undefined): WindowRows[] | undefined {
  const every = spec.every.nanoseconds;
  const period = spec.period.nanoseconds;
  if (spec.zone !== undefined || spec.every.months !== 0 || spec.period.months !== 0 || spec.offset.months !== 0) return undefined;
  if (every <= 0n || period <= 0n) return undefined;
  const n = values.length;
  for (let i = 1; i < n; i++) if (values[i]! < values[i - 1]!) return undefined;
  const out: WindowRows[] = [];
  if (n === 0) return out;
  const base = spec.offset.nanoseconds;
  const last = floorDiv(values[n - 1]! - base, every);
  let lo = 0;
  let hi = 0;
  for (let k = floorDiv(values[0]! - base - period, every) + 1n; k <= last; k++) {
    // The first window still holding row `lo` (its stop is after the row's time).
    const first = floorDiv(values[lo]! - base - period, every) + 1n;
    if (first > k) k = first;
    const start = base + k * every;
    const stop = start + period;
    while (lo < n && values[lo]! < start) lo++;
    if (lo === n) break;
    if (hi < lo) hi = lo;
    while (hi < n && values[hi]! < stop) hi++;
    if (hi === lo) continue;
    const b = limit === undefined ? { start, stop } : clipTo({ start, stop }, limit);
    if (b !== null) out.push({ b, rows: { from: lo, to: hi } });
  }
  return out;
}

function clipTo(b: Bounds, limit: Bounds): Bounds | null {
  const start = b.start > limit.start ? b.start : limit.start;
  const stop = b.stop < limit.stop ? b.stop : limit.stop;
  return start < stop ? { start, stop } : null;
}

export function windowTable(t: Table, spec: WindowSpec, o: WindowColumns): Table[] {
  const ti = t.colIndex(o.timeCol);
  if (ti < 0) throw new CallError(`missing time column "${o.timeCol}"`);
  const times = t.columns[ti]!;
  if (times.type !== 'time') throw new CallError(`time column "${o.timeCol}" is not of type time`);
  const limit = o.bounds;
  const windows = (times.valid === null ? sortedRuns(times.values, spec, limit) : undefined) ?? windowRows(times, spec, limit);
  if (o.createEmpty && limit !== undefined) {
    const have = new Set(windows.map((w) => w.b.start));
    for (const b of spec.within(limit)) if (!have.has(b.start)) windows.push({ b, rows: [] });
  }
  // Output schema: input columns, then missing start/stop; key in column order.
  const cols: ColMeta[] = [...t.cols];
  for (const l of [o.startCol, o.stopCol]) if (t.colIndex(l) < 0) cols.push({ label: l, type: 'time' });
  const keyCols = cols.filter((c) => t.key.has(c.label) || c.label === o.startCol || c.label === o.stopCol);
  const out: Table[] = [];
  const ordered = windows.sort((a, b) => (a.b.start < b.b.start ? -1 : a.b.start > b.b.start ? 1 : 0));
  // All windows' start/stop columns are views into two shared buffers (one allocation each).
  const size = (rows: WindowRows['rows']): number => (rows instanceof Array ? rows.length : rows.to - rows.from);
  const total = ordered.reduce((acc, w) => acc + size(w.rows), 0);
  const starts = new BigInt64Array(total);
  const stops = new BigInt64Array(total);
  let at = 0;
  for (const { b, rows } of ordered) {
    const part = rows instanceof Array ? takeRows(t, Int32Array.from(rows), rows.length) : sliceRows(t, rows.from, rows.to);
    const n = part.length;
    const begin = at;
    at += n;
    const constant = (v: bigint): ColumnData => fillTimes(v === b.start ? starts : stops, begin, n, v);
    const columns = cols.map((c, j) =>
      c.label === o.startCol ? constant(b.start) : c.label === o.stopCol ? constant(b.stop) : part.columns[j]!,
    );
    const keyValues: Value[] = keyCols.map((c) =>
      c.label === o.startCol ? timeValue(b.start) : c.label === o.stopCol ? timeValue(b.stop) : t.key.value(c.label)!,
    );
    out.push(new Table(new GroupKey(keyCols, keyValues), cols, columns, n));
  }
  return out;
}
