import { CallError, type BuiltinSpec, type PackageDef } from '../../../interpreter/index.js';
import {
  countKernel,
  meanKernel,
  skewKernel,
  spreadKernel,
  stddevKernel,
  sumKernel,
  type AggregateKernel,
} from './aggregate-kernels.js';
import { simpleAggregate } from './aggregate-table.js';
import { aggregateWindowBuiltin, type FastReducers } from './aggregate-window.js';
import { covariance } from './covariance.js';
import { distinct, mode, unique } from './distinct-values.js';
import { histogram, histogramQuantile } from './histogram.js';
import { integral } from './integral.js';
import { median, medianKernel, quantile } from './quantile.js';
import { bottom, sample, top } from './sample.js';
import { firstSelector, lastSelector, maxSelector, minSelector, selectorBuiltin, type RowSelector } from './selectors.js';

const AGG_SIGNATURE = '(<-tables: stream[A], ?column: string) => stream[B]';

function plain(kernel: AggregateKernel): { spec: BuiltinSpec; kernel: AggregateKernel } {
  return { spec: simpleAggregate(AGG_SIGNATURE, () => kernel), kernel };
}

const aggregates = new Map<string, { spec: BuiltinSpec; kernel: AggregateKernel }>([
  ['count', plain(countKernel)],
  ['sum', plain(sumKernel)],
  ['mean', plain(meanKernel)],
  ['spread', plain(spreadKernel)],
  ['skew', plain(skewKernel)],
  ['median', { spec: median, kernel: medianKernel }],
]);

const selectors = new Map<string, { spec: BuiltinSpec; selector: RowSelector }>(
  (
    [
      ['first', firstSelector],
      ['last', lastSelector],
      ['min', minSelector],
      ['max', maxSelector],
    ] as const
  ).map(([name, selector]) => [name, { spec: selectorBuiltin(selector), selector }]),
);

const fast: FastReducers = { aggregates, selectors };

const stddev = simpleAggregate('(<-tables: stream[A], ?column: string, ?mode: string) => stream[B]', (args) => {
  const mode = args.stringOr('mode', 'sample');
  if (mode !== 'sample' && mode !== 'population') throw new CallError(`"${mode}" is not a valid standard deviation mode`);
  return stddevKernel(mode);
});

const builtins: Record<string, BuiltinSpec> = {
  ...Object.fromEntries([...aggregates].map(([name, a]) => [name, a.spec])),
  ...Object.fromEntries([...selectors].map(([name, s]) => [name, s.spec])),
  stddev,
  quantile,
  distinct,
  unique,
  mode,
  sample,
  top,
  bottom,
  integral,
  covariance,
  histogram,
  histogramQuantile,
  aggregateWindow: aggregateWindowBuiltin(fast),
};

/** Functions of universe defined in Flux in terms of the builtins above (our own definitions). */
const source = `
// The n series (grouped by groupColumns) whose reduced value is highest/lowest, as one table.
_rankSeries = (n, reducer, pick, column="_value", groupColumns=[], tables=<-) =>
    tables
        |> group(columns: groupColumns)
        |> reducer()
        |> group(columns: [])
        |> pick(n: n, columns: [column])

highestMax = (n, column="_value", groupColumns=[], tables=<-) =>
    tables |> _rankSeries(n: n, column: column, groupColumns: groupColumns, pick: top, reducer: (tables=<-) => tables |> max(column: column))
highestAverage = (n, column="_value", groupColumns=[], tables=<-) =>
    tables |> _rankSeries(n: n, column: column, groupColumns: groupColumns, pick: top, reducer: (tables=<-) => tables |> mean(column: column))
highestCurrent = (n, column="_value", groupColumns=[], tables=<-) =>
    tables |> _rankSeries(n: n, column: column, groupColumns: groupColumns, pick: top, reducer: (tables=<-) => tables |> last(column: column))
lowestMin = (n, column="_value", groupColumns=[], tables=<-) =>
    tables |> _rankSeries(n: n, column: column, groupColumns: groupColumns, pick: bottom, reducer: (tables=<-) => tables |> min(column: column))
lowestAverage = (n, column="_value", groupColumns=[], tables=<-) =>
    tables |> _rankSeries(n: n, column: column, groupColumns: groupColumns, pick: bottom, reducer: (tables=<-) => tables |> mean(column: column))
lowestCurrent = (n, column="_value", groupColumns=[], tables=<-) =>
    tables |> _rankSeries(n: n, column: column, groupColumns: groupColumns, pick: bottom, reducer: (tables=<-) => tables |> last(column: column))

// Time-weighted average: the linearly interpolated integral over [_start, _stop) divided by the
// range's length in units.
timeWeightedAvg = (unit, tables=<-) =>
    tables
        |> integral(unit: unit, interpolate: "linear")
        |> map(fn: (r) => ({r with _value: r._value * float(v: uint(v: unit)) / float(v: int(v: r._stop) - int(v: r._start))}))

cov = (x, y, on, pearsonr=false) =>
    join(tables: {x: x, y: y}, on: on) |> covariance(pearsonr: pearsonr, columns: ["_value_x", "_value_y"])

pearsonr = (x, y, on) => cov(x: x, y: y, on: on, pearsonr: true)
`;

/**
 * The aggregates and selectors of universe, and aggregateWindow. Module map:
 * - aggregate-kernels.ts: column reducers (count, sum, mean, spread, stddev, skew, quantile) over a
 *   run of rows; aggregate-table.ts applies one per table (key columns + the value column).
 * - selectors.ts: first/last/min/max row selectors; quantile.ts: quantile/median (t-digest in
 *   tdigest.ts, exact_mean, exact_selector).
 * - window-bounds.ts + aggregate-window.ts: aggregateWindow (see its header for the push-down
 *   contract).
 * - distinct-values.ts (distinct, unique, mode), sample.ts (sample, top, bottom), integral.ts,
 *   covariance.ts, histogram.ts (histogram, histogramQuantile); the Flux source below defines
 *   highestMax/Average/Current, lowestMin/Average/Current, timeWeightedAvg, cov and pearsonr on top of them.
 */
export const universeAggregates: PackageDef[] = [{ path: 'universe', builtins, source }];
