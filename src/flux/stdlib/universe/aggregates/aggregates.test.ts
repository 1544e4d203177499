import { describe, expect, it } from 'vitest';
import { programTables } from './program-tables.js';

/** Two series, host a and b; b has a null value. Values: a = 1, 2, 6; b = 4, null, 8. */
const DATA = `import "array"
data = array.from(rows: [
    {_time: 2020-01-01T00:00:00Z, host: "a", _value: 1.0, i: 1, u: uint(v: 1), s: "x"},
    {_time: 2020-01-01T00:00:10Z, host: "a", _value: 2.0, i: 2, u: uint(v: 2), s: "y"},
    {_time: 2020-01-01T00:00:20Z, host: "a", _value: 6.0, i: 6, u: uint(v: 6), s: "x"},
    {_time: 2020-01-01T00:00:00Z, host: "b", _value: 4.0, i: 4, u: uint(v: 4), s: "z"},
    {_time: 2020-01-01T00:00:10Z, host: "b", _value: debug.null(type: "float"), i: debug.null(type: "int"), u: debug.null(type: "uint"), s: debug.null(type: "string")},
    {_time: 2020-01-01T00:00:20Z, host: "b", _value: 8.0, i: 8, u: uint(v: 8), s: "z"},
]) |> group(columns: ["host"])
`;

async function run(pipe: string, pre = ''): Promise<{ cols: string[]; values: unknown[] }[]> {
  const tables = await programTables(`import "internal/debug"\n${DATA}\n${pre}\ndata ${pipe}`);
    // The aggregated column: `_value` when the output has one, else the last column.
  return tables.map((t) => {
    const label = t.cols.includes('_value') ? '_value' : t.cols[t.cols.length - 1]!;
    return { cols: t.cols, values: t.rows.map((r) => r[label]) };
  });
}

describe('aggregates: one row per table, key columns then the value column', () => {
  it.each([
    ['count()', [[3n], [3n]]], // nulls are counted: Flux counts rows
    ['sum()', [[9], [12]]],
    ['sum(column: "i")', [[9n], [12n]]], // sum keeps the type
    ['sum(column: "u")', [[9n], [12n]]],
    ['mean()', [[3], [6]]],
    ['mean(column: "i")', [[3], [6]]], // float from int
    ['spread()', [[5], [4]]],
    ['spread(column: "i")', [[5n], [4n]]],
    ['stddev()', [[Math.sqrt(7)], [Math.sqrt(8)]]],
    ['stddev(mode: "population")', [[Math.sqrt(14 / 3)], [2]]],
    ['median()', [[2], [6]]],
    ['median(method: "exact_mean")', [[2], [6]]],
    ['quantile(q: 0.25, method: "exact_mean")', [[1.5], [5]]],
    ['count(column: "s")', [[3n], [3n]]],
  ])('%s', async (pipe, want) => {
    const got = await run(`|> ${pipe}`);
    expect(got.map((t) => t.values)).toEqual(want);
    expect(got[0]!.cols[0]).toBe('host');
    expect(got[0]!.cols).toHaveLength(2);
  });

  it('skew is the population skewness', async () => {
    const [a] = await run('|> skew()');
    // values 1, 2, 6: mean 3, m2 = 14, m3 = -8 - 1 + 27 = 18 → sqrt(3)·18 / 14^1.5
    expect(a!.values[0]).toBeCloseTo((Math.sqrt(3) * 18) / Math.pow(14, 1.5), 12);
  });

  it.each([
    ['count()', 0n],
    ['sum()', null],
    ['mean()', null],
    ['spread()', null],
    ['stddev()', null],
  ])('%s of an empty table is one row holding %s', async (pipe, want) => {
    const got = await run(`|> filter(fn: (r) => r._value > 100.0, onEmpty: "keep") |> ${pipe}`);
    expect(got.map((t) => t.values)).toEqual([[want], [want]]);
  });

  it.each([
    ['sum(column: "s")', /unsupported aggregate column type string/],
    ['mean(column: "nope")', /column "nope" does not exist/],
    ['sum(column: "host")', /cannot aggregate columns that are part of the group key/],
    ['stddev(mode: "both")', /"both" is not a valid standard deviation mode/],
    ['quantile(q: 1.5)', /quantile must be between 0 and 1/],
    ['quantile(q: 0.5, method: "exact_mean", compression: 10.0)', /compression parameter is only valid for method estimate_tdigest/],
    ['quantile(q: 0.5, method: "median")', /unknown method median/],
    ['max(column: "s")', /MaxSelector has no implementation for type string/],
  ])('%s fails: %s', async (pipe, err) => {
    await expect(run(`|> ${pipe}`)).rejects.toThrow(err);
  });
});

