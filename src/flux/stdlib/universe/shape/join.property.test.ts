import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runRows } from '../../experimental/run-tables.js';

/**
 * universe join() against its definition, written out here: per pair of tables with equal values
 * in the group-key columns both join on, the inner join of their rows on the `on` columns, in
 * the order of the `on` values (sorted by label: `_time` before `host`), left rows before right
 * ones within equal values; a null on-value matches nothing. Shared non-`on` columns get the
 * stream name as a suffix.
 */

interface Row {
  readonly t: number;
  readonly host: string;
  readonly v: number | null;
}

const rowArb = fc.record({ t: fc.integer({ min: 0, max: 4 }), host: fc.constantFrom('a', 'b'), v: fc.option(fc.integer({ min: 0, max: 9 }), { nil: null, freq: 5 }) });

type Out = [t: number, host: string, a: number | null, b: number | null];

function reference(left: readonly Row[], right: readonly Row[]): Out[] {
  const out: Out[] = [];
  for (const host of ['a', 'b']) {
    const L = left.filter((r) => r.host === host).map((r, i) => ({ r, i })).sort((p, q) => p.r.t - q.r.t || p.i - q.i);
    const R = right.filter((r) => r.host === host).map((r, i) => ({ r, i })).sort((p, q) => p.r.t - q.r.t || p.i - q.i);
    for (const { r: l } of L) for (const { r } of R) if (l.t === r.t) out.push([l.t, host, l.v, r.v]);
  }
  return out;
}

const lit = (rows: readonly Row[]): string =>
  rows.map((r) => `{_time: time(v: ${r.t}), host: "${r.host}", _value: ${r.v === null ? 'debug.null(type: "int")' : r.v}}`).join(', ');

describe('join(): matched rows gathered column by column', () => {
  it('gives the rows of the definition, in its order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 14 }), fc.array(rowArb, { minLength: 1, maxLength: 14 }), async (left, right) => {
        const src = `import "array"\nimport "internal/debug"
a = array.from(rows: [${lit(left)}]) |> group(columns: ["host"])
b = array.from(rows: [${lit(right)}]) |> group(columns: ["host"])
join(tables: {a: a, b: b}, on: ["_time", "host"]) |> map(fn: (r) => ({t: int(v: r._time), host: r.host, a: r._value_a, b: r._value_b}))`;
        const rows = await runRows(src);
        const num = (x: unknown): number | null => (x === null || x === undefined ? null : Number(x));
        const got = rows.map((r) => [num(r.t), r.host, num(r.a), num(r.b)]);
        expect(got).toEqual(reference(left, right));
      }),
      { numRuns: 120 },
    );
  });
});
