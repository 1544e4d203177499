import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compiledAndEvaluated, programOutcome } from './aggregates/program-tables.js';

/**
 * `float(v:)`, `int(v:)`, `uint(v:)`, `string(v:)` in a map body compile to conversion kernels
 * (RowExpr 'convert') for the operand types whose conversion cannot fail. They must give what
 * the builtins give evaluated per row (a block of two statements is not compiled), including
 * NaN, ±Inf and out-of-range floats to integers, negative ints to uint, -0, nulls and times.
 */

const floatArb = fc.constantFrom('1.5', '-2.75', '0.0', '-0.0', 'float(v: "1e300")', 'float(v: "-1e19")', 'float(v: "9.3e18")', 'float(v: "NaN")', 'float(v: "+Inf")', 'debug.null(type: "float")', '0.1');
const intArb = fc.constantFrom('0', '-1', '9223372036854775807', '(-9223372036854775807 - 1)', '42', 'debug.null(type: "int")');
const boolArb = fc.constantFrom('true', 'false', 'debug.null(type: "bool")');
const timeArb = fc.constantFrom('2020-01-01T00:00:00Z', '2020-01-01T00:00:00.5Z', '1969-12-31T23:59:59.999999999Z');

const fields = ['float(v: r.f)', 'int(v: r.f)', 'uint(v: r.f)', 'string(v: r.f)', 'float(v: r.i)', 'uint(v: r.i)', 'string(v: r.i)', 'int(v: r.b)', 'float(v: r.b)', 'string(v: r.b)', 'int(v: r.t)', 'string(v: r.t)', 'uint(v: r.t)', 'float(v: r.s)', 'string(v: r.s)'];

describe('conversions compiled as column kernels', () => {
  it('give what the builtins give per row', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(floatArb, intArb, boolArb, timeArb, fc.constantFrom('"1.5"', '"-3"')), { minLength: 1, maxLength: 8 }),
        fc.subarray(fields, { minLength: 1, maxLength: 4 }),
        async (rows, picked) => {
          const lit = rows.map(([f, i, b, t, s]) => `{f: ${f}, i: ${i}, b: ${b}, t: ${t}, s: ${s}}`).join(', ');
          const record = picked.map((f, k) => `c${k}: ${f}`).join(', ');
          const src = (body: string): string => `import "array"\nimport "internal/debug"\narray.from(rows: [${lit}]) |> map(fn: ${body})`;
          const [asWritten, inBlock] = compiledAndEvaluated('r', `({${record}})`);
          const compiled = await programOutcome(src(asWritten));
          const evaluated = await programOutcome(src(inBlock));
          expect(compiled).toEqual(evaluated);
          if (typeof compiled !== 'string') answered++;
        },
      ),
      { numRuns: 200 },
    );
    // Most cases answer (a string that is no number fails float() on purpose).
    expect(answered).toBeGreaterThan(100);
  });
});