describe('selectors: whole rows, nulls never selected', () => {
  it.each([
    ['first()', ['2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z']],
    ['last()', ['2020-01-01T00:00:20Z', '2020-01-01T00:00:20Z']],
    ['min()', ['2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z']],
    ['max()', ['2020-01-01T00:00:20Z', '2020-01-01T00:00:20Z']],
    ['quantile(q: 0.5, method: "exact_selector")', ['2020-01-01T00:00:10Z', '2020-01-01T00:00:00Z']],
    ['last(column: "s")', ['2020-01-01T00:00:20Z', '2020-01-01T00:00:20Z']],
  ])('%s', async (pipe, times) => {
    const tables = await programTables(`import "internal/debug"\n${DATA}\ndata |> ${pipe}`);
    expect(tables.map((t) => t.rows.map((r) => r._time))).toEqual(times.map((t) => [t]));
    expect(tables[0]!.cols).toEqual(['_time', 'host', '_value', 'i', 'u', 's']);
  });

  it('a selector on a table with only nulls yields an empty table', async () => {
    const tables = await programTables(
      `import "internal/debug"\n${DATA}\ndata |> filter(fn: (r) => r.host == "b" and not exists r._value) |> first()`,
    );
    expect(tables.map((t) => t.rows.length)).toEqual([0, 0].slice(0, tables.length));
  });

  it('ties keep the earliest row', async () => {
    const tables = await programTables(`import "array"
array.from(rows: [{_time: 2020-01-01T00:00:00Z, _value: 5}, {_time: 2020-01-01T00:00:01Z, _value: 5}, {_time: 2020-01-01T00:00:02Z, _value: 1}])
  |> max()`);
    expect(tables[0]!.rows[0]!._time).toBe('2020-01-01T00:00:00Z');
  });
});

describe('row sets', () => {
  it.each([
    ['distinct(column: "s")', [['x', 'y'], ['z', null]]],
    ['distinct(column: "host")', [['a'], ['b']]],
    ['distinct(column: "missing")', [[''], ['']]],
    ['unique(column: "s") |> keep(columns: ["host", "s"])', [['x', 'y'], ['z', null]]],
    ['mode(column: "s")', [['x'], [null]]], // Flux: a single distinct value is no mode either
    ['mode()', [[null], [null]]], // every value equally frequent: no mode
    ['sample(n: 2, pos: 1)', [[2], [null]]],
    ['sample(n: 2, pos: 0)', [[1, 6], [4, 8]]],
    ['top(n: 2)', [[6, 2], [null, 8]]], // sort puts nulls first in both directions
    ['bottom(n: 2)', [[1, 2], [null, 4]]], // nulls sort first
  ])('%s', async (pipe, want) => {
    expect((await run(`|> ${pipe}`)).map((t) => t.values)).toEqual(want);
  });

  it.each(['mode(column: "s")', 'distinct(column: "s")'])('%s puts the values in _value after the key', async (pipe) => {
    expect((await run(`|> ${pipe}`)).map((t) => t.cols)).toEqual([
      ['host', '_value'],
      ['host', '_value'],
    ]);
  });

  it.each([
    ['sample(n: 0)', /n must be a positive integer, but was 0/],
    ['sample(n: 2, pos: 2)', /pos must be less than n, but 2 >= 2/],
    ['unique(column: "nope")', /no column "nope" exists/],
  ])('%s fails: %s', async (pipe, err) => {
    await expect(run(`|> ${pipe}`)).rejects.toThrow(err);
  });
});
