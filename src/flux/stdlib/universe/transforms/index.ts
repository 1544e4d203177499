import type { PackageDef } from '../../../interpreter/index.js';
import { runningBuiltins } from './running.js';
import { stateTrackingBuiltins } from './state-tracking.js';
import { momentumBuiltins } from './momentum.js';
import { movingAverageBuiltins } from './moving-average.js';
import { tripleExponentialDerivativeBuiltins } from './triple-exponential-derivative.js';
import { holtWintersBuiltins } from './holt-winters.js';

// Functions defined in terms of the builtins above (our own definitions).
const source = `
increase = (tables=<-, columns=["_value"]) =>
    tables
        |> difference(nonNegative: true, columns: columns, keepFirst: true, initialZero: true)
        |> cumulativeSum(columns: columns)

stateCount = (fn, column="stateCount", tables=<-) => tables |> stateTracking(countColumn: column, fn: fn)

stateDuration = (fn, column="stateDuration", timeColumn="_time", unit=1s, tables=<-) =>
    tables |> stateTracking(durationColumn: column, timeColumn: timeColumn, fn: fn, durationUnit: unit)

// Means of the windows of length period that start every every, each stamped with its stop.
timedMovingAverage = (every, period, column="_value", tables=<-) =>
    tables
        |> window(every: every, period: period)
        |> mean(column: column)
        |> duplicate(column: "_stop", as: "_time")
        |> window(every: inf)

// DEMA = 2·EMA - EMA(EMA).
doubleEMA = (n, tables=<-) =>
    tables
        |> exponentialMovingAverage(n: n)
        |> duplicate(column: "_value", as: "__dema_first")
        |> exponentialMovingAverage(n: n)
        |> map(fn: (r) => ({r with _value: 2.0 * r.__dema_first - r._value}))
        |> drop(columns: ["__dema_first"])

// TEMA = 3·EMA - 3·EMA(EMA) + EMA(EMA(EMA)).
tripleEMA = (n, tables=<-) =>
    tables
        |> exponentialMovingAverage(n: n)
        |> duplicate(column: "_value", as: "__tema_first")
        |> exponentialMovingAverage(n: n)
        |> duplicate(column: "_value", as: "__tema_second")
        |> exponentialMovingAverage(n: n)
        |> map(fn: (r) => ({r with _value: 3.0 * r.__tema_first - 3.0 * r.__tema_second + r._value}))
        |> drop(columns: ["__tema_first", "__tema_second"])

// Kaufman's efficiency ratio: |CMO| / 100.
kaufmansER = (n, tables=<-) =>
    tables
        |> chandeMomentumOscillator(n: n)
        |> map(fn: (r) => ({r with _value: (if r._value < 0.0 then -r._value else r._value) / 100.0}))
`;

/** The time-series transformations of universe (derivative, moving averages, states, ...). */
export const universeTransforms: PackageDef[] = [
  {
    path: 'universe',
    builtins: {
      ...runningBuiltins,
      ...stateTrackingBuiltins,
      ...movingAverageBuiltins,
      ...momentumBuiltins,
      ...tripleExponentialDerivativeBuiltins,
      ...holtWintersBuiltins,
    },
    source,
  },
];
