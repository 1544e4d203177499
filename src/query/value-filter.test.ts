import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRowPredicate, type RowExpr } from '../flux/execute/row-expr.js';
import { boolValue, floatValue, intValue, stringValue, uintValue, type Value } from '../flux/values/value.js';
import { FieldType } from '../lineprotocol/point.js';
import type { ColumnValues, SeriesBatch } from '../storage/storage.js';
import { seriesTable } from './series-table.js';
import { coversType, filterBatchValues, selectPositions, valueFilterOf, valueSelector } from './value-filter.js';

const value: RowExpr = { kind: 'column', label: '_value' };
const lit = (v: Value): RowExpr => ({ kind: 'literal', value: v });
const cmp = (op: string, left: RowExpr, right: RowExpr): RowExpr => ({ kind: 'binary', op, left, right }) as RowExpr;

function batch(type: FieldType, values: ColumnValues): SeriesBatch {
  const n = values.length;
  return { measurement: 'm', tags: [], field: 'f', type, timestampsNs: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), values };
}

/** Indexes (= timestamps) of the rows kept. */
function kept(b: SeriesBatch, e: RowExpr): number[] {
  const f = valueFilterOf(e);
  if (f === undefined) throw new Error('not a value filter');
  return [...filterBatchValues(b, [f]).timestampsNs].map(Number);
}

const floats = batch(FieldType.Float, Float64Array.of(1, 90, 90.5, NaN, Infinity, -Infinity, 2 ** 53));
const ints = batch(FieldType.Integer, BigInt64Array.of(1n, 90n, 91n, 2n ** 53n + 1n, -5n));

