import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { programTables } from '../aggregates/program-tables.js';

/**
 * `limit()` right after `sort()` asks sort for only the rows it keeps (row-selection.ts,
 * `sortedRows`), and top/bottom sort that way too. The tables must be exactly those of sorting
 * whole tables and then slicing: here a no-op filter between sort and limit is the reference.
 */

const rowArb = fc.record({
  t: fc.integer({ min: 0, max: 50 }),
  host: fc.constantFrom('a', 'b', 'c'),
  v: fc.option(fc.constantFrom(-1.5, 0, 2, 2, 3.25, 7, 1e9), { nil: null, freq: 5 }),
  s: fc.constantFrom('x', 'y', 'z'),
});

function program(rows: readonly { t: number; host: string; v: number | null; s: string }[], pipeline: string): string {
  const lit = rows
    .map((r) => `{_time: ${new Date(Date.UTC(2020, 0, 1) + r.t * 1000).toISOString()}, host: "${r.host}", _value: ${r.v === null ? 'debug.null(type: "float")' : r.v.toFixed(3)}, s: "${r.s}"}`)
    .join(',\n');
  return `import "array"\nimport "internal/debug"\narray.from(rows: [${lit}]) |> group(columns: ["host"]) ${pipeline}`;
}

describe('sort |> limit gathers only the rows it keeps', () => {
  it('same tables as slicing whole sorted tables', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 0, maxLength: 25 }),
        fc.constantFrom('', 'columns: ["s", "_value"]', 'columns: ["_time"], desc: true', 'desc: true', 'columns: ["host"]', 'columns: ["nope"]'),
        fc.constantFrom('n: 0', 'n: 1', 'n: 3', 'n: 3, offset: 2', 'n: 100', 'n: 2, offset: 40'),
        async (rows, sortArgs, limitArgs) => {
          const fused = await programTables(program(rows, `|> sort(${sortArgs}) |> limit(${limitArgs})`));
          const whole = await programTables(program(rows, `|> sort(${sortArgs}) |> filter(fn: (r) => true, onEmpty: "keep") |> limit(${limitArgs})`));
          expect(fused).toEqual(whole);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('top and bottom are sort |> limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 0, maxLength: 25 }), fc.integer({ min: 0, max: 6 }), async (rows, n) => {
        const top = await programTables(program(rows, `|> top(n: ${n})`));
        const bottom = await programTables(program(rows, `|> bottom(n: ${n}, columns: ["s", "_value"])`));
        expect(top).toEqual(await programTables(program(rows, `|> sort(desc: true) |> filter(fn: (r) => true, onEmpty: "keep") |> limit(n: ${n})`)));
        expect(bottom).toEqual(await programTables(program(rows, `|> sort(columns: ["s", "_value"]) |> filter(fn: (r) => true, onEmpty: "keep") |> limit(n: ${n})`)));
      }),
      { numRuns: 60 },
    );
  });
});
