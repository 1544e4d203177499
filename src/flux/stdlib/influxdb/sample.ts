import type { PackageDef } from '../../interpreter/index.js';

/**
 * influxdata/influxdb/sample: InfluxData's public sample datasets (fetched over HTTP with
 * experimental/csv), `list()` of them, and `alignToNow()` which shifts a stream so its last
 * point is at now(). The catalogue below is ours: set names and URLs are the public dataset
 * locations; descriptions are short summaries.
 */
const source = `
import "array"
import "dict"
import "experimental/csv"

_base = "https://influx-testdata.s3.amazonaws.com/"

_catalogue = [
    "airSensor": {url: _base + "air-sensor-data-annotated.csv", desc: "Simulated office air sensor readings (temperature, humidity, CO).", size: "~600 KB", type: "live"},
    "birdMigration": {url: _base + "bird-migration.csv", desc: "Bird migration tracks across Africa during 2019.", size: "~1.2 MB", type: "static"},
    "bitcoin": {url: _base + "bitcoin-historical-annotated.csv", desc: "Bitcoin prices over the last 30 days.", size: "~700 KB", type: "live"},
    "machineProduction": {url: _base + "machine-production.csv", desc: "Grinding station states and metrics from one production day.", size: "~11.9 MB", type: "static"},
    "noaa": {url: _base + "noaa-ndbc-latest-observations-annotated.csv", desc: "Latest NOAA NDBC buoy observations.", size: "~1.3 MB", type: "live"},
    "noaaWater": {url: _base + "noaa.csv", desc: "NOAA water level and temperature observations, 2019.", size: "~10 MB", type: "static"},
    "usgs": {url: _base + "usgs-earthquake-all-week-annotated.csv", desc: "USGS earthquakes of the last week.", size: "~6 MB", type: "live"},
]

_none = {url: "", desc: "", size: "", type: ""}

_info = (set) => {
    i = dict.get(dict: _catalogue, key: set, default: _none)

    return {name: set, url: i.url, desc: i.desc, size: i.size, type: i.type}
}

data = (set) => {
    i = _info(set: set)

    return
        if i.url == "" then
            die(msg: "Invalid sample data set. Use sample.list to view available datasets.")
        else
            csv.from(url: i.url)
}

list = () =>
    array.from(
        rows: [
            _info(set: "airSensor"),
            _info(set: "birdMigration"),
            _info(set: "bitcoin"),
            _info(set: "machineProduction"),
            _info(set: "noaa"),
            _info(set: "noaaWater"),
            _info(set: "usgs"),
        ],
    )

alignToNow = (tables=<-) => {
    last =
        (tables
            |> keep(columns: ["_time"])
            |> last(column: "_time")
            |> findRecord(fn: (key) => true, idx: 0))._time

    return tables |> timeShift(duration: duration(v: int(v: now()) - int(v: last)))
}
`;

export const samplePackage: PackageDef = { path: 'influxdata/influxdb/sample', source };
