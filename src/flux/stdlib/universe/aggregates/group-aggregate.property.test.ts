import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { programTables } from './program-tables.js';

/**
 * An aggregate right after group() rebuilds the groups with only the new key and the aggregated
 * column (group-tables.ts, `keep`). That must give exactly what aggregating the whole groups
 * gives: here the same pipeline with a no-op filter between group and the aggregate (which
 * hands the aggregate whole tables) is the reference.
 */

const rowArb = fc.record({
  t: fc.integer({ min: 0, max: 50 }),
  host: fc.constantFrom('a', 'b', 'c'),
  dc: fc.constantFrom('x', 'y'),
  v: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null, freq: 6 }),
  i: fc.integer({ min: -100, max: 100 }),
});

function program(rows: readonly { t: number; host: string; dc: string; v: number | null; i: number }[], first: string, then: string, agg: string): string {
  const lit = rows
    .map((r) => `{_time: ${new Date(Date.UTC(2020, 0, 1) + r.t * 1000).toISOString()}, host: "${r.host}", dc: "${r.dc}", _value: ${r.v === null ? 'debug.null(type: "float")' : r.v.toFixed(3)}, i: ${r.i}, note: "n${r.i % 3}"}`)
    .join(',\n');
  return `import "array"\nimport "internal/debug"\narray.from(rows: [${lit}]) |> range(start: 2020-01-01T00:00:00Z, stop: 2020-01-01T00:01:00Z) |> group(columns: ${first}) |> group(${then}) ${agg}`;
}

/** An error's text without its source position (the two programs differ in length). */
const withoutPosition = (m: string): string => m.replace(/@\d+:\d+-\d+:\d+/g, '@');

describe('aggregates after group() build only the columns they read', () => {
  it('same tables as aggregating the whole groups', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('["host"]', '["dc"]', '["host", "dc"]', '[]'),
        fc.constantFrom('columns: ["dc"]', 'columns: ["host"]', 'columns: []', 'columns: ["note"]', 'mode: "except", columns: ["_time", "_value", "i", "note"]'),
        fc.constantFrom(
          'count()',
          'sum()',
          'mean()',
          'sum(column: "i")',
          'spread(column: "i")',
          'stddev()',
          'median()',
          'quantile(q: 0.9, method: "exact_mean")',
          'count(column: "host")',
          'aggregateWindow(every: 10s, fn: mean)',
          'aggregateWindow(every: 7s, fn: count, createEmpty: false)',
          'aggregateWindow(every: 10s, fn: sum, column: "i")',
          'aggregateWindow(every: 10s, fn: max)',
        ),
        async (rows, first, then, agg) => {
          const fused = await programTables(program(rows, first, then, `|> ${agg}`)).catch((e: Error) => withoutPosition(e.message));
          const whole = await programTables(program(rows, first, then, `|> filter(fn: (r) => true, onEmpty: "keep") |> ${agg}`)).catch((e: Error) => withoutPosition(e.message));
          expect(fused).toEqual(whole);
          if (typeof fused !== 'string') answered++;
        },
      ),
      { numRuns: 80 },
    );
    // Most cases answer (some are Flux errors on purpose: aggregating a key column).
    expect(answered).toBeGreaterThan(40);
  });

  it('a type clash in a column the aggregate does not read is still an error', async () => {
    const src = `import "array"
a = array.from(rows: [{_time: 2020-01-01T00:00:00Z, k: "a", _value: 1.0, x: 1}]) |> group(columns: ["k"])
b = array.from(rows: [{_time: 2020-01-01T00:00:01Z, k: "b", _value: 2.0, x: "one"}]) |> group(columns: ["k"])
union(tables: [a, b]) |> group() |> sum()`;
    await expect(programTables(src)).rejects.toThrow(/schema collision detected: column "x" is both of type int and string/);
  });
});
