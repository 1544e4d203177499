import { describe, expect, it } from 'vitest';
import { displayExpression } from '../runtime/display-expression.js';

const encode = (expr: string): Promise<string> => displayExpression(`string(v: json.encode(v: ${expr}))`, 'import "json"');

describe('json.encode', () => {
  it.each([
    ['{b: 1, a: "x"}', '{"a":"x","b":1}'],
    ['[1.5, float(v: "1e21"), 0.0000001]', '[1.5,1e+21,1e-7]'],
    ['{t: 2019-08-14T10:03:12.500Z, d: 1m30s, r: /.*/}', '{"d":"1m30s","r":".*","t":"2019-08-14T10:03:12.5Z"}'],
    ['[1: "hi", 2: "there"]', '{"1":"hi","2":"there"}'],
    ['"<a & b>"', '"\\u003ca \\u0026 b\\u003e"'],
    ['"q\\"\\n"', '"q\\"\\n"'],
    ['bytes(v: "hi")', '"aGk="'],
    ['[true, false]', '[true,false]'],
    ['uint(v: "18446744073709551615")', '18446744073709551615'],
  ])('%s', async (expr, want) => {
    expect(await encode(expr)).toBe(want);
  });

  it.each([
    ['(x) => x', /cannot encode a function value/],
    ['float(v: "NaN")', /unsupported value: NaN/],
  ])('rejects %s', async (expr, err) => {
    await expect(encode(expr)).rejects.toThrow(err);
  });
});
