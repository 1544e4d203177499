@edition("2022.1")
package example_test

import "testing"
import "csv"
import str "strings"
import "influxdata/influxdb/v1"

// Options, plain and qualified.
option now = () => 2030-01-01T00:00:00Z
option testing.loadStorage = (csv) => csv.from(csv: csv)
option task = {name: "every hour", every: 1h, offset: 5m}

@deprecated
old = 1

inData = "
#datatype,string,long,dateTime:RFC3339,double
,result,table,_time,_value
,,0,2018-05-22T19:53:26Z,1.5
"

testcase difference {
    got = csv.from(csv: inData) |> testing.load() |> difference()
    want = csv.from(csv: inData)

    testing.diff(got, want)
}

@feature({vectorization: true})
testcase vector_difference extends "flux/universe/difference_test.difference" {
    super()
}

f = () => {
    x = 1
    return x
}
str.toUpper(v: "x")
