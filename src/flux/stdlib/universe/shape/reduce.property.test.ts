import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compiledAndEvaluated, programOutcome } from '../aggregates/program-tables.js';

/**
 * reduce() runs a `(r, accumulator) => ({…})` body it can compile as a fold over the columns
 * (compileFold), and evaluates it per row otherwise. The two must agree, results and errors:
 * here the same body in a block of two statements (never compiled) is the reference.
 */

const rowArb = fc.record({
  host: fc.constantFrom('a', 'b'),
  v: fc.option(fc.constantFrom(-2.5, 0, 1, 3.75, 10), { nil: null, freq: 6 }),
  i: fc.integer({ min: -5, max: 5 }),
  s: fc.constantFrom('x', 'yy'),
});

const bodies: [identity: string, fields: string][] = [
  ['{sum: 0.0, n: 0}', 'sum: r.v + accumulator.sum, n: accumulator.n + 1'],
  ['{sum: 0.0, n: 0}', 'n: accumulator.n + r.i, sum: accumulator.sum * 2.0 - r.v'],
  ['{max: -100.0}', 'max: if r.v > accumulator.max then r.v else accumulator.max'],
  ['{total: 0, seen: false}', 'accumulator with total: accumulator.total + r.i'],
  ['{total: 0, seen: false}', 'total: accumulator.total + r.i, seen: accumulator.seen or r.i > 3'],
  ['{last: ""}', 'last: r.s'],
  ['{host: "", n: 0}', 'host: r.host, n: accumulator.n + 1'],
  ['{n: 0}', 'n: accumulator.n + 1.0'],
  ['{n: 0, m: 0}', 'n: accumulator.n + 1'],
  ['{x: 0.0}', 'x: r.nope'],
  // Every field reads the accumulator before any is replaced.
  ['{a: 0, b: 0}', 'a: accumulator.a + r.i, b: accumulator.a * 2 + accumulator.b'],
  ['{a: 0, b: 0, c: 0.0}', 'c: accumulator.c + r.v, a: accumulator.a + r.i, b: accumulator.a * 2 + accumulator.b'],
];

function program(rows: readonly { host: string; v: number | null; i: number; s: string }[], identity: string, body: string): string {
  const lit = rows
    .map((r) => `{host: "${r.host}", v: ${r.v === null ? 'debug.null(type: "float")' : r.v.toFixed(2)}, i: ${r.i}, s: "${r.s}"}`)
    .join(',\n');
  return `import "array"\nimport "internal/debug"\narray.from(rows: [${lit}]) |> group(columns: ["host"]) |> reduce(identity: ${identity}, fn: ${body})`;
}

describe('reduce: a compiled fold agrees with evaluating the function per row', () => {
  it('same tables or the same error', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 20 }), fc.constantFrom(...bodies), async (rows, [identity, fields]) => {
        const [asWritten, inBlock] = compiledAndEvaluated('r, accumulator', `({${fields}})`);
        const compiled = await programOutcome(program(rows, identity, asWritten));
        const evaluated = await programOutcome(program(rows, identity, inBlock));
        expect(compiled).toEqual(evaluated);
        if (typeof compiled !== 'string') answered++;
      }),
      { numRuns: 150 },
    );
    expect(answered).toBeGreaterThan(60);
  });
});
