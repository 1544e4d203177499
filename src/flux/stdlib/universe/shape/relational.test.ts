import { describe, expect, it } from 'vitest';
import { programTables, type PlainTable } from './program-tables.js';

const T1 = '2020-01-01T00:00:10.000000000Z';
const T2 = '2020-01-01T00:00:20.000000000Z';

/** Four rows, two hosts, grouped by host. */
const DATA = `
import "array"
data = array.from(rows: [
  {_time: 2020-01-01T00:00:00Z, host: "a", _field: "f", _value: 1.0},
  {_time: 2020-01-01T00:00:10Z, host: "a", _field: "f", _value: 2.0},
  {_time: 2020-01-01T00:00:00Z, host: "b", _field: "f", _value: 3.0},
  {_time: 2020-01-01T00:00:20Z, host: "b", _field: "g", _value: 4.0},
]) |> group(columns: ["host"])
`;

interface Case {
  readonly name: string;
  readonly query: string;
  readonly want: PlainTable[];
}

const cases: Case[] = [
  {
    name: 'range keeps [start, stop), prepends _start/_stop and keys on them',
    query: 'data |> range(start: 2020-01-01T00:00:05Z, stop: 2020-01-01T00:00:20Z)',
    want: [
      {
        key: ['_start', '_stop', 'host'],
        columns: ['_start', '_stop', '_time', 'host', '_field', '_value'],
        rows: [['2020-01-01T00:00:05.000000000Z', T2, T1, 'a', 'f', 2]],
      },
      { key: ['_start', '_stop', 'host'], columns: ['_start', '_stop', '_time', 'host', '_field', '_value'], rows: [] },
    ],
  },
  {
    name: 'range with a duration is relative to now(); int bounds are Unix seconds',
    query: 'data |> range(start: 1577836810, stop: 1h) |> keep(columns: ["_time", "_stop"])',
    want: [
      { key: ['_stop'], columns: ['_stop', '_time'], rows: [['2020-01-01T01:00:00.000000000Z', T1], ['2020-01-01T01:00:00.000000000Z', T2]] },
    ],
  },
  {
    name: 'group by a column merges tables; rows keep input order',
    query: 'data |> group(columns: ["_field"]) |> keep(columns: ["_field", "_value"])',
    want: [
      { key: ['_field'], columns: ['_field', '_value'], rows: [['f', 1], ['f', 2], ['f', 3]] },
      { key: ['_field'], columns: ['_field', '_value'], rows: [['g', 4]] },
    ],
  },
  {
    name: 'group except keys on every other column',
    query: 'data |> group(columns: ["_time", "_value"], mode: "except") |> keep(columns: ["host", "_field", "_value"])',
    want: [
      { key: ['_field', 'host'], columns: ['host', '_field', '_value'], rows: [['a', 'f', 1], ['a', 'f', 2]] },
      { key: ['_field', 'host'], columns: ['host', '_field', '_value'], rows: [['b', 'f', 3]] },
      { key: ['_field', 'host'], columns: ['host', '_field', '_value'], rows: [['b', 'g', 4]] },
    ],
  },
  {
    name: 'group() ungroups into one table',
    query: 'data |> group() |> keep(columns: ["_value"])',
    want: [{ key: [], columns: ['_value'], rows: [[1], [2], [3], [4]] }],
  },
  {
    name: 'keep by predicate; dropping a key column merges the tables',
    query: 'data |> keep(fn: (column) => column == "_value")',
    want: [{ key: [], columns: ['_value'], rows: [[1], [2], [3], [4]] }],
  },
  {
    name: 'drop ignores missing columns and leaves the key when a key column goes',
    query: 'data |> drop(columns: ["_time", "nope", "_field"]) |> group() |> drop(fn: (column) => column == "host")',
    want: [{ key: [], columns: ['_value'], rows: [[1], [2], [3], [4]] }],
  },
  {
    name: 'keep with only unknown columns leaves empty tables',
    query: 'data |> keep(columns: ["nope"])',
    want: [{ key: [], columns: [], rows: [] }],
  },
  {
    name: 'rename by record renames key columns too',
    query: 'data |> filter(fn: (r) => r.host == "a") |> rename(columns: {host: "server", _value: "v"}) |> drop(columns: ["_time"])',
    want: [{ key: ['server'], columns: ['server', '_field', 'v'], rows: [['a', 'f', 1], ['a', 'f', 2]] }],
  },
  {
    name: 'rename by function',
    query: 'data |> filter(fn: (r) => r.host == "b") |> drop(columns: ["_time", "_field"]) |> rename(fn: (column) => "x" + column)',
    want: [{ key: ['xhost'], columns: ['xhost', 'x_value'], rows: [['b', 3], ['b', 4]] }],
  },
  {
    name: 'duplicate appends a copy',
    query: 'data |> filter(fn: (r) => r.host == "b") |> keep(columns: ["host", "_value"]) |> duplicate(column: "host", as: "h")',
    want: [{ key: ['host'], columns: ['host', '_value', 'h'], rows: [['b', 3, 'b'], ['b', 4, 'b']] }],
  },
  {
    name: 'set on a key column changes the key and merges',
    query: 'data |> keep(columns: ["host", "_value"]) |> set(key: "host", value: "all")',
    want: [{ key: ['host'], columns: ['host', '_value'], rows: [['all', 1], ['all', 2], ['all', 3], ['all', 4]] }],
  },
  {
    name: 'set adds a string column',
    query: 'data |> filter(fn: (r) => r.host == "a") |> keep(columns: ["_value"]) |> set(key: "unit", value: "s")',
    want: [{ key: [], columns: ['_value', 'unit'], rows: [[1, 's'], [2, 's']] }],
  },
  {
    name: 'sort desc, limit and tail per table',
    query: `data |> group() |> keep(columns: ["_value"]) |> sort(desc: true) |> limit(n: 3, offset: 1) |> tail(n: 1, offset: 1)`,
    want: [{ key: [], columns: ['_value'], rows: [[2]] }],
  },
];

