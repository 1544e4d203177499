import { describe, expect, it } from 'vitest';
import { displayExpression } from '../runtime/display-expression.js';

describe('array functions', () => {
  it.each([
    ['[1, 2] |> array.concat(v: [3])', '[1, 2, 3]'],
    ['array.concat(arr: [], v: ["a"])', '[a]'],
    ['[1, 2, 3] |> array.map(fn: (x) => x * 10)', '[10, 20, 30]'],
    ['[1, 2, 3] |> array.map(fn: (x) => ({v: x}))', '[{v: 1}, {v: 2}, {v: 3}]'],
    ['[1, 2, 3, 4] |> array.filter(fn: (x) => x % 2 == 0)', '[2, 4]'],
  ])('%s = %s', async (expr, want) => {
    expect(await displayExpression(expr)).toBe(want);
  });

  it.each([
    ['[1, 0] |> xarray.toBool()', '[true, false]'],
    ['["1", "2"] |> xarray.toInt()', '[1, 2]'],
    ['[1, 2] |> xarray.toFloat() |> xarray.map(fn: (x) => x / 4.0)', '[0.25, 0.5]'],
    ['[1, 2] |> xarray.toString() |> xarray.map(fn: (x) => x + "!")', '[1!, 2!]'],
    ['["1h"] |> xarray.toDuration()', '[1h]'],
    ['[1, 2] |> xarray.concat(v: [3]) |> xarray.map(fn: (x) => x + 1)', '[2, 3, 4]'],
  ])('experimental/array: %s = %s', async (expr, want) => {
    expect(await displayExpression(expr, 'import xarray "experimental/array"')).toBe(want);
  });
});
