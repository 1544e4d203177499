// Our own Flux tests of row-wise transformations (filter, map), with inputs and expected tables
// built by array.from and compared by testing.diff. Run: sluice flux test src/flux/testdata
package rows_test

import "array"
import "testing"

data =
    array.from(
        rows: [
            {_time: 2024-01-01T00:00:00Z, host: "a", _value: 1.0},
            {_time: 2024-01-01T00:01:00Z, host: "b", _value: 2.5},
            {_time: 2024-01-01T00:02:00Z, host: "a", _value: -4.0},
        ],
    )

testcase filter_keeps_matching_rows {
    got = data |> filter(fn: (r) => r._value > 0.0)
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:00:00Z, host: "a", _value: 1.0},
                {_time: 2024-01-01T00:01:00Z, host: "b", _value: 2.5},
            ],
        )

    testing.diff(got: got, want: want)
}

testcase filter_on_strings {
    got = data |> filter(fn: (r) => r.host == "a" and r._time > 2024-01-01T00:00:00Z)
    want = array.from(rows: [{_time: 2024-01-01T00:02:00Z, host: "a", _value: -4.0}])

    // Record-property shorthand, as most of Flux's own tests call it.
    testing.diff(got, want)
}

testcase map_with_adds_a_column {
    got = data |> map(fn: (r) => ({r with doubled: r._value * 2.0}))
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:00:00Z, host: "a", _value: 1.0, doubled: 2.0},
                {_time: 2024-01-01T00:01:00Z, host: "b", _value: 2.5, doubled: 5.0},
                {_time: 2024-01-01T00:02:00Z, host: "a", _value: -4.0, doubled: -8.0},
            ],
        )

    testing.diff(got, want)
}

testcase map_new_record_drops_other_columns {
    got = data |> map(fn: (r) => ({host: r.host, positive: r._value > 0.0}))
    want =
        array.from(
            rows: [
                {host: "a", positive: true},
                {host: "b", positive: true},
                {host: "a", positive: false},
            ],
        )

    testing.diff(got, want)
}

testcase equal_values {
    testing.assertEqualValues(got: 1 + 2 * 3, want: 7)
}

testcase expected_error {
    testing.shouldError(fn: () => die(msg: "checked failure"), want: /checked failure/)
}
