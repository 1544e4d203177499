// Our own Flux tests of reshaping (pivot, join, rename, drop, keep) and of running
// transformations (difference, derivative, cumulativeSum) over small array.from inputs.
package shape_test

import "array"
import "testing"

fields =
    array.from(
        rows: [
            {_time: 2024-01-01T00:00:00Z, _field: "a", _value: 1.0},
            {_time: 2024-01-01T00:00:00Z, _field: "b", _value: 2.0},
            {_time: 2024-01-01T00:00:10Z, _field: "a", _value: 3.0},
            {_time: 2024-01-01T00:00:10Z, _field: "b", _value: 4.0},
        ],
    )

series =
    array.from(
        rows: [
            {_time: 2024-01-01T00:00:00Z, _value: 1},
            {_time: 2024-01-01T00:00:10Z, _value: 3},
            {_time: 2024-01-01T00:00:20Z, _value: 6},
        ],
    )

testcase pivot_fields_into_columns {
    got = fields |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:00:00Z, a: 1.0, b: 2.0},
                {_time: 2024-01-01T00:00:10Z, a: 3.0, b: 4.0},
            ],
        )

    testing.diff(got, want)
}

testcase inner_join_suffixes_clashing_columns {
    left = array.from(rows: [{_time: 2024-01-01T00:00:00Z, _value: 1}, {_time: 2024-01-01T00:00:10Z, _value: 2}])
    right = array.from(rows: [{_time: 2024-01-01T00:00:10Z, _value: 20}])
    got = join(tables: {left: left, right: right}, on: ["_time"])
    want = array.from(rows: [{_time: 2024-01-01T00:00:10Z, _value_left: 2, _value_right: 20}])

    testing.diff(got, want)
}

testcase rename_drop_keep {
    got =
        fields
            |> rename(columns: {_value: "value"})
            |> drop(columns: ["_time"])
            |> keep(columns: ["value", "_field"])
    want =
        array.from(
            rows: [
                {_field: "a", value: 1.0},
                {_field: "b", value: 2.0},
                {_field: "a", value: 3.0},
                {_field: "b", value: 4.0},
            ],
        )

    testing.diff(got, want)
}

testcase difference_drops_the_first_row {
    got = series |> difference()
    want =
        array.from(
            rows: [{_time: 2024-01-01T00:00:10Z, _value: 2}, {_time: 2024-01-01T00:00:20Z, _value: 3}],
        )

    testing.diff(got, want)
}

testcase derivative_per_second_is_a_float {
    got = series |> derivative(unit: 1s)
    want =
        array.from(
            rows: [{_time: 2024-01-01T00:00:10Z, _value: 0.2}, {_time: 2024-01-01T00:00:20Z, _value: 0.3}],
        )

    testing.diff(got, want)
}

testcase cumulative_sum {
    got = series |> cumulativeSum()
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:00:00Z, _value: 1},
                {_time: 2024-01-01T00:00:10Z, _value: 4},
                {_time: 2024-01-01T00:00:20Z, _value: 10},
            ],
        )

    testing.diff(got, want)
}
