import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { programOutcome } from './program-tables.js';

/**
 * aggregateWindow with a known aggregate wrapped in a function (`(column, tables=<-) => tables
 * |> quantile(q: 0.9, column: column)`) runs the aggregate's kernel (`wrappedAggregate`); it must
 * give exactly what running the function per window gives — the same tables, columns in the same
 * order. The per-window path is forced by a function the recogniser does not take (a block with
 * a second statement).
 */

const fns = [
  'quantile(q: 0.9, column: column)',
  'quantile(q: 0.0, column: column)',
  'quantile(q: 1.0, column: column)',
  'quantile(q: 0.5, column: column, method: "exact_mean")',
  'quantile(q: 0.25, column: column, compression: 5.0)',
  'quantile(q: 0.75, method: "estimate_tdigest", compression: 2.0, column: column)',
  'mean(column: column)',
  'sum(column: column)',
  'count(column: column)',
  'spread(column: column)',
  'median(column: column)',
];

const rowArb = fc.record({
  t: fc.integer({ min: 0, max: 600 }),
  v: fc.option(fc.integer({ min: -50, max: 50 }), { nil: null, freq: 8 }),
  tag: fc.constantFrom('a', 'b'),
});

function program(rows: readonly { t: number; v: number | null; tag: string }[], fn: string, wrapped: boolean, opts: { every: string; createEmpty: boolean; floats: boolean; grouped: boolean; timeSrc: string }): string {
  const lit = rows
    .map((r) => {
      const v = r.v === null ? (opts.floats ? 'debug.null(type: "float")' : 'debug.null(type: "int")') : opts.floats ? `${r.v / 4}.0`.replace(/\.(\d+)\.0$/, '.$1') : String(r.v);
      return `{_time: time(v: ${r.t * 1_000_000_000}), x: ${v}, tag: "${r.tag}"}`;
    })
    .join(', ');
  const f = wrapped ? `(column, tables=<-) => tables |> ${fn}` : `(column, tables=<-) => {\n unused = 0\n return tables |> ${fn}\n}`;
  return `import "array"
import "internal/debug"
array.from(rows: [${lit}])
  |> range(start: 1970-01-01T00:00:00Z, stop: 1970-01-01T00:10:00Z)
  |> group(columns: [${opts.grouped ? '"tag"' : ''}])
  |> aggregateWindow(every: ${opts.every}, fn: ${f}, column: "x", createEmpty: ${opts.createEmpty}, timeSrc: "${opts.timeSrc}")`;
}

describe('aggregateWindow with a wrapped aggregate', () => {
  it('gives what the function gives window by window', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 0, maxLength: 25 }),
        fc.constantFrom(...fns),
        fc.record({
          every: fc.constantFrom('1m', '2m30s', '10m'),
          createEmpty: fc.boolean(),
          floats: fc.boolean(),
          grouped: fc.boolean(),
          timeSrc: fc.constantFrom('_stop', '_start'),
        }),
        async (rows, fn, opts) => {
          const sorted = [...rows].sort((a, b) => a.t - b.t);
          const data = opts.grouped ? rows : sorted;
          const fast = await programOutcome(program(data, fn, true, opts));
          const slow = await programOutcome(program(data, fn, false, opts));
          expect(fast).toEqual(slow);
          if (typeof fast !== 'string') answered++;
        },
      ),
      { numRuns: 250 },
    );
    expect(answered).toBeGreaterThan(200);
  });

  it('leaves a script\'s own function of a builtin\'s name, and calls that could fail, to Flux', async () => {
    const data = `import "array"
data = array.from(rows: [{_time: 1970-01-01T00:00:10Z, _value: 1.0}, {_time: 1970-01-01T00:00:20Z, _value: 5.0}])
  |> range(start: 1970-01-01T00:00:00Z, stop: 1970-01-01T00:01:00Z)`;
    const own = await programOutcome(`${data}
quantile = (tables=<-, q, column) => tables |> max(column: column)
data |> aggregateWindow(every: 1m, fn: (column, tables=<-) => tables |> quantile(q: 0.0, column: column))`);
    expect(own).toEqual([expect.objectContaining({ rows: [expect.objectContaining({ _value: 5 })] })]);
    const outOfRange = await programOutcome(`${data}
data |> aggregateWindow(every: 1m, fn: (column, tables=<-) => tables |> quantile(q: 1.5, column: column))`);
    expect(outOfRange).toMatch(/quantile must be between 0 and 1/);
  });
});
