// A script for `sluice flux run`: annotated CSV in, one filtered and computed result out,
// stamped with now() (set it with --now).
import "csv"

data =
    "
#datatype,string,long,dateTime:RFC3339,string,double
#group,false,false,false,true,false
#default,_result,,,,
,result,table,_time,host,_value
,,0,2024-01-01T00:00:00Z,a,1.5
,,0,2024-01-01T00:01:00Z,a,4.5
,,1,2024-01-01T00:00:00Z,b,2.0
"

csv.from(csv: data)
    |> filter(fn: (r) => r._value > 1.6)
    |> map(fn: (r) => ({r with doubled: r._value * 2.0, at: now()}))
    |> yield(name: "over_threshold")
