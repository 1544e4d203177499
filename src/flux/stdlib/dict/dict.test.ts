import { describe, expect, it } from 'vitest';
import { displayExpression } from '../runtime/display-expression.js';

const P = 'import "dict"\nd = dict.fromList(pairs: [{key: "b", value: 2}, {key: "a", value: 1}, {key: "b", value: 3}])';

describe('dict', () => {
  it.each([
    // Sorted by key; a repeated key keeps its last value.
    ['d', '[a: 1, b: 3]'],
    ['dict.get(dict: d, key: "a", default: 0)', '1'],
    ['dict.get(dict: d, key: "z", default: 0)', '0'],
    ['dict.insert(dict: d, key: "c", value: 4)', '[a: 1, b: 3, c: 4]'],
    ['dict.insert(dict: d, key: "a", value: 9)', '[a: 9, b: 3]'],
    ['dict.remove(dict: d, key: "a")', '[b: 3]'],
    ['dict.get(dict: dict.insert(dict: dict.fromList(pairs: []), key: 1, value: "x"), key: 1, default: "")', 'x'],
  ])('%s = %s', async (expr, want) => {
    expect(await displayExpression(expr, P)).toBe(want);
  });
});
