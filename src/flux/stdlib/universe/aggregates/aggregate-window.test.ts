import { describe, expect, it } from 'vitest';
import { programTables, type PlainTable } from './program-tables.js';

/** Host a: 5 points over the first minute; host b: 2 points, the second out of time order. */
const DATA = `import "array"
data = array.from(rows: [
    {_time: 2020-01-01T00:00:00Z, host: "a", _value: 1.0, i: 1},
    {_time: 2020-01-01T00:00:05Z, host: "a", _value: 5.0, i: 5},
    {_time: 2020-01-01T00:00:15Z, host: "a", _value: 2.0, i: 2},
    {_time: 2020-01-01T00:00:30Z, host: "a", _value: 3.0, i: 3},
    {_time: 2020-01-01T00:00:45Z, host: "a", _value: 4.0, i: 4},
    {_time: 2020-01-01T00:00:50Z, host: "b", _value: 9.0, i: 9},
    {_time: 2020-01-01T00:00:12Z, host: "b", _value: 7.0, i: 7},
])
    |> group(columns: ["host"])
    |> range(start: 2020-01-01T00:00:00Z, stop: 2020-01-01T00:01:00Z)
`;

async function run(call: string): Promise<PlainTable[]> {
  return programTables(`${DATA}\ndata |> ${call}`);
}

/** `column` of each table's rows, with the row's _time (hh:mm:ss). */
function series(tables: PlainTable[], column = '_value'): string[][] {
  return tables.map((t) => t.rows.map((r) => `${String(r._time).slice(11, 19)}=${String(r[column])}`));
}

