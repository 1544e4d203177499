// Our own Flux tests of grouping, aggregates and selectors: which columns survive, how group
// keys split tables, and row order after sort and limit.
package aggregate_test

import "array"
import "testing"

data =
    array.from(
        rows: [
            {_time: 2024-01-01T00:00:00Z, host: "a", _value: 1.0},
            {_time: 2024-01-01T00:01:00Z, host: "b", _value: 2.5},
            {_time: 2024-01-01T00:02:00Z, host: "a", _value: -4.0},
            {_time: 2024-01-01T00:03:00Z, host: "b", _value: 0.5},
        ],
    )

testcase sum_per_group_keeps_key_and_value {
    got = data |> group(columns: ["host"]) |> sum()
    want = array.from(rows: [{host: "a", _value: -3.0}, {host: "b", _value: 3.0}]) |> group(columns: ["host"])

    testing.diff(got, want)
}

testcase count_is_an_integer {
    got = data |> group(columns: ["host"]) |> count()
    want = array.from(rows: [{host: "a", _value: 2}, {host: "b", _value: 2}]) |> group(columns: ["host"])

    testing.diff(got, want)
}

testcase mean_of_one_table {
    got = data |> mean()
    want = array.from(rows: [{_value: 0.0}])

    testing.diff(got, want)
}

testcase max_selects_the_whole_row {
    got = data |> group(columns: ["host"]) |> max()
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:00:00Z, host: "a", _value: 1.0},
                {_time: 2024-01-01T00:01:00Z, host: "b", _value: 2.5},
            ],
        )
            |> group(columns: ["host"])

    testing.diff(got, want)
}

testcase sort_desc_then_limit {
    got = data |> sort(columns: ["_value"], desc: true) |> limit(n: 2)
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:01:00Z, host: "b", _value: 2.5},
                {_time: 2024-01-01T00:00:00Z, host: "a", _value: 1.0},
            ],
        )

    testing.diff(got, want)
}
