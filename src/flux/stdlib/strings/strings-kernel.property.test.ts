import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compiledAndEvaluated, programOutcome } from '../universe/aggregates/program-tables.js';

/**
 * strings functions that cannot fail declare a scalar form, so row functions calling them compile
 * to column kernels (RowExpr 'call'). They must give what evaluating the function per row gives
 * (a block of two statements is not compiled), and a column with nulls is left to the builtin
 * (whose error a null argument is).
 */

const wordArb = fc.constantFrom('host_1', 'Host_12', '  pad ', 'straße', 'ǳ', '', 'a.b');
const calls = [
  'strings.hasPrefix(v: r.s, prefix: "host_1")',
  'strings.hasSuffix(v: r.s, suffix: "2")',
  'strings.containsStr(v: r.s, substr: r.t)',
  'strings.equalFold(v: r.s, t: "HOST_1")',
];
const mapped = ['strings.toUpper(v: r.s)', 'strings.toLower(v: r.t)', 'strings.trimSpace(v: r.s)', 'strings.trimPrefix(v: r.s, prefix: "host")', 'strings.title(v: r.s)', 'strings.trim(v: r.s, cutset: " _")'];

function program(rows: readonly [string, string | null][], body: string, compiled: boolean, transform: 'filter' | 'map'): string {
  const lit = rows.map(([s, t]) => `{s: "${s}", t: ${t === null ? 'debug.null(type: "string")' : `"${t}"`}}`).join(', ');
  const fn = compiledAndEvaluated('r', body)[compiled ? 0 : 1];
  return `import "array"\nimport "strings"\nimport "internal/debug"\narray.from(rows: [${lit}]) |> ${transform}(fn: ${fn})`;
}

describe('strings functions compiled as column kernels', () => {
  it('filter and map give what the functions give per row', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(wordArb, fc.option(wordArb, { nil: null, freq: 8 })), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...calls),
        fc.constantFrom(...mapped),
        async (rows, predicate, field) => {
          for (const [transform, body] of [
            ['filter', `${predicate} or r.s == "a.b"`],
            ['map', `({r with u: ${field}, hit: ${predicate}})`],
          ] as const) {
            const compiled = await programOutcome(program(rows, body, true, transform));
            const evaluated = await programOutcome(program(rows, body, false, transform));
            expect(compiled).toEqual(evaluated);
            if (typeof compiled !== 'string') answered++;
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(answered).toBeGreaterThan(150);
  });
});