describe('relational transformations', () => {
  it.each(cases)('$name', async ({ query, want }) => {
    expect(await programTables(`${DATA}\n${query}`)).toEqual(want);
  });

  it.each([
    ['asc', 'false', [null, 1n, 3n]],
    ['desc', 'true', [null, 3n, 1n]],
  ])('sort %s puts nulls first', async (_, desc, want) => {
    const t = await programTables(`import "array"
      array.from(rows: [{v: 3, k: 1}, {v: 1, k: 2}, {v: 0, k: 3}])
        |> map(fn: (r) => ({k: r.k, v: if r.v == 0 then r.nope else r.v}))
        |> sort(columns: ["v"], desc: ${desc})`);
    expect(t[0]!.rows.map((r) => r[1])).toEqual(want);
  });

  it.each([
    ['rename of a missing column', 'data |> rename(columns: {nope: "x"})', 'rename error: column "nope" doesn\'t exist'],
    ['duplicate of a missing column', 'data |> duplicate(column: "nope", as: "x")', 'duplicate error: column "nope" doesn\'t exist'],
    ['group with a bad mode', 'data |> group(mode: "sideways")', 'invalid group mode: must be "by" or "except"'],
    ['limit with a negative offset', 'data |> limit(n: 1, offset: -1)', 'limit offset cannot be negative (-1)'],
    ['an empty range', 'data |> range(start: 2020-01-01T00:00:00Z, stop: 2020-01-01T00:00:00Z)', 'cannot query an empty range'],
    ['keep with both columns and fn', 'data |> keep(columns: ["a"], fn: (column) => true)', 'keep error: both column list and predicate provided'],
    ['drop with neither columns nor fn', 'data |> drop()', 'drop error: neither column list nor predicate function provided'],
    ['rename with neither columns nor fn', 'data |> rename()', 'rename error: neither column list nor map function provided'],
    ['range over a table without _time', 'data |> drop(columns: ["_time"]) |> range(start: 0)', 'range error: supplied time column _time doesn\'t exist'],
  ])('%s is an error', async (_, query, message) => {
    await expect(programTables(`${DATA}\n${query}`)).rejects.toThrow(message);
  });

  it.each([
    ['sorted (a contiguous run)', '[1, 2, 3, 4, 5]', [2n, 3n, 4n]],
    ['unsorted (scattered rows)', '[5, 2, 1, 4, 3]', [2n, 4n, 3n]],
  ])('range keeps the rows in [start, stop) of %s', async (_, seconds, want) => {
    const rows = `${seconds}`.slice(1, -1).split(', ').map((x) => `{_time: time(v: ${x}000000000), v: ${x}}`).join(', ');
    const got = await programTables(`import "array"
      array.from(rows: [${rows}]) |> range(start: 2, stop: 5) |> keep(columns: ["v"])`);
    expect(got[0]!.rows.map((r) => r[0])).toEqual(want);
  });

  it('range intersects existing _start/_stop key bounds', async () => {
    const t = await programTables(`${DATA}
      data |> range(start: 2019-12-31T00:00:00Z, stop: 2020-01-01T00:00:15Z)
           |> range(start: 2020-01-01T00:00:05Z, stop: 2020-02-01T00:00:00Z)
           |> filter(fn: (r) => r.host == "a") |> keep(columns: ["_start", "_stop", "_value"])`);
    expect(t).toEqual([
      { key: ['_start', '_stop'], columns: ['_start', '_stop', '_value'], rows: [['2020-01-01T00:00:05.000000000Z', '2020-01-01T00:00:15.000000000Z', 2]] },
    ]);
  });
});
