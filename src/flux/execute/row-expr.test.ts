import { describe, expect, it } from 'vitest';
import { T } from '../values/mono-type.js';
import {
  FALSE,
  NULL,
  TRUE,
  floatValue,
  intValue,
  nullValue,
  regexpValue,
  stringValue,
  uintValue,
  type Value,
} from '../values/value.js';
import { filterTable } from './filter-table.js';
import { mapColumns } from './map-columns.js';
import { compileColumnKernel, compileMapOutputs, compileRowPredicate, type BinaryOp, type RowExpr } from './row-expr.js';
import { tableFromColumns } from './table-builder.js';

const col = (label: string): RowExpr => ({ kind: 'column', label });
const lit = (value: Value): RowExpr => ({ kind: 'literal', value });
const bin = (op: BinaryOp, left: RowExpr, right: RowExpr): RowExpr => ({ kind: 'binary', op, left, right });
const not = (operand: RowExpr): RowExpr => ({ kind: 'unary', op: 'not', operand });
const exists = (operand: RowExpr): RowExpr => ({ kind: 'unary', op: 'exists', operand });

const t = tableFromColumns(
  [
    ['_value', 'float', [1.5, null, 60, NaN]],
    ['n', 'int', [1, 2, null, 9223372036854775807n]],
    ['u', 'uint', [1, 2, 3, 4]],
    ['host', 'string', ['a', 'b', null, 'ab']],
    ['ok', 'bool', [true, null, false, true]],
  ],
  [],
);

/** Evaluates a kernel on every row of `t` (null for null). */
function column(expr: RowExpr): unknown[] {
  const k = compileColumnKernel(t, expr);
  if (k === undefined) throw new Error('not compiled');
  return Array.from({ length: t.length }, (_, i) => k.compute(i));
}

describe('compileColumnKernel', () => {
  it.each<[string, RowExpr, unknown[]]>([
    ['float * literal, nulls propagate', bin('*', col('_value'), lit(floatValue(2))), [3, null, 120, NaN]],
    ['int + wraps at 64 bits', bin('+', col('n'), lit(intValue(1n))), [2n, 3n, null, -9223372036854775808n]],
    ['uint - wraps', bin('-', col('u'), lit(uintValue(2n))), [18446744073709551615n, 0n, 1n, 2n]],
    ['string concatenation', bin('+', col('host'), lit(stringValue('!'))), ['a!', 'b!', null, 'ab!']],
    ['comparison gives null on null', bin('>', col('_value'), lit(floatValue(10))), [false, null, true, false]],
    ['NaN is unequal to everything', bin('!=', col('_value'), col('_value')), [false, null, false, true]],
    ['mixed int/float comparison', bin('<', col('n'), lit(floatValue(1.5))), [true, false, null, false]],
    ['regex match', bin('=~', col('host'), lit(regexpValue('^a', /^a/))), [true, false, null, true]],
    ['regex non-match', bin('!~', col('host'), lit(regexpValue('^a', /^a/))), [false, true, null, false]],
    ['not with null', not(col('ok')), [false, null, true, false]],
    ['exists', exists(col('_value')), [true, false, true, true]],
    ['exists on a missing column', exists(col('nope')), [false, false, false, false]],
    ['unary minus', { kind: 'unary', op: '-', operand: col('n') }, [-1n, -2n, null, -9223372036854775807n]],
    ['string order by code point', bin('<', col('host'), lit(stringValue('b'))), [true, false, null, true]],
  ])('%s', (_n, expr, want) => {
    expect(column(expr)).toEqual(want);
  });

  it('evaluates conditionals, a null test taking else', () => {
    const cond: RowExpr = {
      kind: 'conditional',
      test: bin('>', col('_value'), lit(floatValue(10))),
      consequent: lit(stringValue('high')),
      alternate: { kind: 'conditional', test: exists(col('_value')), consequent: lit(stringValue('low')), alternate: lit(NULL) },
    };
    expect(column(cond)).toEqual(['low', null, 'high', 'low']);
    const mixed: RowExpr = { kind: 'conditional', test: col('ok'), consequent: lit(intValue(1n)), alternate: lit(floatValue(1)) };
    expect(compileColumnKernel(t, mixed)).toBeUndefined();
  });

  it.each<[string, BinaryOp, Value, Value, boolean | null]>([
    ['null and false', 'and', NULL, FALSE, false],
    ['null and true', 'and', NULL, TRUE, null],
    ['null or true', 'or', NULL, TRUE, true],
    ['null or false', 'or', NULL, FALSE, null],
    ['false and null', 'and', FALSE, NULL, false],
    ['true or null', 'or', TRUE, NULL, true],
    ['true and true', 'and', TRUE, TRUE, true],
  ])('three-valued logic: %s', (_n, op, a, b, want) => {
    const p = compileColumnKernel(t, bin(op, lit(a), lit(b)));
    expect(p?.compute(0)).toBe(want);
  });

  it('false and <null> is false', () => {
    const k = compileColumnKernel(t, bin('and', lit(FALSE), bin('>', col('_value'), lit(floatValue(0)))));
    expect(k?.compute(1)).toBe(false);
  });

  it.each<[string, RowExpr]>([
    ['int division', bin('/', col('n'), lit(intValue(2n)))],
    ['mixed arithmetic', bin('+', col('n'), col('_value'))],
    ['string minus', bin('-', col('host'), col('host'))],
    ['bool ordering', bin('<', col('ok'), col('ok'))],
    ['and on floats', bin('and', col('_value'), col('ok'))],
    ['duration literal', lit({ kind: 'duration', value: { months: 0, nanoseconds: 1n, negative: false } })],
    ['always null', lit(nullValue(T.float))],
  ])('refuses %s (the interpreter falls back)', (_n, expr) => {
    expect(compileColumnKernel(t, expr)).toBeUndefined();
  });
});

describe('compileRowPredicate', () => {
  it('filters with null as false', () => {
    const keep = compileRowPredicate(t, bin('and', bin('>', col('_value'), lit(floatValue(1))), col('ok')))!;
    const out = filterTable(t, keep);
    expect(out.length).toBe(1);
    expect(out.value(0, 0)).toEqual(floatValue(1.5));
  });
  it('drops every row for a missing column comparison', () => {
    expect(filterTable(t, compileRowPredicate(t, bin('==', col('nope'), lit(intValue(1n))))!).length).toBe(0);
  });
  it('refuses a non-boolean body', () => {
    expect(compileRowPredicate(t, col('_value'))).toBeUndefined();
  });
});

describe('compileMapOutputs', () => {
  it('compiles {r with _value: r._value * 2.0, x: r.host} keeping column order', () => {
    const outputs = compileMapOutputs(
      t,
      [
        { label: '_value', expr: bin('*', col('_value'), lit(floatValue(2))) },
        { label: 'x', expr: col('host') },
      ],
      true,
    )!;
    expect(outputs.map((o) => o.label)).toEqual(['_value', 'n', 'u', 'host', 'ok', 'x']);
    expect(outputs[5]).toEqual({ label: 'x', from: 'host' });
    const [out] = mapColumns(t, outputs);
    expect(out!.value(2, 0)).toEqual(floatValue(120));
    expect(out!.columns[5]).toBe(t.columns[3]);
  });
  it('compiles a plain record and refuses an uncompilable field', () => {
    expect(compileMapOutputs(t, [{ label: 'v', expr: col('u') }], false)).toEqual([{ label: 'v', from: 'u' }]);
    expect(compileMapOutputs(t, [{ label: 'v', expr: bin('/', col('n'), col('n')) }], false)).toBeUndefined();
  });
});