describe('value filter', () => {
  it.each<[string, SeriesBatch, RowExpr, number[]]>([
    // IEEE: NaN fails every comparison but !=.
    ['float > float', floats, cmp('>', value, lit(floatValue(90))), [2, 4, 6]],
    ['float != float keeps NaN', floats, cmp('!=', value, lit(floatValue(90))), [0, 2, 3, 4, 5, 6]],
    ['float == float', floats, cmp('==', value, lit(floatValue(90))), [1]],
    ['literal on the left flips the operator', floats, cmp('<', lit(floatValue(90)), value), [2, 4, 6]],
    ['float >= int (mixed, exact)', floats, cmp('>=', value, lit(intValue(90n))), [1, 2, 4, 6]],
    ['float < int, NaN false', floats, cmp('<', value, lit(intValue(2n))), [0, 5]],
    ['int > float (exact: 2^53+1 > 2^53)', ints, cmp('>', value, lit(floatValue(2 ** 53))), [3]],
    ['int >= float', ints, cmp('>=', value, lit(floatValue(90.5))), [2, 3]],
    ['int <= int', ints, cmp('<=', value, lit(intValue(1n))), [0, 4]],
    ['int > NaN: nothing', ints, cmp('>', value, lit(floatValue(NaN))), []],
    ['int != NaN: everything', ints, cmp('!=', value, lit(floatValue(NaN))), [0, 1, 2, 3, 4]],
    ['string ==', batch(FieldType.String, ['a', 'b', 'c']), cmp('==', value, lit(stringValue('b'))), [1]],
    ['string > in Flux order', batch(FieldType.String, ['a', '\u{1F600}', '\uFFFF']), cmp('>', value, lit(stringValue('\uE000'))), [1, 2]],
    ['bool ==', batch(FieldType.Boolean, Uint8Array.of(1, 0, 1)), cmp('==', value, lit(boolValue(true))), [0, 2]],
    ['bool != on the left', batch(FieldType.Boolean, Uint8Array.of(1, 0, 1)), cmp('!=', lit(boolValue(true)), value), [1]],
  ])('%s', (_name, b, e, want) => {
    expect(kept(b, e)).toEqual(want);
  });

  it.each<[string, SeriesBatch, RowExpr]>([
    ['string column, number literal', batch(FieldType.String, ['a']), cmp('>', value, lit(floatValue(1)))],
    ['bool ordering', batch(FieldType.Boolean, Uint8Array.of(1)), cmp('>', value, lit(boolValue(false)))],
    ['float column, string literal', floats, cmp('==', value, lit(stringValue('x')))],
  ])('leaves %s to the plain filter (batch passes whole)', (_name, b, e) => {
    const f = valueFilterOf(e)!;
    expect(filterBatchValues(b, [f])).toBe(b);
  });

  it.each<[string, RowExpr]>([
    ['another column', cmp('>', { kind: 'column', label: '_time' }, lit(intValue(1n)))],
    ['arithmetic', cmp('>', cmp('+', value, lit(floatValue(1))), lit(floatValue(2)))],
    ['two columns', cmp('>', value, { kind: 'column', label: 'x' })],
    ['regex', cmp('=~', value, lit(stringValue('a')))],
  ])('does not take %s', (_name, e) => {
    expect(valueFilterOf(e)).toBeUndefined();
  });

  it('and-s several filters and keeps times with their values', () => {
    const fs = [cmp('>', value, lit(floatValue(1))), cmp('<', value, lit(floatValue(1e9)))].map((e) => valueFilterOf(e)!);
    const out = filterBatchValues(floats, fs);
    expect([...out.timestampsNs]).toEqual([1n, 2n]);
    expect([...(out.values as Float64Array)]).toEqual([90, 90.5]);
    expect(out.values).toBeInstanceOf(Float64Array);
  });

  it.each<[string, FieldType, ColumnValues, RowExpr, unknown[]]>([
    ['int64 extremes', FieldType.Integer, BigInt64Array.of(-(2n ** 63n), 5n, 2n ** 63n - 1n, -1n), cmp('!=', value, lit(intValue(5n))), [-(2n ** 63n), 2n ** 63n - 1n, -1n]],
    ['uint64 above 2^63', FieldType.Unsigned, BigUint64Array.of(2n ** 64n - 1n, 3n, 2n ** 63n), cmp('>', value, lit(uintValue(3n))), [2n ** 64n - 1n, 2n ** 63n]],
    ['strings', FieldType.String, ['x', 'y', 'z'], cmp('!=', value, lit(stringValue('y'))), ['x', 'z']],
    ['negative floats and -0', FieldType.Float, Float64Array.of(-0, -1.5, 7e-310, 3), cmp('<', value, lit(floatValue(3))), [-0, -1.5, 7e-310]],
  ])('copies kept %s exactly, with their (negative and large) times', (_name, type, values, e, want) => {
    const times = [-(2n ** 62n), -1n, 0n, 2n ** 62n + 12345n];
    const b: SeriesBatch = { measurement: 'm', tags: [], field: 'f', type, timestampsNs: BigInt64Array.from(times.slice(0, values.length)), values };
    const out = filterBatchValues(b, [valueFilterOf(e)!]);
    expect([...out.values]).toEqual(want);
    expect(out.values.constructor).toBe(values.constructor);
    const wantTimes = times.filter((_, i) => want.length > 0 && [...values].some((v, j) => j === i && want.includes(v as never)));
    expect([...out.timestampsNs]).toEqual(wantTimes);
  });

  it.each(['==', '!=', '<', '<=', '>', '>='])('keeps the same rows for %s as a first filter and after another (NaN and ±Inf included)', (op) => {
    const e = cmp(op, value, lit(floatValue(90)));
    const keepAll = valueFilterOf(cmp('!=', value, lit(floatValue(NaN))))!; // IEEE: true for every value
    const alone = filterBatchValues(floats, [valueFilterOf(e)!]);
    const second = filterBatchValues(floats, [keepAll, valueFilterOf(e)!]);
    expect([...second.timestampsNs]).toEqual([...alone.timestampsNs]);
    expect([...second.values]).toEqual([...alone.values]);
    const test: Record<string, (v: number) => boolean> = { '==': (v) => v === 90, '!=': (v) => v !== 90, '<': (v) => v < 90, '<=': (v) => v <= 90, '>': (v) => v > 90, '>=': (v) => v >= 90 };
    const want = [...(floats.values as Float64Array)].flatMap((v, i) => (test[op]!(v) ? [BigInt(i)] : []));
    expect([...alone.timestampsNs]).toEqual(want);
  });
});

