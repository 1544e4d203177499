import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compiledAndEvaluated, programOutcome } from '../universe/aggregates/program-tables.js';

/**
 * math's float functions declare their scalar form, so row functions calling them compile to
 * column kernels. They must give what evaluating the function per row gives (a block of two
 * statements is not compiled): NaN, ±Inf, -0 included, and a column with nulls left to the
 * builtin.
 */

const floatArb = fc.constantFrom('1.5', '-2.5', '0.0', '-0.0', '2.0', '100.25', 'float(v: "NaN")', 'float(v: "-Inf")', 'float(v: "1e308")');
const calls = ['math.abs(x: r.a)', 'math.round(x: r.a)', 'math.floor(x: r.a)', 'math.sqrt(x: r.a)', 'math.pow(x: r.a, y: 2.0)', 'math.mMax(x: r.a, y: r.b)', 'math.atan2(y: r.a, x: r.b)', 'math.mod(x: r.a, y: r.b)', 'math.log(x: r.b)'];

describe('math functions compiled as column kernels', () => {
  it('map gives what the functions give per row', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(floatArb, fc.option(floatArb, { nil: null, freq: 8 })), { minLength: 1, maxLength: 8 }),
        fc.subarray(calls, { minLength: 1, maxLength: 3 }),
        async (rows, picked) => {
          const lit = rows.map(([a, b]) => `{a: ${a}, b: ${b ?? 'debug.null(type: "float")'}}`).join(', ');
          const record = picked.map((c, k) => `c${k}: ${c}`).join(', ');
          const src = (fn: string): string => `import "array"\nimport "math"\nimport "internal/debug"\narray.from(rows: [${lit}]) |> map(fn: ${fn})`;
          const [asWritten, inBlock] = compiledAndEvaluated('r', `({${record}})`);
          const compiled = await programOutcome(src(asWritten));
          const evaluated = await programOutcome(src(inBlock));
          expect(compiled).toEqual(evaluated);
          if (typeof compiled !== 'string') answered++;
        },
      ),
      { numRuns: 150 },
    );
    expect(answered).toBeGreaterThan(50);
  });
});
