import { describe, expect, it } from 'vitest';
import { evalFlux, programTables, type PlainTable } from './program-tables.js';

const ts = (s: string): string => `2020-01-01T${s}.000000000Z`;

const DATA = `
import "array"
data = array.from(rows: [
  {_time: 2020-01-01T00:00:00Z, _value: 1},
  {_time: 2020-01-01T00:00:40Z, _value: 2},
  {_time: 2020-01-01T00:01:10Z, _value: 3},
])
`;

interface Case {
  readonly name: string;
  readonly query: string;
  readonly want: PlainTable[];
}

const W = ['_start', '_stop'];
const cases: Case[] = [
  {
    name: 'window: one table per window, _start/_stop appended and keyed',
    query: 'data |> window(every: 1m)',
    want: [
      { key: W, columns: ['_time', '_value', '_start', '_stop'], rows: [[ts('00:00:00'), 1n, ts('00:00:00'), ts('00:01:00')], [ts('00:00:40'), 2n, ts('00:00:00'), ts('00:01:00')]] },
      { key: W, columns: ['_time', '_value', '_start', '_stop'], rows: [[ts('00:01:10'), 3n, ts('00:01:00'), ts('00:02:00')]] },
    ],
  },
  {
    name: 'window: unsorted times give the same windows (rows in input order)',
    query: `array.from(rows: [{_time: 2020-01-01T00:01:10Z, _value: 3}, {_time: 2020-01-01T00:00:40Z, _value: 2}, {_time: 2020-01-01T00:00:00Z, _value: 1}])
      |> window(every: 1m) |> keep(columns: ["_start", "_value"])`,
    want: [
      { key: ['_start'], columns: ['_value', '_start'], rows: [[2n, ts('00:00:00')], [1n, ts('00:00:00')]] },
      { key: ['_start'], columns: ['_value', '_start'], rows: [[3n, ts('00:01:00')]] },
    ],
  },
  {
    name: 'window: overlapping periods put a row in several windows; offset shifts boundaries',
    query: 'data |> window(every: 30s, period: 1m, offset: 10s) |> keep(columns: ["_start", "_value"])',
    want: [
      { key: ['_start'], columns: ['_value', '_start'], rows: [[1n, '2019-12-31T23:59:10.000000000Z']] },
      { key: ['_start'], columns: ['_value', '_start'], rows: [[1n, ts('00:00:00').replace('00:00:00', '23:59:40').replace('2020-01-01', '2019-12-31')]] },
      { key: ['_start'], columns: ['_value', '_start'], rows: [[2n, ts('00:00:10')]] },
      { key: ['_start'], columns: ['_value', '_start'], rows: [[2n, ts('00:00:40')], [3n, ts('00:00:40')]] },
      { key: ['_start'], columns: ['_value', '_start'], rows: [[3n, ts('00:01:10')]] },
    ],
  },
  {
    name: 'window: clipped to the range, createEmpty fills missing windows',
    query: 'data |> range(start: 2020-01-01T00:00:30Z, stop: 2020-01-01T00:02:30Z) |> window(every: 1m, createEmpty: true) |> keep(columns: ["_start", "_stop", "_value"])',
    want: [
      { key: W, columns: ['_start', '_stop', '_value'], rows: [[ts('00:00:30'), ts('00:01:00'), 2n]] },
      { key: W, columns: ['_start', '_stop', '_value'], rows: [[ts('00:01:00'), ts('00:02:00'), 3n]] },
      { key: W, columns: ['_start', '_stop', '_value'], rows: [] },
    ],
  },
  {
    name: 'window(every: inf) after window puts everything back in the range',
    query: 'data |> range(start: 2020-01-01T00:00:00Z, stop: 2020-01-01T00:05:00Z) |> window(every: 1m) |> window(every: inf) |> keep(columns: ["_start", "_stop", "_value"])',
    want: [{ key: W, columns: ['_start', '_stop', '_value'], rows: [[ts('00:00:00'), ts('00:05:00'), 1n], [ts('00:00:00'), ts('00:05:00'), 2n], [ts('00:00:00'), ts('00:05:00'), 3n]] }],
  },
  {
    name: 'window: a row is placed by the unclipped window, then the bounds are clipped (time at the range stop)',
    query: `data |> range(start: 2020-01-01T00:00:00Z, stop: 2020-01-01T00:01:10Z) |> map(fn: (r) => ({r with _time: r._stop}))
      |> window(every: inf) |> keep(columns: ["_start", "_stop", "_time"])`,
    want: [{ key: W, columns: ['_start', '_stop', '_time'], rows: [[ts('00:00:00'), ts('00:01:10'), ts('00:01:10')], [ts('00:00:00'), ts('00:01:10'), ts('00:01:10')]] }],
  },
  {
    name: 'window: calendar months clamp to the month end (Flux time arithmetic)',
    query: `array.from(rows: [{_time: 2020-04-10T00:00:00Z, _value: 1}, {_time: 2020-05-10T00:00:00Z, _value: 2}])
      |> window(every: 1mo, offset: -1d) |> keep(columns: ["_start", "_stop"])`,
    want: [
      { key: W, columns: ['_start', '_stop'], rows: [['2020-03-31T00:00:00.000000000Z', '2020-04-30T00:00:00.000000000Z']] },
      { key: W, columns: ['_start', '_stop'], rows: [['2020-04-30T00:00:00.000000000Z', '2020-05-30T00:00:00.000000000Z']] },
    ],
  },
  {
    name: 'truncateTimeColumn and timeShift',
    query: 'data |> truncateTimeColumn(unit: 1m) |> timeShift(duration: 1h) |> keep(columns: ["_time"])',
    want: [{ key: [], columns: ['_time'], rows: [[ts('01:00:00')], [ts('01:00:00')], [ts('01:01:00')]] }],
  },
  {
    name: 'hourSelection wraps past midnight',
    query: `array.from(rows: [{_time: 2020-01-01T01:00:00Z}, {_time: 2020-01-01T12:00:00Z}, {_time: 2020-01-01T23:30:00Z}])
      |> hourSelection(start: 22, stop: 2)`,
    want: [{ key: [], columns: ['_time'], rows: [[ts('01:00:00')], ['2020-01-01T23:30:00.000000000Z']] }],
  },
  {
    name: 'toFloat / toString convert _value',
    query: 'data |> toFloat() |> map(fn: (r) => ({r with _value: r._value / 2.0})) |> toString() |> keep(columns: ["_value"])',
    want: [{ key: [], columns: ['_value'], rows: [['0.5'], ['1'], ['1.5']] }],
  },
];

