import { collectTables, streamOf } from '../../execute/table-stream.js';
import { ColumnBuilder } from '../../execute/column-builder.js';
import { columnValue, isValid, type ColMeta, type ColumnData } from '../../execute/column.js';
import { GroupKey } from '../../execute/group-key.js';
import { KeyedTableBuilders } from '../../execute/keyed-table-builders.js';
import { partitionRows } from '../../execute/partition-rows.js';
import { Table } from '../../execute/table.js';
import { TableBuilder } from '../../execute/table-builder.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { isColumnType, type ColumnType } from '../../values/mono-type.js';
import { arrayValue, recordValue, stringValue, streamValue, type RecordValue, type Value } from '../../values/value.js';
import { diffStreams } from './diff-streams.js';
import { kaufmansAMA } from './kama.js';
import { unpivot } from './unpivot.js';

/** A column of `length` copies of `v` (a column-typed value or null). */
export function constantColumn(type: ColumnType, v: Value, length: number): ColumnData {
  const b = new ColumnBuilder(type);
  for (let i = 0; i < length; i++) b.pushValue(v);
  return b.finish(length);
}

/** The column type a value is stored as, or a CallError naming the column. */
export function columnTypeOf(label: string, v: Value): ColumnType {
  if (isColumnType(v.kind)) return v.kind;
  if (v.kind === 'null' && isColumnType(v.type.kind)) return v.type.kind;
  throw new CallError(`cannot store a value of kind ${v.kind} in column "${label}"`);
}

/** `experimental.group(mode: "extend", columns:)`: adds columns to every table's group key. */
const group: BuiltinSpec = {
  signature: '(<-tables: stream[A], mode: string, columns: [string]) => stream[A]',
  call(args) {
    const mode = args.string('mode');
    if (mode !== 'extend') throw new CallError(`unknown group mode "${mode}"`);
    const columns = args.strings('columns');
    const input = args.stream('tables');
    const budget = args.ctx.budget;
    return streamValue(
      args.output(async function* () {
        const builders = new KeyedTableBuilders(budget);
        for await (const t of input) {
          const labels = t.key.cols.map((c) => c.label);
          for (const c of columns) if (!labels.includes(c) && t.colIndex(c) >= 0) labels.push(c);
          for (const part of partitionRows(t, labels, budget)) builders.append(part);
        }
        yield* streamOf(builders.finish());
      }),
    );
  },
};

/** `experimental.objectKeys(o:)`: a record's labels, in record order. */
const objectKeys: BuiltinSpec = {
  signature: '(o: A) => [string]',
  call(args) {
    const o = args.record('o');
    return arrayValue([...o.fields.keys()].map(stringValue));
  },
};

/**
 * `experimental.set(o:)`: every row gets `o`'s fields as column values (existing columns are
 * replaced in place, new ones appended); key columns take the new value in the key too, and
 * tables whose keys become equal are merged.
 */
const set: BuiltinSpec = {
  signature: '(<-tables: stream[A], o: B) => stream[C]',
  call(args) {
    const o: RecordValue = args.record('o');
    const input = args.stream('tables');
    const budget = args.ctx.budget;
    const fields = [...o.fields].map(([label, v]) => ({ label, v, type: columnTypeOf(label, v) }));
    return streamValue(
      args.output(async function* () {
        const builders = new KeyedTableBuilders(budget);
        for await (const t of input) {
          const cols: ColMeta[] = [...t.cols];
          const columns: ColumnData[] = [...t.columns];
          for (const f of fields) {
            const col = constantColumn(f.type, f.v, t.length);
            const j = t.colIndex(f.label);
            if (j >= 0) {
              cols[j] = { label: f.label, type: f.type };
              columns[j] = col;
            } else {
              cols.push({ label: f.label, type: f.type });
              columns.push(col);
            }
          }
          const keyCols = t.key.cols.map((c) => cols.find((x) => x.label === c.label)!);
          const keyValues = t.key.cols.map((c, i) => fields.find((f) => f.label === c.label)?.v ?? t.key.values[i]!);
          builders.append(new Table(GroupKey.of(keyCols.map((c, i) => [c, keyValues[i]!] as const)), cols, columns, t.length));
        }
        yield* streamOf(builders.finish());
      }),
    );
  },
};

