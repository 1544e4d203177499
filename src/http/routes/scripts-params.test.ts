import { describe, expect, it } from 'vitest';
import { print } from '../../flux/syntax/index.js';
import { checkParamsProvided, fluxString, scriptParams, withPrelude } from './scripts-params.js';

describe('scriptParams', () => {
  const cases: [string, Record<string, string>][] = [
    ['from(bucket: params.bucket) |> range(start: params.start)', { bucket: 'string', start: 'any' }],
    ['x = params.n * 2\ny = params["quoted"]', { n: 'int', quoted: 'any' }],
    ['f = (r) => r._value > params.threshold + 1.5 or r.host == params.host or params.mode == "fast"', { threshold: 'float', host: 'any', mode: 'string' }],
    ['params = {a: 1}\nx = 1', {}],
    ['import "array"\narray.from(rows: [{v: 1}])', {}],
  ];
  for (const [script, want] of cases) {
    it(script, () => {
      expect(Object.fromEntries(scriptParams(script))).toEqual(want);
    });
  }

  it('requires every referenced parameter (null counts as missing)', () => {
    const script = 'from(bucket: params.bucket) |> range(start: params.start)';
    expect(() => checkParamsProvided(script, { bucket: 'b', start: '-1h' })).not.toThrow();
    expect(() => checkParamsProvided(script, { bucket: 'b' })).toThrow('invalid parameters provided');
    expect(() => checkParamsProvided(script, { bucket: 'b', start: null })).toThrow('invalid parameters provided');
  });
});

describe('withPrelude', () => {
  it('puts the prelude after the imports and before the script', () => {
    const out = print(withPrelude('import "array"\narray.from(rows: [{v: task.name}])', 'option task = {name: "n", every: 1h}\n'));
    const lines = out.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toBe('import "array"');
    expect(lines[1]).toContain('option task = {name: "n", every: 1h}');
    expect(lines.at(-1)).toContain('array.from');
  });

  it('quotes strings as Flux literals', () => {
    expect(fluxString('a "b" \\ ${c}\n')).toBe('"a \\"b\\" \\\\ \\${c}\\n"');
  });
});
