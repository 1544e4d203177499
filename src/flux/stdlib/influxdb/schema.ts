import type { PackageDef } from '../../interpreter/index.js';
import { databases } from './influxdb.js';
import { v1Json } from './v1-json.js';

/**
 * influxdata/influxdb/schema: schema exploration written in Flux over `from()` (our own
 * definitions). `_from` is an option so that tests (and hosts) can substitute the data source;
 * by default it is the prelude's `from`, which reads storage through the SeriesSource external.
 * On a server, the chains they are made of over a storage read are answered by the series index
 * instead (src/query/schema-pushdown.ts), as InfluxDB's planner does.
 */
const source = `
option _from = from

_defaultStart = -30d

// One column's distinct values over a bucket's rows in [start, stop) that match predicate.
_columnValues = (bucket, column, predicate, start, stop) =>
    _from(bucket: bucket)
        |> range(start: start, stop: stop)
        |> filter(fn: predicate)
        |> keep(columns: [column])
        |> group()
        |> distinct(column: column)

fieldsAsCols = (tables=<-) => tables |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")

tagValues = (bucket, tag, predicate=(r) => true, start=_defaultStart, stop=now()) =>
    _columnValues(bucket: bucket, column: tag, predicate: predicate, start: start, stop: stop)

measurementTagValues = (bucket, measurement, tag, start=_defaultStart, stop=now()) =>
    _columnValues(bucket: bucket, column: tag, predicate: (r) => r._measurement == measurement, start: start, stop: stop)

tagKeys = (bucket, predicate=(r) => true, start=_defaultStart, stop=now()) =>
    _from(bucket: bucket)
        |> range(start: start, stop: stop)
        |> filter(fn: predicate)
        |> keys()
        |> keep(columns: ["_value"])
        |> distinct()

measurementTagKeys = (bucket, measurement, start=_defaultStart, stop=now()) =>
    tagKeys(bucket: bucket, predicate: (r) => r._measurement == measurement, start: start, stop: stop)

fieldKeys = (bucket, predicate=(r) => true, start=_defaultStart, stop=now()) =>
    _columnValues(bucket: bucket, column: "_field", predicate: predicate, start: start, stop: stop)

measurementFieldKeys = (bucket, measurement, start=_defaultStart, stop=now()) =>
    fieldKeys(bucket: bucket, predicate: (r) => r._measurement == measurement, start: start, stop: stop)

measurements = (bucket, start=_defaultStart, stop=now()) =>
    _columnValues(bucket: bucket, column: "_measurement", predicate: (r) => true, start: start, stop: stop)
`;

export const schemaPackage: PackageDef = { path: 'influxdata/influxdb/schema', source };

/**
 * influxdata/influxdb/v1: the old names of the schema functions, `databases` (the org's buckets
 * as DBRPs, through the SeriesSource) and `json` (InfluxDB 1.x JSON results as tables).
 */
const v1Source = `
import "influxdata/influxdb/schema"

fieldsAsCols = schema.fieldsAsCols
tagValues = schema.tagValues
measurementTagValues = schema.measurementTagValues
tagKeys = schema.tagKeys
measurementTagKeys = schema.measurementTagKeys
fieldKeys = schema.fieldKeys
measurementFieldKeys = schema.measurementFieldKeys
measurements = schema.measurements
`;

export const v1Package: PackageDef = { path: 'influxdata/influxdb/v1', builtins: { json: v1Json, databases }, source: v1Source };