/** `experimental.chain(first:, second:)`: runs `first` to the end, then returns `second`. */
const chain: BuiltinSpec = {
  signature: '(first: stream[A], second: stream[B]) => stream[B]',
  call(args) {
    const first = args.stream('first');
    const second = args.stream('second');
    return streamValue(
      args.output(async function* () {
        for await (const _ of first) {
          // Only the side effects of `first` matter.
        }
        yield* second;
      }),
    );
  },
};

/**
 * `experimental.alignTime(alignTo:)`: shifts each table's times so its first row falls on
 * `alignTo` (keeps the offsets between rows): `_time = alignTo + (_time - firstTime)`.
 */
const alignTime: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?alignTo: time) => stream[A]',
  call(args) {
    const alignTo = args.has('alignTo') ? args.time('alignTo') : 0n;
    const input = args.stream('tables');
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          const j = t.colIndex('_time');
          if (j < 0 || t.length === 0) {
            yield t;
            continue;
          }
          const col = t.columns[j]!;
          if (col.type !== 'time') throw new CallError('column "_time" is not of type time');
          let first: bigint | undefined;
          const b = new ColumnBuilder('time');
          for (let i = 0; i < t.length; i++) {
            if (!isValid(col, i)) {
              b.pushNull();
              continue;
            }
            first ??= col.values[i]!;
            b.pushBigInt(alignTo + (col.values[i]! - first));
          }
          const columns = [...t.columns];
          columns[j] = b.finish(t.length);
          yield new Table(t.key, t.cols, columns, t.length);
        }
      }),
    );
  },
};

/**
 * `experimental.join(left:, right:, fn:)`: pairs tables with equal group keys, and within a
 * pair rows with equal `_time`; each pair of rows becomes `fn(left, right)`.
 */
const join: BuiltinSpec = {
  signature: '(left: stream[A], right: stream[B], fn: (left: A, right: B) => C) => stream[C]',
  call(args) {
    const left = args.stream('left');
    const right = args.stream('right');
    const fn = args.fn('fn');
    const budget = args.ctx.budget;
    return streamValue(
      args.output(async function* () {
        const [ls, rs] = await Promise.all([collectTables(left), collectTables(right)]);
        const byKey = new Map(rs.map((t) => [t.key.id, t]));
        for (const lt of ls) {
          const rt = byKey.get(lt.key.id);
          if (rt === undefined) continue;
          const lj = lt.colIndex('_time');
          const rj = rt.colIndex('_time');
          if (lj < 0 || rj < 0) throw new CallError('join: both tables need a _time column');
          const rightRows = new Map<bigint, number[]>();
          const rcol = rt.columns[rj]!;
          for (let i = 0; i < rt.length; i++) {
            if (!isValid(rcol, i)) continue;
            const k = rcol.values[i] as bigint;
            const list = rightRows.get(k);
            if (list === undefined) rightRows.set(k, [i]);
            else list.push(i);
          }
          const out = new TableBuilder(lt.key, budget);
          const lcol = lt.columns[lj]!;
          for (let i = 0; i < lt.length; i++) {
            if (!isValid(lcol, i)) continue;
            for (const r of rightRows.get(lcol.values[i] as bigint) ?? []) {
              let v = fn.call(new Map([['left', rowRecord(lt, i)], ['right', rowRecord(rt, r)]]));
              if (v instanceof Promise) v = await v;
              if (v.kind !== 'record') throw new CallError('join: fn must return a record');
              out.appendRecord(v);
            }
          }
          yield out.build();
        }
      }),
    );
  },
};

/** Row `i` of a table as a record (allocates; for calls into Flux functions). */
export function rowRecord(t: Table, i: number): RecordValue {
  return recordValue(t.cols.map((c, j) => [c.label, columnValue(t.columns[j]!, i)] as const));
}

