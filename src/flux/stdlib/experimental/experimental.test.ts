import { describe, expect, it } from 'vitest';
import { runRows, runTables } from './run-tables.js';

const DATA = `
import "array"
import "experimental"
import "experimental/table"
data = array.from(rows: [
    {_time: 2021-01-01T00:00:00Z, host: "a", region: "x", _value: 1.0},
    {_time: 2021-01-01T00:00:10Z, host: "a", region: "y", _value: 2.0},
    {_time: 2021-01-01T00:00:20Z, host: "b", region: "x", _value: 4.0},
]) |> group(columns: ["host"])
`;

describe('experimental transformations', () => {
  it('group(mode: "extend") adds columns to each table key', async () => {
    const tables = await runTables(`${DATA}\ndata |> experimental.group(mode: "extend", columns: ["region"])`);
    expect(tables.map((t) => t.key)).toEqual([
      { host: 'a', region: 'x' },
      { host: 'a', region: 'y' },
      { host: 'b', region: 'x' },
    ]);
  });

  it('group rejects other modes', async () => {
    await expect(runTables(`${DATA}\ndata |> experimental.group(mode: "by", columns: ["region"])`)).rejects.toThrow(/unknown group mode/);
  });

  it('set overwrites key columns (merging tables) and appends new ones', async () => {
    const tables = await runTables(`${DATA}\ndata |> experimental.set(o: {host: "z", note: "n"})`);
    expect(tables).toHaveLength(1);
    expect(tables[0]!.key).toEqual({ host: 'z' });
    expect(tables[0]!.rows.map((r) => [r.host, r.note, r._value])).toEqual([
      ['z', 'n', 1],
      ['z', 'n', 2],
      ['z', 'n', 4],
    ]);
  });

  it('objectKeys lists record labels in order', async () => {
    const rows = await runRows(`import "array"\nimport "experimental"\narray.from(rows: [{k: experimental.objectKeys(o: {b: 1, a: 2})[1]}])`);
    expect(rows).toEqual([{ k: 'a' }]);
  });

  it('alignTime moves each table to start at alignTo', async () => {
    const rows = await runRows(`${DATA}\ndata |> experimental.alignTime(alignTo: 2020-01-01T00:00:00Z)`);
    expect(rows.map((r) => r._time)).toEqual(['2020-01-01T00:00:00Z', '2020-01-01T00:00:10Z', '2020-01-01T00:00:00Z']);
  });

  it('join pairs rows of equal key and _time through fn', async () => {
    const rows = await runRows(`${DATA}
right = data |> map(fn: (r) => ({r with _value: r._value * 10.0}))
experimental.join(left: data, right: right, fn: (left, right) => ({left with r: right._value}))`);
    expect(rows.map((r) => [r._value, r.r])).toEqual([
      [1, 10],
      [2, 20],
      [4, 40],
    ]);
  });

  it('chain returns the second stream', async () => {
    const rows = await runRows(`${DATA}\nexperimental.chain(first: data, second: data |> filter(fn: (r) => r.host == "b"))`);
    expect(rows).toHaveLength(1);
  });

  it('preview limits rows and tables', async () => {
    const tables = await runTables(`${DATA}\ndata |> experimental.preview(nrows: 1, ntables: 1)`);
    expect(tables.map((t) => t.rows.length)).toEqual([1]);
  });

  it('aggregates and selectors work on _value', async () => {
    const cases: [string, unknown[]][] = [
      ['experimental.count()', ['2', '1']],
      ['experimental.sum()', [3, 4]],
      ['experimental.max()', [2, 4]],
      ['experimental.first()', [1, 4]],
    ];
    for (const [call, want] of cases) {
      const rows = await runRows(`${DATA}\ndata |> ${call}`);
      expect(rows.map((r) => r._value), call).toEqual(want);
    }
  });

  it('addDuration and subDuration use calendar arithmetic', async () => {
    const rows = await runRows(`import "array"
import "experimental"
array.from(rows: [{a: experimental.addDuration(d: 1mo, to: 2021-01-31T00:00:00Z), b: experimental.subDuration(d: 1d, from: 2021-03-01T00:00:00Z)}])`);
    expect(rows).toEqual([{ a: '2021-02-28T00:00:00Z', b: '2021-02-28T00:00:00Z' }]);
  });
});

