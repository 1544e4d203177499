import { describe, expect, it } from 'vitest';
import { runRows } from './run-tables.js';

const one = async (expr: string) =>
  (await runRows(`import "array"\nimport "experimental/dynamic"\nimport "internal/debug"\narray.from(rows: [{v: ${expr}}])`))[0]!.v;

describe('experimental/dynamic', () => {
  it.each([
    ['dynamic.dynamic(v: {a: 1}).a', '1'],
    ['dynamic.dynamic(v: {a: 1}).b', undefined],
    ['dynamic.isType(v: dynamic.dynamic(v: {a: 1}), type: "object")', true],
    ['dynamic.isType(v: dynamic.dynamic(v: [1: "x"]), type: "dictionary")', true],
    ['dynamic.isType(v: dynamic.dynamic(v: 1.5), type: "int")', false],
    ['dynamic.isType(v: debug.null(), type: "int")', false],
    ['length(arr: dynamic.asArray(v: dynamic.dynamic(v: [1, 2])))', '2'],
    ['string(v: dynamic.jsonEncode(v: dynamic.jsonParse(data: bytes(v: "{\\"a\\":[1,true,null]}"))))', '{"a":[1,true,null]}'],
  ])('%s', async (expr, want) => {
    expect(await one(expr)).toEqual(want);
  });

  it.each([
    ['member access on a non-record', 'dynamic.dynamic(v: 1).f', /cannot access property "f"/],
    ['asArray of a non-array', 'length(arr: dynamic.asArray(v: 1))', /unable to convert int/],
    ['invalid JSON', 'dynamic.isType(v: dynamic.jsonParse(data: bytes(v: "{")), type: "object")', /unable to parse JSON/],
  ])('fails on %s', async (_, expr, want) => {
    await expect(one(expr)).rejects.toThrow(want);
  });
});
