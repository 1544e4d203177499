import type { PackageDef } from '../../../interpreter/index.js';
import { runningBuiltins } from './running.js';
import { stateTrackingBuiltins } from './state-tracking.js';

// Functions defined in terms of the builtins above (our own definitions).
const source = `
increase = (tables=<-, columns=["_value"]) =>
    tables
        |> difference(nonNegative: true, columns: columns, keepFirst: true, initialZero: true)
        |> cumulativeSum(columns: columns)

stateCount = (fn, column="stateCount", tables=<-) => tables |> stateTracking(countColumn: column, fn: fn)

stateDuration = (fn, column="stateDuration", timeColumn="_time", unit=1s, tables=<-) =>
    tables |> stateTracking(durationColumn: column, timeColumn: timeColumn, fn: fn, durationUnit: unit)
`;

/** The time-series transformations of universe (derivative, moving averages, states, ...). */
export const universeTransforms: PackageDef[] = [
  { path: 'universe', builtins: { ...runningBuiltins, ...stateTrackingBuiltins }, source },
];