/** Values and literals where Flux's comparison rules bite: NaN, ±0, ±Inf, 2^53 ± 1, int64/uint64 ends, surrogates. */
const floatArb = fc.oneof(fc.constantFrom(NaN, -0, 0, Infinity, -Infinity, 2 ** 53, 2 ** 63, -(2 ** 63), 2 ** 64, 90, 90.5), fc.double());
const intArb = fc.oneof(fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, 90n, 0n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
const uintArb = fc.oneof(fc.constantFrom(0n, 2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n, 90n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
const stringArb = fc.oneof(fc.constantFrom('', 'a', '\uFFFF', '\u{1F600}', '\uE000'), fc.string({ unit: 'grapheme', maxLength: 3 }));
const columnArb: fc.Arbitrary<[FieldType, ColumnValues]> = fc.oneof(
  fc.array(floatArb, { maxLength: 12 }).map((v): [FieldType, ColumnValues] => [FieldType.Float, Float64Array.from(v)]),
  fc.array(intArb, { maxLength: 12 }).map((v): [FieldType, ColumnValues] => [FieldType.Integer, BigInt64Array.from(v)]),
  fc.array(uintArb, { maxLength: 12 }).map((v): [FieldType, ColumnValues] => [FieldType.Unsigned, BigUint64Array.from(v)]),
  fc.array(stringArb, { maxLength: 12 }).map((v): [FieldType, ColumnValues] => [FieldType.String, v]),
  fc.array(fc.boolean(), { maxLength: 12 }).map((v): [FieldType, ColumnValues] => [FieldType.Boolean, Uint8Array.from(v, Number)]),
);
const literalArb: fc.Arbitrary<Value> = fc.oneof(
  floatArb.map(floatValue),
  intArb.map(intValue),
  uintArb.map(uintValue),
  stringArb.map(stringValue),
  fc.boolean().map(boolValue),
);
const conjunctArb: fc.Arbitrary<RowExpr> = fc
  .record({ op: fc.constantFrom('==', '!=', '<', '<=', '>', '>='), literal: literalArb, left: fc.boolean() })
  .map(({ op, literal, left }) => (left ? cmp(op, lit(literal), value) : cmp(op, value, lit(literal))));

describe('value filter against Flux', () => {
  it("keeps exactly the rows Flux's own filter keeps, for every type pair it covers (one or two conjuncts)", () => {
    fc.assert(
      fc.property(columnArb, fc.array(conjunctArb, { minLength: 1, maxLength: 2 }), ([type, values], conjuncts) => {
        const filters = conjuncts.map((c) => valueFilterOf(c)!);
        fc.pre(coversType(type, filters));
        const b = batch(type, values);
        const table = seriesTable(b, { startNs: 0n, stopNs: 100n }, b.timestampsNs, undefined);
        const expr = conjuncts.reduce((l, r) => cmp('and', l, r));
        const flux = compileRowPredicate(table, expr);
        expect(flux).toBeDefined();
        const want = [...Array(values.length).keys()].filter((i) => flux!(i));
        const at = new Uint32Array(values.length);
        const m = selectPositions(type, values, filters, at);
        expect(m).toBeGreaterThanOrEqual(0);
        expect([...at.subarray(0, m)]).toEqual(want);
        // The storage selector and the batch filter agree with it.
        const keep = new Uint32Array(values.length);
        expect([...keep.subarray(0, valueSelector(filters).select(type, values, keep))]).toEqual(want);
        expect([...filterBatchValues(b, filters).timestampsNs].map(Number)).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('mayKeep is sound: it never rules out a value range holding a value the filters keep (block chunk stats: NaN skipped)', () => {
    const numeric = columnArb.filter(([type, values]) => values.length > 0 && type !== FieldType.String && type !== FieldType.Boolean);
    let ruledOut = 0;
    fc.assert(
      fc.property(numeric, fc.array(conjunctArb, { minLength: 1, maxLength: 2 }), ([type, values], conjuncts) => {
        const filters = conjuncts.map((c) => valueFilterOf(c)!);
        fc.pre(coversType(type, filters));
        // The stats a chunk of these values gets (chunk-stats.ts): min and max skipping NaN, NaN when all are.
        const all = [...values] as (number | bigint)[];
        const ordered = all.filter((v) => typeof v === 'bigint' || !Number.isNaN(v));
        const min = ordered.length === 0 ? NaN : ordered.reduce((a, b) => (b < a ? b : a));
        const max = ordered.length === 0 ? NaN : ordered.reduce((a, b) => (b > a ? b : a));
        const kept = selectPositions(type, values, filters, new Uint32Array(values.length));
        const may = valueSelector(filters).mayKeep!(type, min, max);
        if (kept > 0) expect(may).toBe(true);
        if (!may) ruledOut++;
      }),
      { numRuns: 3000 },
    );
    expect(ruledOut).toBeGreaterThan(100); // not vacuous: ranges are ruled out
  });

  it.each<[string, RowExpr, number, number, boolean]>([
    ['> 90 over [0, 90]', cmp('>', value, lit(floatValue(90))), 0, 90, false],
    ['> 90 over [0, 90.5]', cmp('>', value, lit(floatValue(90))), 0, 90.5, true],
    ['90 < v (flipped) over [0, 90]', cmp('<', lit(floatValue(90)), value), 0, 90, false],
    ['< 5 over [5, 9]', cmp('<', value, lit(floatValue(5))), 5, 9, false],
    ['== 7 over [1, 6]', cmp('==', value, lit(floatValue(7))), 1, 6, false],
    ['== 7 over [1, 7]', cmp('==', value, lit(floatValue(7))), 1, 7, true],
    ['> 1 over all-NaN', cmp('>', value, lit(floatValue(1))), NaN, NaN, false],
    ['!= 1 over [1, 1] (a NaN may hide)', cmp('!=', value, lit(floatValue(1))), 1, 1, true],
  ])('mayKeep of float chunks: %s', (_name, e, min, max, want) => {
    expect(valueSelector([valueFilterOf(e)!]).mayKeep!(FieldType.Float, min, max)).toBe(want);
  });

  it('the storage selector declines (-1) a type some filter does not cover, so the plain filter decides', () => {
    const f = valueFilterOf(cmp('>', value, lit(floatValue(1))))!;
    const keep = new Uint32Array(1);
    expect(valueSelector([f]).select(FieldType.String, ['a'], keep)).toBe(-1);
    expect(valueSelector([f, valueFilterOf(cmp('==', value, lit(stringValue('a'))))!]).select(FieldType.Float, Float64Array.of(2), keep)).toBe(-1);
  });

  it('one selector asked about several field types in turn answers each as a fresh one would (its per-type work is kept)', () => {
    const filters = [valueFilterOf(cmp('>', value, lit(floatValue(1))))!, valueFilterOf(cmp('<', value, lit(intValue(5n))))!];
    const calls: [FieldType, number | bigint, number | bigint, ColumnValues][] = [
      [FieldType.Float, 0, 1, Float64Array.of(0, 1)],
      [FieldType.Integer, 2n, 9n, BigInt64Array.of(2n, 9n)],
      [FieldType.Float, 2, 9, Float64Array.of(2, 9)],
      [FieldType.Unsigned, 0n, 1n, BigUint64Array.of(0n, 1n)],
      [FieldType.String, 0, 0, ['x']],
      [FieldType.Integer, 5n, 9n, BigInt64Array.of(5n, 9n)],
      [FieldType.Float, 6, 9, Float64Array.of(6, 9)],
      [FieldType.Boolean, 0, 1, Uint8Array.of(0, 1)],
    ];
    const shared = valueSelector(filters);
    const got = calls.map(([type, min, max, values]) => [shared.mayKeep!(type, min, max), shared.select(type, values, new Uint32Array(2))]);
    const fresh = calls.map(([type, min, max, values]) => [valueSelector(filters).mayKeep!(type, min, max), valueSelector(filters).select(type, values, new Uint32Array(2))]);
    expect(got).toEqual(fresh);
    expect(got).toEqual([[false, 0], [true, 1], [true, 1], [false, 0], [false, -1], [false, 0], [false, 0], [false, -1]]);
  });
});
