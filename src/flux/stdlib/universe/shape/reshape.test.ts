import { describe, expect, it } from 'vitest';
import { programTables, type PlainTable } from './program-tables.js';

const ARRAY = 'import "array"\n';

interface Case {
  readonly name: string;
  readonly query: string;
  readonly want: PlainTable[];
}

const cases: Case[] = [
  {
    name: 'pivot: row key + pivoted columns in first-seen order, last value wins, absent cells null',
    query: `array.from(rows: [
        {t: 1, f: "b", v: 1.0}, {t: 1, f: "a", v: 2.0}, {t: 2, f: "a", v: 3.0}, {t: 2, f: "a", v: 4.0},
      ]) |> pivot(rowKey: ["t"], columnKey: ["f"], valueColumn: "v")`,
    want: [{ key: [], columns: ['t', 'b', 'a'], rows: [[1n, 1, 2], [2n, null, 4]] }],
  },
  {
    name: 'pivot: key columns stay (minus the column key), tables with equal new keys merge',
    query: `array.from(rows: [
        {h: "x", f: "a", t: 1, v: 1}, {h: "x", f: "b", t: 1, v: 2}, {h: "y", f: "a", t: 1, v: 3},
      ]) |> group(columns: ["h", "f"]) |> pivot(rowKey: ["t"], columnKey: ["f"], valueColumn: "v")`,
    want: [
      { key: ['h'], columns: ['h', 't', 'a', 'b'], rows: [['x', 1n, 1n, 2n]] },
      { key: ['h'], columns: ['h', 't', 'a'], rows: [['y', 1n, 3n]] },
    ],
  },
  {
    name: 'pivot: several column keys join with _, non-string keys as text',
    query: `array.from(rows: [{t: 1, a: "x", n: 2, v: true}, {t: 1, a: "x", n: 3, v: false}])
      |> pivot(rowKey: ["t"], columnKey: ["a", "n"], valueColumn: "v")`,
    want: [{ key: [], columns: ['t', 'x_2', 'x_3'], rows: [[1n, true, false]] }],
  },
  {
    name: 'fill with a value; a missing column is added',
    query: `array.from(rows: [{a: 1, v: 1.0}, {a: 2, v: 2.0}]) |> map(fn: (r) => ({r with v: if r.a == 1 then r.nope else r.v}))
      |> fill(column: "v", value: 0.5) |> fill(column: "w", value: "z")`,
    want: [{ key: [], columns: ['a', 'v', 'w'], rows: [[1n, 0.5, 'z'], [2n, 2, 'z']] }],
  },
  {
    name: 'fill usePrevious leaves leading nulls',
    query: `array.from(rows: [{i: 0, v: 0}, {i: 1, v: 5}, {i: 2, v: 0}, {i: 3, v: 0}])
      |> map(fn: (r) => ({r with v: if r.v == 0 then r.nope else r.v})) |> fill(column: "v", usePrevious: true)`,
    want: [{ key: [], columns: ['i', 'v'], rows: [[0n, null], [1n, 5n], [2n, 5n], [3n, 5n]] }],
  },
  {
    name: 'union concatenates streams; equal keys merge',
    query: `a = array.from(rows: [{k: "x", v: 1}]) |> group(columns: ["k"])
      b = array.from(rows: [{k: "y", v: 2}, {k: "x", v: 3}]) |> group(columns: ["k"])
      union(tables: [a, b])`,
    want: [
      { key: ['k'], columns: ['k', 'v'], rows: [['y', 2n]] },
      { key: ['k'], columns: ['k', 'v'], rows: [['x', 1n], ['x', 3n]] },
    ],
  },
  {
    name: 'columns and keys list labels with the key columns',
    query: `d = array.from(rows: [{k: "x", v: 1}]) |> group(columns: ["k"])
      d |> columns() |> yield(name: "c")
      d |> keys(column: "label") |> yield(name: "k")`,
    want: [
      { key: ['k'], columns: ['k', '_value'], rows: [['x', 'k'], ['x', 'v']] },
      { key: ['k'], columns: ['k', 'label'], rows: [['x', 'k']] },
    ],
  },
  {
    name: 'keyValues: distinct (column, value) pairs in row order',
    query: `array.from(rows: [{g: "x", a: "p", b: "q"}, {g: "x", a: "p", b: "r"}]) |> group(columns: ["g"])
      |> keyValues(keyColumns: ["a", "b"])`,
    want: [{ key: ['g'], columns: ['g', '_key', '_value'], rows: [['x', 'a', 'p'], ['x', 'b', 'q'], ['x', 'b', 'r']] }],
  },
  {
    name: 'reduce: key columns, then accumulator fields by label',
    query: `array.from(rows: [{k: "x", v: 1}, {k: "x", v: 2}, {k: "y", v: 5}]) |> group(columns: ["k"])
      |> reduce(identity: {sum: 0, count: 0}, fn: (r, accumulator) => ({sum: accumulator.sum + r.v, count: accumulator.count + 1}))`,
    want: [
      { key: ['k'], columns: ['k', 'count', 'sum'], rows: [['x', 2n, 3n]] },
      { key: ['k'], columns: ['k', 'count', 'sum'], rows: [['y', 1n, 5n]] },
    ],
  },
  {
    name: 'join: inner on _time, shared columns suffixed by side name, columns sorted',
    query: `l = array.from(rows: [{_time: 2020-01-01T00:00:00Z, v: 1}, {_time: 2020-01-01T00:00:10Z, v: 2}])
      r = array.from(rows: [{_time: 2020-01-01T00:00:10Z, v: 20, x: "q"}, {_time: 2020-01-01T00:00:20Z, v: 30, x: "w"}])
      join(tables: {right: r, left: l}, on: ["_time"])`,
    want: [{ key: [], columns: ['_time', 'v_left', 'v_right', 'x'], rows: [['2020-01-01T00:00:10.000000000Z', 2n, 20n, 'q']] }],
  },
  {
    name: 'join: pairs tables by the on-columns in both keys; output key is the union',
    query: `l = array.from(rows: [{h: "a", t: 1, v: 1}, {h: "b", t: 1, v: 2}]) |> group(columns: ["h"])
      r = array.from(rows: [{h: "a", t: 1, w: 10}, {h: "b", t: 1, w: 20}, {h: "b", t: 1, w: 21}]) |> group(columns: ["h"])
      join(tables: {l: l, r: r}, on: ["t", "h"])`,
    want: [
      { key: ['h'], columns: ['h', 't', 'v', 'w'], rows: [['a', 1n, 1n, 10n]] },
      { key: ['h'], columns: ['h', 't', 'v', 'w'], rows: [['b', 1n, 2n, 20n], ['b', 1n, 2n, 21n]] },
    ],
  },
  {
    name: 'join: null on-values never match; tables missing an on-column take no part',
    query: `l = array.from(rows: [{t: 1, v: 1}, {t: 2, v: 2}]) |> map(fn: (r) => ({r with t: if r.t == 2 then r.nope else r.t}))
      r = array.from(rows: [{t: 1, w: 10}, {t: 2, w: 20}]) |> map(fn: (r) => ({r with t: if r.t == 2 then r.nope else r.t}))
      other = array.from(rows: [{g: "x", w: 5}]) |> group(columns: ["g"])
      join(tables: {l: l, r: union(tables: [r, other])}, on: ["t"])`,
    want: [{ key: [], columns: ['t', 'v', 'w'], rows: [[1n, 1n, 10n]] }],
  },
];

