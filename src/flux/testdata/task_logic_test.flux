// How a user tests the logic of a task with `sluice flux test`: the task's pipeline is a
// function in the preamble, each testcase feeds it fixed input (annotated CSV or array.from)
// at a fixed now() and compares the output with testing.diff.
package task_logic_test

import "array"
import "csv"
import "testing"

// The task under test: 10-minute means of cpu usage over the last hour.
downsample = (tables=<-, fn=mean, createEmpty=false) =>
    tables
        |> range(start: -1h)
        |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage")
        |> aggregateWindow(every: 10m, fn: fn, createEmpty: createEmpty)

input =
    array.from(
        rows: [
            {_time: 2023-12-31T23:00:00Z, _measurement: "cpu", _field: "usage", host: "a", _value: 100.0},
            {_time: 2024-01-01T00:01:00Z, _measurement: "cpu", _field: "usage", host: "a", _value: 1.0},
            {_time: 2024-01-01T00:05:00Z, _measurement: "cpu", _field: "usage", host: "a", _value: 3.0},
            {_time: 2024-01-01T00:15:00Z, _measurement: "cpu", _field: "usage", host: "a", _value: 5.0},
            {_time: 2024-01-01T00:15:00Z, _measurement: "mem", _field: "used", host: "a", _value: 9.0},
        ],
    )
        |> group(columns: ["_measurement", "_field", "host"])

testcase mean_per_window {
    option now = () => 2024-01-01T01:00:00Z

    got = input |> downsample()
    want =
        array.from(
            rows: [
                {
                    _start: 2024-01-01T00:00:00Z,
                    _stop: 2024-01-01T01:00:00Z,
                    _time: 2024-01-01T00:10:00Z,
                    _measurement: "cpu",
                    _field: "usage",
                    host: "a",
                    _value: 2.0,
                },
                {
                    _start: 2024-01-01T00:00:00Z,
                    _stop: 2024-01-01T01:00:00Z,
                    _time: 2024-01-01T00:20:00Z,
                    _measurement: "cpu",
                    _field: "usage",
                    host: "a",
                    _value: 5.0,
                },
            ],
        )
            |> group(columns: ["_start", "_stop", "_measurement", "_field", "host"])

    testing.diff(got, want)
}

testcase empty_windows_count_zero {
    option now = () => 2024-01-01T01:00:00Z

    got = input |> downsample(fn: count, createEmpty: true) |> keep(columns: ["_time", "_value", "host"])
    want =
        array.from(
            rows: [
                {_time: 2024-01-01T00:10:00Z, host: "a", _value: 2},
                {_time: 2024-01-01T00:20:00Z, host: "a", _value: 1},
                {_time: 2024-01-01T00:30:00Z, host: "a", _value: 0},
                {_time: 2024-01-01T00:40:00Z, host: "a", _value: 0},
                {_time: 2024-01-01T00:50:00Z, host: "a", _value: 0},
                {_time: 2024-01-01T01:00:00Z, host: "a", _value: 0},
            ],
        )
            |> group(columns: ["host"])

    testing.diff(got, want)
}

testcase range_follows_now {
    // Earlier in the hour: the last hour starts the day before (after the 23:00 point), and the
    // last aggregate window is cut at now, which becomes its _time.
    option now = () => 2024-01-01T00:17:00Z

    got = input |> downsample() |> keep(columns: ["_start", "_stop", "_time", "_value", "host"])
    want =
        array.from(
            rows: [
                {_start: 2023-12-31T23:17:00Z, _stop: 2024-01-01T00:17:00Z, _time: 2024-01-01T00:10:00Z, host: "a", _value: 2.0},
                {_start: 2023-12-31T23:17:00Z, _stop: 2024-01-01T00:17:00Z, _time: 2024-01-01T00:17:00Z, host: "a", _value: 5.0},
            ],
        )
            |> group(columns: ["_start", "_stop", "host"])

    testing.diff(got, want)
}

testcase annotated_csv_input {
    option now = () => 2024-01-01T01:00:00Z

    data =
        "
#datatype,string,long,dateTime:RFC3339,string,string,string,double
#group,false,false,false,true,true,true,false
#default,_result,,,,,,
,result,table,_time,_measurement,_field,host,_value
,,0,2024-01-01T00:02:00Z,cpu,usage,b,4.0
,,0,2024-01-01T00:04:00Z,cpu,usage,b,8.0
"
    got = csv.from(csv: data) |> downsample() |> keep(columns: ["_time", "_value", "host"])
    want = array.from(rows: [{_time: 2024-01-01T00:10:00Z, host: "b", _value: 6.0}]) |> group(columns: ["host"])

    testing.diff(got, want)
}