/** `experimental.preview(nrows:, ntables:)`: at most `ntables` tables of at most `nrows` rows. */
const preview: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?nrows: int, ?ntables: int) => stream[A]',
  call(args) {
    const nrows = Number(args.intOr('nrows', 5n));
    const ntables = Number(args.intOr('ntables', 5n));
    const input = args.stream('tables');
    return streamValue(
      args.output(async function* () {
        let n = 0;
        for await (const t of input) {
          if (n++ >= ntables) break;
          if (t.length <= nrows) {
            yield t;
            continue;
          }
          const b = new TableBuilder(t.key);
          b.appendTable(t, Array.from({ length: nrows }, (_, i) => i));
          for (const c of t.cols) b.addColumn(c.label, c.type);
          yield b.build();
        }
      }),
    );
  },
};

const diff: BuiltinSpec = {
  signature: '(<-got: stream[A], want: stream[A]) => stream[{A with _diff: string}]',
  call(args) {
    const got = args.stream('got');
    const want = args.stream('want');
    return streamValue(
      args.output(async function* () {
        const [w, g] = await Promise.all([collectTables(want), collectTables(got)]);
        yield* streamOf(diffStreams(w, g));
      }),
    );
  },
};

// Flux-level definitions of ours, mostly the universe functions with the experimental package's
// fixed `_value` column.
const source = `
import "date"
import "influxdata/influxdb"

// The universe functions this package shadows, captured before the shadowing definitions.
_universeWindow = window
_universeCount = count
_universeSum = sum
_universeMean = mean
_universeMode = mode
_universeSkew = skew
_universeSpread = spread
_universeStddev = stddev
_universeDistinct = distinct
_universeUnique = unique
_universeFirst = first
_universeLast = last
_universeMax = max
_universeMin = min
_universeQuantile = quantile
_universeIntegral = integral
_universeHistogram = histogram
_universeHistogramQuantile = histogramQuantile
_universeFill = fill

to = influxdb.wideTo

addDuration = (d, to, location=location) => date.add(d: d, to: to, location: location)
subDuration = (d, from, location=location) => date.sub(d: d, from: from, location: location)

window = (tables=<-, every=0s, period=0s, offset=0s, location=location, createEmpty=false) =>
    tables
        |> _universeWindow(
            every: if every == 0s then period else every,
            period: if period == 0s then every else period,
            offset: offset,
            location: location,
            createEmpty: createEmpty,
        )

count = (tables=<-) => tables |> _universeCount()
sum = (tables=<-) => tables |> _universeSum()
mean = (tables=<-) => tables |> _universeMean()
mode = (tables=<-) => tables |> _universeMode()
skew = (tables=<-) => tables |> _universeSkew()
spread = (tables=<-) => tables |> _universeSpread()
stddev = (tables=<-, mode="sample") => tables |> _universeStddev(mode: mode)
distinct = (tables=<-) => tables |> _universeDistinct()
unique = (tables=<-) => tables |> _universeUnique()
first = (tables=<-) => tables |> _universeFirst()
last = (tables=<-) => tables |> _universeLast()
max = (tables=<-) => tables |> _universeMax()
min = (tables=<-) => tables |> _universeMin()
quantile = (tables=<-, q, method="estimate_tdigest", compression=1000.0) =>
    if method == "estimate_tdigest" then
        tables |> _universeQuantile(q: q, method: method, compression: compression)
    else
        tables |> _universeQuantile(q: q, method: method)
integral = (tables=<-, unit=1s, interpolate="") => tables |> _universeIntegral(unit: unit, interpolate: interpolate)
histogram = (tables=<-, bins, normalize=false) => tables |> _universeHistogram(bins: bins, normalize: normalize)
histogramQuantile = (tables=<-, quantile, minValue=0.0) =>
    tables |> _universeHistogramQuantile(quantile: quantile, minValue: minValue)
fill = (tables=<-, value=0, usePrevious=false) =>
    if usePrevious then tables |> _universeFill(usePrevious: true) else tables |> _universeFill(value: value)
`;

export const experimentalPackage: PackageDef = {
  path: 'experimental',
  builtins: { group, objectKeys, set, chain, alignTime, join, preview, diff, kaufmansAMA, unpivot },
  source,
};