describe('time transformations', () => {
  it.each(cases)('$name', async ({ query, want }) => {
    expect(await programTables(DATA + query)).toEqual(want);
  });

  it('window follows the location wall clock: a day window across the DST change lasts 23 hours', async () => {
    const t = await programTables(`import "array"
      import "timezone"
      option location = timezone.location(name: "America/Los_Angeles")
      array.from(rows: [{_time: 2020-03-08T12:00:00Z}, {_time: 2020-03-09T12:00:00Z}]) |> window(every: 1d)`);
    expect(t.map((x) => x.rows[0]!.slice(1))).toEqual([
      ['2020-03-08T08:00:00.000000000Z', '2020-03-09T07:00:00.000000000Z'],
      ['2020-03-09T07:00:00.000000000Z', '2020-03-10T07:00:00.000000000Z'],
    ]);
  });

  it('window requires every or period', async () => {
    await expect(programTables(`${DATA} data |> window()`)).rejects.toThrow(
      'window function requires at least one of "every" or "period" to be set and non-zero',
    );
  });
});

describe('value functions and conversions', () => {
  it.each([
    ['int(v: "42")', '42'],
    ['int(v: 3.9)', '3'],
    ['int(v: -3.9)', '-3'],
    ['int(v: true)', '1'],
    ['int(v: 2020-01-01T00:00:00Z)', '1577836800000000000'],
    ['int(v: 1m)', '60000000000'],
    ['uint(v: -1)', '18446744073709551615'],
    ['float(v: "1e3")', '1000'],
    ['float(v: "-Inf")', '-Inf'],
    ['float(v: 7)', '7'],
    ['bool(v: "true")', 'true'],
    ['bool(v: 0.0)', 'false'],
    ['string(v: 1.5)', '1.5'],
    ['string(v: 2020-01-01T00:00:00Z)', '2020-01-01T00:00:00.000000000Z'],
    ['string(v: 1h30m)', '1h30m'],
    ['time(v: "2020-01-01T00:00:00Z")', '2020-01-01T00:00:00.000000000Z'],
    ['time(v: 0)', '1970-01-01T00:00:00.000000000Z'],
    ['duration(v: "1h")', '1h'],
    ['duration(v: 1000)', '1us'],
    ['bytes(v: "ab")', '0x6162'],
    ['length(arr: [1, 2, 3])', '3'],
    ['contains(value: 2, set: [1, 2])', 'true'],
    ['contains(value: "x", set: ["a"])', 'false'],
    ['display(v: {b: 1, a: "x"})', '{a: x, b: 1}'],
    ['linearBins(start: 0.0, width: 10.0, count: 2)', '[0, 10, +Inf]'],
    ['logarithmicBins(start: 1.0, factor: 2.0, count: 3, infinity: false)', '[1, 2, 4]'],
    ['today()', '2020-01-01T00:00:00.000000000Z'],
  ])('%s = %s', async (expr, want) => {
    expect(await evalFlux(expr)).toBe(want);
  });

  it.each([
    ['int(v: "4x")', 'cannot convert string "4x" to int due to invalid syntax'],
    ['bool(v: 2)', 'cannot convert int 2 to bool, must be 0 or 1'],
    ['float(v: 2020-01-01T00:00:00Z)', 'cannot convert time to float'],
    ['uint(v: "-1")', 'cannot convert string "-1" to uint due to invalid syntax'],
    ['bytes(v: {a: 1}.b)', 'cannot convert null to bytes'],
  ])('%s fails: %s', async (expr, message) => {
    await expect(evalFlux(expr)).rejects.toThrow(message);
  });

  it('a null converts to a typed null (a column of that type)', async () => {
    const t = await programTables(`import "array"
      array.from(rows: [{a: 1}, {a: 2}]) |> map(fn: (r) => ({v: float(v: if r.a == 1 then r.nope else "2.5")}))`);
    expect(t[0]!.rows).toEqual([[null], [2.5]]);
  });
});

