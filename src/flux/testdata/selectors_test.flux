// Our own Flux tests of selectors and row-picking transformations: the whole selected row is
// kept, except for distinct, which reports values in _value.
package selectors_test

import "array"
import "testing"

data =
    array.from(
        rows: [
            {_time: 2024-01-01T00:00:00Z, host: "a", _value: 5},
            {_time: 2024-01-01T00:01:00Z, host: "b", _value: 9},
            {_time: 2024-01-01T00:02:00Z, host: "a", _value: 1},
            {_time: 2024-01-01T00:03:00Z, host: "c", _value: 7},
        ],
    )

testcase first_and_last_rows {
    got = union(tables: [data |> first(), data |> last()])
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:00:00Z, host: "a", _value: 5},
                {_time: 2024-01-01T00:03:00Z, host: "c", _value: 7},
            ],
        )

    testing.diff(got, want)
}

testcase top_two_by_value {
    got = data |> top(n: 2)
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:01:00Z, host: "b", _value: 9},
                {_time: 2024-01-01T00:03:00Z, host: "c", _value: 7},
            ],
        )

    testing.diff(got, want)
}

testcase bottom_one_by_value {
    got = data |> bottom(n: 1)
    want = array.from(rows: [{_time: 2024-01-01T00:02:00Z, host: "a", _value: 1}])

    testing.diff(got, want)
}

testcase tail_keeps_the_last_rows {
    got = data |> tail(n: 2)
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:02:00Z, host: "a", _value: 1},
                {_time: 2024-01-01T00:03:00Z, host: "c", _value: 7},
            ],
        )

    testing.diff(got, want)
}

testcase unique_keeps_first_row_per_value {
    got = data |> unique(column: "host")
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:00:00Z, host: "a", _value: 5},
                {_time: 2024-01-01T00:01:00Z, host: "b", _value: 9},
                {_time: 2024-01-01T00:03:00Z, host: "c", _value: 7},
            ],
        )

    testing.diff(got, want)
}

testcase distinct_reports_values_in_value_column {
    got = data |> distinct(column: "host")
    want = array.from(rows: [{_value: "a"}, {_value: "b"}, {_value: "c"}])

    testing.diff(got, want)
}
