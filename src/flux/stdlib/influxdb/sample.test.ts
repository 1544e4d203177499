import { describe, expect, it } from 'vitest';
import { runRows } from '../experimental/run-tables.js';

describe('influxdata/influxdb/sample', () => {
  it('list names every dataset with its URL', async () => {
    const rows = await runRows('import "influxdata/influxdb/sample"\nsample.list()');
    expect(rows.map((r) => r.name)).toEqual(['airSensor', 'birdMigration', 'bitcoin', 'machineProduction', 'noaa', 'noaaWater', 'usgs']);
    expect(rows.every((r) => String(r.url).startsWith('https://'))).toBe(true);
  });

  it('data rejects an unknown set', async () => {
    await expect(runRows('import "influxdata/influxdb/sample"\nsample.data(set: "nope")')).rejects.toThrow(/Invalid sample data set/);
  });

  it('alignToNow shifts the stream so its last point is now', async () => {
    const rows = await runRows(`import "array"
import "influxdata/influxdb/sample"
array.from(rows: [{_time: 2021-01-01T00:00:00Z, v: 1}, {_time: 2021-01-01T00:01:00Z, v: 2}]) |> sample.alignToNow()`);
    expect(rows.map((r) => r._time)).toEqual(['2029-12-31T23:59:00Z', '2030-01-01T00:00:00Z']);
  });
});
