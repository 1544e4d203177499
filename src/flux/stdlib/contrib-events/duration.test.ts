import { describe, expect, it } from 'vitest';
import { runRows } from '../experimental/run-tables.js';

const DATA = `import "array"
import "contrib/tomhollingworth/events"
data = array.from(rows: [
    {_time: 2021-01-01T00:00:00Z, _stop: 2021-01-01T00:10:00Z, state: "on"},
    {_time: 2021-01-01T00:01:00Z, _stop: 2021-01-01T00:10:00Z, state: "off"},
    {_time: 2021-01-01T00:04:00Z, _stop: 2021-01-01T00:10:00Z, state: "on"},
])
`;

describe('events.duration', () => {
  it.each([
    ['seconds to the next event, the last to _stop', 'events.duration()', 'duration', ['60', '180', '360']],
    ['in minutes, named', 'events.duration(unit: 1m, columnName: "d")', 'd', ['1', '3', '6']],
    ['the last to an explicit stop', 'events.duration(unit: 1m, stop: 2021-01-01T00:05:00Z)', 'duration', ['1', '3', '1']],
  ])('%s', async (_, call, column, want) => {
    const rows = await runRows(`${DATA}\ndata |> ${call}`);
    expect(rows.map((r) => r[column])).toEqual(want);
  });
});
