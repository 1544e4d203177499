import { describe, expect, it } from 'vitest';
import { runRows, runTables } from '../experimental/run-tables.js';

const DATA = `import "array"
import "join"
left = array.from(rows: [
    {g: 1, id: "a", _value: 1.0},
    {g: 1, id: "c", _value: 3.0},
    {g: 2, id: "a", _value: 10.0},
]) |> group(columns: ["g"])
right = array.from(rows: [
    {g: 1, id: "b", v: 20},
    {g: 1, id: "a", v: 10},
    {g: 1, id: "a", v: 11},
    {g: 3, id: "z", v: 99},
]) |> group(columns: ["g"])
as = (l, r) => ({g: if exists l.g then l.g else r.g, id: if exists l.id then l.id else r.id, lv: l._value, rv: r.v})
`;

describe('join.tables', () => {
  it.each([
    ['inner', [[1, 'a', 1, '10'], [1, 'a', 1, '11']]],
    ['left', [[1, 'a', 1, '10'], [1, 'a', 1, '11'], [1, 'c', 3, null], [2, 'a', 10, null]]],
    ['right', [[1, 'a', 1, '10'], [1, 'a', 1, '11'], [1, 'b', null, '20'], [3, 'z', null, '99']]],
    [
      'full',
      [[1, 'a', 1, '10'], [1, 'a', 1, '11'], [1, 'b', null, '20'], [1, 'c', 3, null], [2, 'a', 10, null], [3, 'z', null, '99']],
    ],
  ])('%s join: rows ordered by the join key, unmatched rows with default records (a column only ever null is absent)', async (method, want) => {
    const rows = await runRows(`${DATA}\njoin.tables(method: "${method}", left: left, right: right, on: (l, r) => l.id == r.id, as: as)`);
    expect(rows.map((r) => [Number(r.g), r.id, r.lv ?? null, r.rv ?? null])).toEqual(want);
  });

  it('keeps the input group key on the output', async () => {
    const tables = await runTables(`${DATA}\njoin.inner(left: left, right: right, on: (l, r) => l.id == r.id, as: as)`);
    expect(tables.map((t) => t.key)).toEqual([{ g: '1' }]);
  });

  it('join.time joins on _time', async () => {
    const rows = await runRows(`import "array"
import "join"
a = array.from(rows: [{_time: 2021-01-01T00:00:00Z, x: 1}, {_time: 2021-01-01T00:00:10Z, x: 2}])
b = array.from(rows: [{_time: 2021-01-01T00:00:10Z, y: 3}])
join.time(left: a, right: b, as: (l, r) => ({l with y: r.y}))`);
    expect(rows).toEqual([{ _time: '2021-01-01T00:00:10Z', x: '2', y: '3' }]);
  });

  it.each([
    ['a non-equality predicate', '(l, r) => l.id != r.id', /conjunction of equality comparisons/],
    ['a comparison with a literal', '(l, r) => l.id == "a"', /conjunction of equality comparisons/],
    ['or', '(l, r) => l.id == r.id or l.g == r.g', /conjunction of equality comparisons/],
  ])('rejects %s', async (_, on, want) => {
    await expect(runRows(`${DATA}\njoin.tables(method: "inner", left: left, right: right, on: ${on}, as: as)`)).rejects.toThrow(want);
  });

  it('rejects an unknown method', async () => {
    await expect(runRows(`${DATA}\njoin.tables(method: "outer", left: left, right: right, on: (l, r) => l.id == r.id, as: as)`)).rejects.toThrow(
      /invalid join method "outer"/,
    );
  });
});