describe('reshaping transformations', () => {
  it.each(cases)('$name', async ({ query, want }) => {
    expect(await programTables(ARRAY + query)).toEqual(want);
  });

  it.each([
    ['pivot with a missing value column', 'array.from(rows: [{t: 1}]) |> pivot(rowKey: ["t"], columnKey: ["t"], valueColumn: "v")', 'column name found in both rowKey and colKey: t'],
    ['fill with value and usePrevious', 'array.from(rows: [{t: 1}]) |> fill(value: 1, usePrevious: true)', 'fill requires exactly one of value or usePrevious'],
    ['fill with a mismatched type', 'array.from(rows: [{_value: 1}]) |> fill(value: "x")', 'fill column type mismatch: int/string'],
    ['union of one stream', 'union(tables: [array.from(rows: [{a: 1}])])', 'union must have at least two streams as input'],
    ['join without on', 'join(tables: {a: array.from(rows: [{a: 1}]), b: array.from(rows: [{a: 1}])}, on: [])', "at least one column in 'on' column list is required"],
    ['reduce producing a null', 'array.from(rows: [{a: 1}]) |> reduce(identity: {s: 0}, fn: (r, accumulator) => ({s: r.nope}))', 'null values are not supported for "s"'],
  ])('%s is an error', async (_, query, message) => {
    await expect(programTables(ARRAY + query)).rejects.toThrow(message);
  });
});
