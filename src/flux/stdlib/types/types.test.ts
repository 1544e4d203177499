import { describe, expect, it } from 'vitest';
import { displayExpression } from '../runtime/display-expression.js';

describe('types', () => {
  it.each([
    ['types.isType(v: "a", type: "string")', 'true'],
    ['types.isType(v: 1, type: "int")', 'true'],
    ['types.isType(v: 1, type: "float")', 'false'],
    ['types.isType(v: uint(v: 1), type: "uint")', 'true'],
    ['types.isType(v: 1.5, type: "float")', 'true'],
    ['types.isType(v: true, type: "bool")', 'true'],
    ['types.isType(v: 2021-01-01T00:00:00Z, type: "time")', 'true'],
    ['types.isType(v: 1h, type: "duration")', 'true'],
    ['types.isType(v: /a/, type: "regexp")', 'true'],
    ['types.isType(v: bytes(v: "a"), type: "bytes")', 'true'],
    ['types.isNumeric(v: 1.5)', 'true'],
    ['types.isNumeric(v: uint(v: 3))', 'true'],
    ['types.isNumeric(v: "1")', 'false'],
  ])('%s = %s', async (expr, want) => {
    expect(await displayExpression(expr, 'import "types"')).toBe(want);
  });
});
