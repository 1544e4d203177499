import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compiledAndEvaluated, programOutcome } from './aggregates/program-tables.js';

/**
 * `contains(value: r.x, set: [...])` in a row function compiles to a membership kernel (RowExpr
 * 'in'). It must answer as the builtin does, evaluated per row (a block of two statements is not
 * compiled): nulls in no set, NaN equal to NaN, -0 equal to 0, and sets with nulls or of other
 * types left to the builtin.
 */

const valueArb = fc.constantFrom('1.5', '0.0', '-0.0', 'float(v: "NaN")', 'debug.null(type: "float")', '2.0');
const setArb = fc.constantFrom('[1.5, 2.0]', '[0.0]', '[-0.0, 7.0]', '[float(v: "NaN")]', '[]', '[1.5, debug.null(type: "float")]', 'hosts');
const stringSetArb = fc.constantFrom('["a", "b"]', '[""]', '["b"]', 'names');

function program(values: readonly string[], tags: readonly string[], predicate: string, compiled: boolean): string {
  const rows = values.map((v, i) => `{v: ${v}, s: "${tags[i % tags.length]!}", i: ${i}}`).join(', ');
  const fn = compiledAndEvaluated('r', predicate)[compiled ? 0 : 1];
  return `import "array"\nimport "internal/debug"\nhosts = [2.0, float(v: "NaN")]\nnames = ["a", ""]\narray.from(rows: [${rows}]) |> filter(fn: ${fn})`;
}

describe('contains() compiled as a membership kernel', () => {
  it('keeps the rows the builtin keeps', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(valueArb, { minLength: 1, maxLength: 10 }),
        fc.array(fc.constantFrom('a', 'b', ''), { minLength: 1, maxLength: 3 }),
        setArb,
        stringSetArb,
        fc.boolean(),
        async (values, tags, set, stringSet, negate) => {
          const predicate = `${negate ? 'not ' : ''}contains(value: r.v, set: ${set}) or contains(value: r.s, set: ${stringSet})`;
          const compiled = await programOutcome(program(values, tags, predicate, true));
          const evaluated = await programOutcome(program(values, tags, predicate, false));
          expect(compiled).toEqual(evaluated);
          if (typeof compiled !== 'string') answered++;
        },
      ),
      { numRuns: 200 },
    );
    expect(answered).toBeGreaterThan(150);
  });
});
