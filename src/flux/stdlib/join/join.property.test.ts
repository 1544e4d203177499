import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runRows } from '../experimental/run-tables.js';

/**
 * join.tables against its definition, written out here: each side stably sorted by its join key
 * (nulls first, as Flux orders values), merged; equal keys give the cross product (left row
 * major), a null key matches nothing, unmatched rows come with the other side's default record
 * when the method keeps them. Keys of two columns (int with nulls, string), duplicates.
 */

interface Row {
  readonly a: number | null;
  readonly b: string;
  readonly v: number;
}

const rowArb = fc.record({ a: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null, freq: 6 }), b: fc.constantFrom('x', 'y'), v: fc.integer({ min: 0, max: 99 }) });

function compare(x: Row, y: Row): number {
  if (x.a !== y.a) {
    if (x.a === null) return -1;
    if (y.a === null) return 1;
    return x.a < y.a ? -1 : 1;
  }
  return x.b < y.b ? -1 : x.b > y.b ? 1 : 0;
}

type Out = [la: number | null, lb: string | null, lv: number | null, ra: number | null, rb: string | null, rv: number | null];

function reference(left: readonly Row[], right: readonly Row[], method: string): Out[] {
  const L = left.map((r, i) => ({ r, i })).sort((p, q) => compare(p.r, q.r) || p.i - q.i).map((p) => p.r);
  const R = right.map((r, i) => ({ r, i })).sort((p, q) => compare(p.r, q.r) || p.i - q.i).map((p) => p.r);
  const keepLeft = method === 'left' || method === 'full';
  const keepRight = method === 'right' || method === 'full';
  const lOnly = (r: Row): Out => [r.a, r.b, r.v, null, null, null];
  const rOnly = (r: Row): Out => [null, null, null, r.a, r.b, r.v];
  const out: Out[] = [];
  let i = 0;
  let j = 0;
  while (i < L.length || j < R.length) {
    const c = i >= L.length ? 1 : j >= R.length ? -1 : compare(L[i]!, R[j]!);
    if (c < 0) {
      if (keepLeft) out.push(lOnly(L[i]!));
      i++;
    } else if (c > 0) {
      if (keepRight) out.push(rOnly(R[j]!));
      j++;
    } else {
      let i2 = i + 1;
      while (i2 < L.length && compare(L[i]!, L[i2]!) === 0) i2++;
      let j2 = j + 1;
      while (j2 < R.length && compare(R[j]!, R[j2]!) === 0) j2++;
      if (L[i]!.a === null) {
        if (keepLeft) for (let x = i; x < i2; x++) out.push(lOnly(L[x]!));
        if (keepRight) for (let y = j; y < j2; y++) out.push(rOnly(R[y]!));
      } else {
        for (let x = i; x < i2; x++) for (let y = j; y < j2; y++) out.push([L[x]!.a, L[x]!.b, L[x]!.v, R[y]!.a, R[y]!.b, R[y]!.v]);
      }
      i = i2;
      j = j2;
    }
  }
  return out;
}

const lit = (rows: readonly Row[]): string =>
  rows.map((r) => `{a: ${r.a === null ? 'debug.null(type: "int")' : r.a}, b: "${r.b}", v: ${r.v}}`).join(', ');

describe('join.tables: sort-merge over typed columns', () => {
  it('gives the rows of the definition, in its order, for every method', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 1, maxLength: 12 }),
        fc.array(rowArb, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('inner', 'left', 'right', 'full'),
        async (left, right, method) => {
          const src = `import "array"\nimport "join"\nimport "internal/debug"
left = array.from(rows: [${lit(left)}])
right = array.from(rows: [${lit(right)}])
join.tables(method: "${method}", left: left, right: right, on: (l, r) => l.a == r.a and l.b == r.b,
  as: (l, r) => ({la: l.a, lb: l.b, lv: l.v, ra: r.a, rb: r.b, rv: r.v}))`;
          const rows = await runRows(src);
          const got = rows.map((r) => [r.la ?? null, r.lb ?? null, r.lv ?? null, r.ra ?? null, r.rb ?? null, r.rv ?? null].map((x) => (typeof x === 'bigint' || (typeof x === 'string' && /^-?\d+$/.test(x)) ? Number(x) : x)));
          expect(got).toEqual(reference(left, right, method));
        },
      ),
      { numRuns: 150 },
    );
  });
});
