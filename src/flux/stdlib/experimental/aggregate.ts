import type { PackageDef } from '../../interpreter/index.js';

/**
 * experimental/aggregate.rate: the non-negative per-`unit` rate of change, averaged per series
 * and window, then summed over the series of `groupColumns` in each window. Our own Flux over
 * universe derivative/aggregateWindow.
 */
const source = `
import "experimental"

_meanThenSum = (groupColumns) => (tables=<-, column) =>
    tables
        |> mean(column: column)
        |> group(columns: groupColumns)
        |> experimental.group(mode: "extend", columns: ["_start", "_stop"])
        |> sum()

rate = (tables=<-, every, groupColumns=[], unit=1s) =>
    tables
        |> derivative(unit: unit, nonNegative: true)
        |> aggregateWindow(every: every, fn: _meanThenSum(groupColumns: groupColumns))
`;

export const experimentalAggregate: PackageDef = { path: 'experimental/aggregate', source };
