import type { PackageDef } from '../../interpreter/index.js';

/**
 * experimental/oee: Overall Equipment Effectiveness from production events (machine states) and
 * part events (cumulative part and bad-part counters), in our own Flux:
 * availability = running time / planned time, performance = parts · ideal cycle time / running
 * time, quality = good parts / parts, oee = their product.
 */
const source = `
import "contrib/tomhollingworth/events"
import "experimental"

_partsIn = (events, column) =>
    events
        |> difference(columns: [column], nonNegative: true)
        |> sum(column: column)
        |> duplicate(column: "_stop", as: "_time")

computeAPQ = (productionEvents, partEvents, runningState, plannedTime, idealCycleTime) => {
    running =
        productionEvents
            |> events.duration(unit: 1ns, columnName: "runTime")
            |> filter(fn: (r) => r.state == runningState)
            |> sum(column: "runTime")
            |> map(fn: (r) => ({r with _time: r._stop, availability: float(v: r.runTime) / float(v: int(v: plannedTime))}))
    parts = _partsIn(events: partEvents, column: "partCount")
    bad = _partsIn(events: partEvents, column: "badCount")
    performance =
        experimental.join(
            left: running,
            right: parts,
            fn: (left, right) =>
                ({left with performance: float(v: right.partCount) * float(v: int(v: idealCycleTime)) / float(v: left.runTime)}),
        )
    quality =
        experimental.join(
            left: bad,
            right: parts,
            fn: (left, right) =>
                ({left with quality: (float(v: right.partCount) - float(v: left.badCount)) / float(v: right.partCount)}),
        )

    return
        experimental.join(
            left: performance,
            right: quality,
            fn: (left, right) =>
                ({left with quality: right.quality, oee: left.availability * left.performance * right.quality}),
        )
}

APQ = (tables=<-, runningState, plannedTime, idealCycleTime) =>
    computeAPQ(
        productionEvents: tables,
        partEvents: tables,
        runningState: runningState,
        plannedTime: plannedTime,
        idealCycleTime: idealCycleTime,
    )
`;

export const experimentalOee: PackageDef = { path: 'experimental/oee', source };