describe('toX on _value columns', () => {
  // Typed-array fast paths and the per-value path must agree (nulls included).
  it.each([
    ['toFloat', 'int', '[1, -2, 3]', [1, -2, 3, null]],
    ['toFloat', 'uint', '[uint(v: 1), uint(v: 2), uint(v: 3)]', [1, 2, 3, null]],
    ['toFloat', 'bool', '[true, false, true]', [1, 0, 1, null]],
    ['toInt', 'float', '[1.9, -1.9, 3.0]', [1n, -1n, 3n, null]],
    ['toInt', 'uint', '[uint(v: 1), uint(v: 2), uint(v: 3)]', [1n, 2n, 3n, null]],
    ['toUInt', 'int', '[1, -1, 3]', [1n, 18446744073709551615n, 3n, null]],
    ['toTime', 'int', '[0, 1, 2]', ['1970-01-01T00:00:00.000000000Z', '1970-01-01T00:00:00.000000001Z', '1970-01-01T00:00:00.000000002Z', null]],
    ['toString', 'float', '[1.5, 2.0, -0.25]', ['1.5', '2', '-0.25', null]],
    ['toBool', 'string', '["true", "false", "true"]', [true, false, true, null]],
  ])('%s from %s', async (fn, _type, values, want) => {
    const t = await programTables(`import "array"
      vs = ${values}
      array.from(rows: [{i: 0}, {i: 1}, {i: 2}, {i: 3}])
        |> map(fn: (r) => ({_value: if r.i < 3 then vs[r.i] else vs[0], i: r.i}))
        |> map(fn: (r) => ({r with _value: if r.i == 3 then r.nope else r._value}))
        |> ${fn}() |> keep(columns: ["_value"])`);
    expect(t[0]!.rows.map((r) => r[0])).toEqual(want);
  });
});

describe('table extraction', () => {
  const TABLES = `import "array"
    d = array.from(rows: [{k: "x", v: 1}, {k: "x", v: 2}, {k: "y", v: 3}]) |> group(columns: ["k"])`;
  it.each([
    ['d |> tableFind(fn: (key) => key.k == "y") |> getColumn(column: "v")', '[3]'],
    ['d |> tableFind(fn: (key) => key.k == "x") |> getRecord(idx: 1)', '{k: x, v: 2}'],
    ['d |> findColumn(fn: (key) => key.k == "x", column: "v")', '[1, 2]'],
    ['d |> findColumn(fn: (key) => key.k == "z", column: "v")', '[]'],
    ['d |> findRecord(fn: (key) => key.k == "z", idx: 0)', '{}'],
  ])('%s = %s', async (expr, want) => {
    expect(await evalFlux(expr, TABLES)).toBe(want);
  });

  it.each([
    ['d |> tableFind(fn: (key) => key.k == "z") |> getColumn(column: "v")', 'no table found'],
    ['d |> tableFind(fn: (key) => true) |> getColumn(column: "w")', 'cannot find column w'],
    ['d |> tableFind(fn: (key) => true) |> getRecord(idx: 5)', 'index out of bounds: 5'],
  ])('%s fails: %s', async (expr, message) => {
    await expect(evalFlux(expr, TABLES)).rejects.toThrow(message);
  });
});