describe('experimental.unpivot', () => {
  it('turns non-key columns into _field/_value tables, skipping nulls', async () => {
    const tables = await runTables(`import "array"
import "experimental"
import "internal/debug"
array.from(rows: [
    {_time: 2021-01-01T00:00:00Z, m: "cpu", a: 1.0, b: debug.null(type: "float")},
    {_time: 2021-01-01T00:00:10Z, m: "cpu", a: 2.0, b: 3.0},
]) |> group(columns: ["m"]) |> experimental.unpivot()`);
    expect(tables).toEqual([
      {
        key: { m: 'cpu', _field: 'a' },
        rows: [
          { m: 'cpu', _time: '2021-01-01T00:00:00Z', _field: 'a', _value: 1 },
          { m: 'cpu', _time: '2021-01-01T00:00:10Z', _field: 'a', _value: 2 },
        ],
      },
      { key: { m: 'cpu', _field: 'b' }, rows: [{ m: 'cpu', _time: '2021-01-01T00:00:10Z', _field: 'b', _value: 3 }] },
    ]);
  });

  it.each([
    ['a missing other column', '[{x: 1, _time: 2021-01-01T00:00:00Z}]', '["nope"]', /could not find column named "nope"/],
    ['an input _value column', '[{_value: 1, _time: 2021-01-01T00:00:00Z}]', '["_time"]', /can't have "_field" or "_value"/],
  ])('fails on %s', async (_, rows, other, want) => {
    await expect(runRows(`import "array"\nimport "experimental"\narray.from(rows: ${rows}) |> experimental.unpivot(otherColumns: ${other})`)).rejects.toThrow(want);
  });
});

describe('experimental.diff', () => {
  const table = (values: string) =>
    `array.from(rows: [${values
      .split(',')
      .map((v) => `{_time: 2021-01-01T00:00:0${v[0]}Z, k: "a", _value: ${v}}`)
      .join(', ')}]) |> group(columns: ["k"])`;
  it.each([
    ['equal streams', '1.0,2.0', '1.0,2.0', []],
    ['a changed row', '1.0,2.0', '1.0,3.0', ['', '-', '+']],
    ['a missing row in the middle', '1.0,2.0,3.0', '1.0,3.0', ['', '-', '']],
  ])('%s', async (_, want, got, marks) => {
    const rows = await runRows(`import "array"\nimport "experimental"\nexperimental.diff(want: ${table(want)}, got: ${table(got)})`);
    expect(rows.map((r) => r._diff)).toEqual(marks);
  });
});

describe('experimental.kaufmansAMA', () => {
  it('starts after n values with the efficiency-ratio smoothing', async () => {
    const rows = await runRows(`import "array"
import "experimental"
array.from(rows: [${[1, 2, 3, 4].map((v, i) => `{_time: 2021-01-01T00:00:0${i}Z, _value: ${v}.0}`).join(', ')}])
    |> experimental.kaufmansAMA(n: 2)`);
    // ER = 1 on a straight line, so sc = (2/3)^2 and kama moves 4/9 of the way each step.
    const k1 = 2 + (4 / 9) * (3 - 2);
    const k2 = k1 + (4 / 9) * (4 - k1);
    const got = rows.map((r) => r._value as number);
    expect(got).toHaveLength(2);
    expect(got[0]).toBeCloseTo(k1, 12);
    expect(got[1]).toBeCloseTo(k2, 12);
  });
});

describe('experimental/table and experimental/record', () => {
  it('table.fill gives an empty table one row of key values', async () => {
    const tables = await runTables(`${DATA}\ndata |> filter(fn: (r) => r.host == "zz", onEmpty: "keep") |> table.fill()`);
    expect(tables.map((t) => t.rows)).toEqual([
      [{ _time: null, host: 'a', region: null, _value: null }],
      [{ _time: null, host: 'b', region: null, _value: null }],
    ]);
  });

  it('record.get reads a field or falls back to the default', async () => {
    const rows = await runRows(`import "array"\nimport "experimental/record"\no = {x: 1}\narray.from(rows: [{a: record.get(r: o, key: "x", default: 0), b: record.get(r: o, key: "y", default: 7)}])`);
    expect(rows).toEqual([{ a: '1', b: '7' }]);
  });
});