describe('aggregateWindow', () => {
  it.each([
    ['every: 20s, fn: mean', [['00:00:20=2.6666666666666665', '00:00:40=3', '00:01:00=4'], ['00:00:20=7', '00:00:40=null', '00:01:00=9']]],
    ['every: 20s, fn: count', [['00:00:20=3', '00:00:40=1', '00:01:00=1'], ['00:00:20=1', '00:00:40=0', '00:01:00=1']]],
    ['every: 20s, fn: sum, column: "i"', [['00:00:20=8', '00:00:40=3', '00:01:00=4'], ['00:00:20=7', '00:00:40=null', '00:01:00=9']]],
    ['every: 20s, fn: mean, createEmpty: false', [['00:00:20=2.6666666666666665', '00:00:40=3', '00:01:00=4'], ['00:00:20=7', '00:01:00=9']]],
    ['every: 20s, fn: mean, timeSrc: "_start"', [['00:00:00=2.6666666666666665', '00:00:20=3', '00:00:40=4'], ['00:00:00=7', '00:00:20=null', '00:00:40=9']]],
    ['every: 20s, offset: 10s, fn: first', [['00:00:10=1', '00:00:30=2', '00:00:50=3', '00:01:00=null'], ['00:00:10=null', '00:00:30=7', '00:00:50=null', '00:01:00=9']]],
    // Overlapping windows: stops on the 30s grid, each 1m long, clipped to the range.
    ['every: 30s, period: 1m, fn: count', [['00:00:30=3', '00:01:00=5', '00:01:00=2'], ['00:00:30=1', '00:01:00=2', '00:01:00=1']]],
    ['every: 1m, fn: max', [['00:01:00=5'], ['00:01:00=9']]],
    ['every: 20s, fn: median', [['00:00:20=2', '00:00:40=3', '00:01:00=4'], ['00:00:20=7', '00:00:40=null', '00:01:00=9']]],
  ])('%s', async (args, want) => {
    expect(series(await run(`aggregateWindow(${args})`), args.includes('"i"') ? 'i' : '_value')).toEqual(want);
  });

  it('keeps the group key and the range bounds; aggregates keep the input column order (InfluxDB push-down order)', async () => {
    const [a] = await run('aggregateWindow(every: 20s, fn: mean)');
    expect(a!.key).toEqual(['_start', '_stop', 'host']);
    expect(a!.cols).toEqual(['_start', '_stop', '_time', 'host', '_value']);
    expect(a!.rows.map((r) => [r._start, r._stop])).toEqual(
      Array(3).fill(['2020-01-01T00:00:00Z', '2020-01-01T00:01:00Z']),
    );
  });

  it.each(['mean', 'max', '(column, tables=<-) => tables |> mean(column: column)'])(
    'a table grouped without the range bounds gets them back in its key (fn: %s)',
    async (fn) => {
      const [a] = await run(`group(columns: ["host"]) |> aggregateWindow(every: 30s, fn: ${fn})`);
      expect(a!.key).toEqual(['_start', '_stop', 'host']);
      expect(a!.rows[0]!._stop).toBe('2020-01-01T00:01:00Z');
    },
  );

  it('selectors keep the whole row with _time replaced by the window time', async () => {
    const [, b] = await run('aggregateWindow(every: 20s, fn: last)');
    expect(b!.cols).toEqual(['_start', '_stop', '_time', 'host', '_value', 'i']);
    expect(b!.rows.map((r) => [r._time, r.host, r._value, r.i])).toEqual([
      ['2020-01-01T00:00:20Z', 'b', 7, 7n],
      ['2020-01-01T00:00:40Z', 'b', null, null], // an empty window: key columns only
      ['2020-01-01T00:01:00Z', 'b', 9, 9n],
    ]);
  });

  it.each([
    [true, ['00:00:20=null', '00:00:40=3', '00:01:00=4']],
    [false, ['00:00:40=3', '00:01:00=4']],
  ])('empty fn results are filled with a null row only with createEmpty: %s', async (createEmpty, want) => {
    const tables = await run(
      `aggregateWindow(every: 20s, createEmpty: ${createEmpty}, fn: (column, tables=<-) => tables |> filter(fn: (r) => r._value > 2.5 and r._value < 4.5, onEmpty: "keep") |> last(column: column))`,
    );
    expect(series(tables)[0]).toEqual(want);
  });

  it('timeDst names the time column', async () => {
    const [a] = await run('aggregateWindow(every: 30s, fn: count, timeDst: "t")');
    expect(a!.cols).toEqual(['_start', '_stop', 'host', '_value', 't']);
    expect(a!.rows.map((r) => r.t)).toEqual(['2020-01-01T00:00:30Z', '2020-01-01T00:01:00Z']);
  });

  it('calendar windows: every 1mo', async () => {
    const tables = await programTables(`import "array"
array.from(rows: [
    {_time: 2020-01-15T00:00:00Z, _value: 1.0},
    {_time: 2020-01-31T23:00:00Z, _value: 3.0},
    {_time: 2020-02-29T00:00:00Z, _value: 10.0},
    {_time: 2020-03-01T00:00:00Z, _value: 20.0},
])
    |> range(start: 2020-01-10T00:00:00Z, stop: 2020-03-15T00:00:00Z)
    |> aggregateWindow(every: 1mo, fn: mean)`);
    expect(tables[0]!.rows.map((r) => [r._time, r._value])).toEqual([
      ['2020-02-01T00:00:00Z', 2],
      ['2020-03-01T00:00:00Z', 10],
      ['2020-03-15T00:00:00Z', 20], // the last window is clipped to the range stop
    ]);
  });

  it.each([
    ['every: 1mo1d, fn: mean', /cannot mix month and nanosecond units/],
    ['every: 0s, fn: mean', /cannot be zero/],
    ['every: 20s, fn: mean, column: "nope"', /column "nope" does not exist/],
    ['every: 20s, fn: mean, location: {zone: "Europe/Paris", offset: 0s}', /location zone "Europe\/Paris" is not supported/],
  ])('%s fails: %s', async (args, err) => {
    await expect(run(`aggregateWindow(${args})`)).rejects.toThrow(err);
  });

  it.each(['mean', 'last', '(column, tables=<-) => tables |> mean(column: column)'])(
    'without range bounds windows follow the data and the key stays the input key (fn: %s)',
    async (fn) => {
      const tables = await run(`drop(columns: ["_start", "_stop"]) |> aggregateWindow(every: 20s, fn: ${fn})`);
      expect(tables.map((t) => t.key)).toEqual([['host'], ['host']]);
      expect(tables[1]!.rows.map((r) => r._time)).toEqual(['2020-01-01T00:00:20Z', '2020-01-01T00:01:00Z']);
      expect(tables[1]!.cols).not.toContain('_start');
    },
  );

  it('a function output regrouped by a value column merges per key, keys in order', async () => {
    const tables = await run(
      'aggregateWindow(every: 30s, fn: (column, tables=<-) => tables |> map(fn: (r) => ({r with big: r._value > 3.0})) |> group(columns: ["_start", "_stop", "host", "big"]) |> count(column: column))',
    );
    expect(tables.map((t) => [t.rows[0]!.host, t.rows[0]!.big, t.rows.map((r) => `${String(r._time).slice(14, 19)}=${String(r._value)}`)])).toEqual([
      ['a', false, ['00:30=2', '01:00=1']],
      ['a', true, ['00:30=1', '01:00=1']],
      ['b', true, ['00:30=1', '01:00=1']], // b's values (7, 9) are all big
    ]);
  });
});

describe('aggregateWindow fast paths equal the generic definition', () => {
  // The same function as a closure is not recognised, so it goes through window tables → fn.
  const cases: [string, string][] = [];
  for (const fn of ['count', 'sum', 'mean', 'median', 'min', 'max', 'first', 'last', 'spread', 'stddev', 'skew']) {
    for (const opts of ['every: 20s', 'every: 20s, createEmpty: false', 'every: 15s, offset: 5s', 'every: 10s, period: 25s', 'every: 1m, timeSrc: "_start"']) {
      cases.push([fn, opts]);
    }
  }
  it.each(cases)('%s with %s', async (fn, opts) => {
    const fast = await run(`aggregateWindow(${opts}, fn: ${fn})`);
    const generic = await run(`aggregateWindow(${opts}, fn: (column, tables=<-) => tables |> ${fn}(column: column))`);
    const norm = (ts: PlainTable[]) => ts.map((t) => ({ key: t.key, rows: t.rows.map((r) => ({ ...r })) }));
    expect(norm(fast)).toEqual(norm(generic));
  });
});
