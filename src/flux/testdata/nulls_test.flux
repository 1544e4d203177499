// Our own Flux tests of null handling: empty CSV cells are nulls; count counts rows (nulls
// included, as Flux's does), sum, mean and selectors skip nulls; fill replaces them.
package nulls_test

import "array"
import "csv"
import "testing"

data =
    csv.from(
        csv:
            "
#datatype,string,long,dateTime:RFC3339,string,double
#group,false,false,false,true,false
#default,_result,,,,
,result,table,_time,host,_value
,,0,2024-01-01T00:00:00Z,a,1.0
,,0,2024-01-01T00:01:00Z,a,
,,0,2024-01-01T00:02:00Z,a,3.0
,,0,2024-01-01T00:03:00Z,a,
",
    )

testcase count_counts_rows_including_nulls {
    got = data |> count()
    want = array.from(rows: [{host: "a", _value: 4}]) |> group(columns: ["host"])

    testing.diff(got, want)
}

testcase sum_and_mean_skip_nulls {
    got = union(tables: [data |> sum() |> set(key: "fn", value: "sum"), data |> mean() |> set(key: "fn", value: "mean")])
    want =
        array.from(rows: [{host: "a", _value: 4.0, fn: "sum"}, {host: "a", _value: 2.0, fn: "mean"}])
            |> group(columns: ["host"])

    testing.diff(got, want)
}

testcase last_is_the_last_non_null {
    got = data |> last()
    want = array.from(rows: [{_time: 2024-01-01T00:02:00Z, host: "a", _value: 3.0}]) |> group(columns: ["host"])

    testing.diff(got, want)
}

testcase fill_use_previous {
    got = data |> fill(usePrevious: true)
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:00:00Z, host: "a", _value: 1.0},
                {_time: 2024-01-01T00:01:00Z, host: "a", _value: 1.0},
                {_time: 2024-01-01T00:02:00Z, host: "a", _value: 3.0},
                {_time: 2024-01-01T00:03:00Z, host: "a", _value: 3.0},
            ],
        )
            |> group(columns: ["host"])

    testing.diff(got, want)
}

testcase fill_value {
    got = data |> fill(value: 0.0)
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:00:00Z, host: "a", _value: 1.0},
                {_time: 2024-01-01T00:01:00Z, host: "a", _value: 0.0},
                {_time: 2024-01-01T00:02:00Z, host: "a", _value: 3.0},
                {_time: 2024-01-01T00:03:00Z, host: "a", _value: 0.0},
            ],
        )
            |> group(columns: ["host"])

    testing.diff(got, want)
}

testcase filter_drops_rows_where_the_predicate_is_null {
    // A comparison with null is null, which filter treats as false.
    got = data |> filter(fn: (r) => r._value > 0.0)
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:00:00Z, host: "a", _value: 1.0},
                {_time: 2024-01-01T00:02:00Z, host: "a", _value: 3.0},
            ],
        )
            |> group(columns: ["host"])

    testing.diff(got, want)
}
