import { describe, expect, it } from 'vitest';
import type { RowExpr } from '../flux/execute/row-expr.js';
import { FALSE, TRUE, floatValue, regexpValue, stringValue } from '../flux/values/value.js';
import type { Predicate } from '../storage/storage.js';
import { stringsPackage } from '../flux/stdlib/strings/strings.js';
import { conjuncts, narrowingPredicate, storagePredicate } from './storage-predicate.js';

const col = (label: string): RowExpr => ({ kind: 'column', label });
const str = (s: string): RowExpr => ({ kind: 'literal', value: stringValue(s) });
const re = (s: string): RowExpr => ({ kind: 'literal', value: regexpValue(s, new RegExp(s)) });
const bin = (op: Extract<RowExpr, { kind: 'binary' }>['op'], left: RowExpr, right: RowExpr): RowExpr => ({ kind: 'binary', op, left, right });

describe('storagePredicate', () => {
  it.each<[string, RowExpr, unknown]>([
    ['measurement ==', bin('==', col('_measurement'), str('cpu')), { kind: 'compare', key: '_measurement', op: '==', value: 'cpu' }],
    ['literal first', bin('!=', str('a'), col('host')), { kind: 'compare', key: 'host', op: '!=', value: 'a' }],
    ['field regex', bin('=~', col('_field'), re('^u')), { kind: 'regex', key: '_field', op: '=~', pattern: /^u/ }],
    ['tag !~', bin('!~', col('dc'), re('x')), { kind: 'regex', key: 'dc', op: '!~', pattern: /x/ }],
    [
      'or of and',
      bin('or', bin('and', bin('==', col('a'), str('1')), bin('==', col('b'), str('2'))), bin('==', col('c'), str('3'))),
      {
        kind: 'or',
        left: { kind: 'and', left: { kind: 'compare', key: 'a', op: '==', value: '1' }, right: { kind: 'compare', key: 'b', op: '==', value: '2' } },
        right: { kind: 'compare', key: 'c', op: '==', value: '3' },
      },
    ],
    ['not', { kind: 'unary', op: 'not', operand: bin('==', col('a'), str('1')) }, { kind: 'not', operand: { kind: 'compare', key: 'a', op: '==', value: '1' } }],
    ['true', { kind: 'literal', value: TRUE }, { kind: 'true' }],
    ['false', { kind: 'literal', value: FALSE }, undefined],
    ['_value', bin('>', col('_value'), { kind: 'literal', value: floatValue(1) }), undefined],
    ['_value == string', bin('==', col('_value'), str('x')), undefined],
    ['_time', bin('==', col('_time'), str('x')), undefined],
    ['_start', bin('==', col('_start'), str('x')), undefined],
    ['column vs column', bin('==', col('a'), col('b')), undefined],
    ['or with an untranslatable side', bin('or', bin('==', col('a'), str('1')), bin('>', col('_value'), { kind: 'literal', value: floatValue(1) })), undefined],
    ['exists', { kind: 'unary', op: 'exists', operand: col('a') }, undefined],
    ['regex with a string', bin('=~', col('a'), str('x')), undefined],
  ])('%s', (_name, expr, want) => {
    expect(storagePredicate(expr)).toEqual(want);
  });

  it('splits top-level conjunctions only', () => {
    const a = bin('==', col('a'), str('1'));
    const b = bin('==', col('b'), str('2'));
    const c = bin('or', a, b);
    expect(conjuncts(bin('and', bin('and', a, b), c))).toEqual([a, b, c]);
    expect(conjuncts(c)).toEqual([c]);
  });
});

describe('contains() as a storage predicate', () => {
  const depth = (p: Predicate): number => (p.kind === 'and' || p.kind === 'or' ? 1 + Math.max(depth(p.left), depth(p.right)) : p.kind === 'not' ? 1 + depth(p.operand) : 1);
  it('is the equalities or-ed as a balanced tree (a set of thousands stays shallow)', () => {
    const set = Array.from({ length: 20_000 }, (_, i) => stringValue(`host_${i}`));
    const p = storagePredicate({ kind: 'in', value: { kind: 'column', label: 'host' }, set })!;
    expect(depth(p)).toBeLessThanOrEqual(16);
    const keys: string[] = [];
    const walk = (q: Predicate): void => {
      if (q.kind === 'or') {
        walk(q.left);
        walk(q.right);
      } else if (q.kind === 'compare') keys.push(q.value);
    };
    walk(p);
    expect(keys).toEqual(set.map((v) => v.value));
  });
  it('is not made with "" in the set (storage reads a missing tag as ""), over _value, or of non-strings', () => {
    expect(storagePredicate({ kind: 'in', value: col('host'), set: [stringValue('a'), stringValue('')] })).toBeUndefined();
    expect(storagePredicate({ kind: 'in', value: col('_value'), set: [stringValue('a')] })).toBeUndefined();
    expect(storagePredicate({ kind: 'in', value: col('host'), set: [floatValue(1)] })).toBeUndefined();
    expect(storagePredicate({ kind: 'in', value: col('host'), set: [] })).toBeUndefined();
  });
});

describe('string tests as storage predicates', () => {
  const kernel = (name: string) => stringsPackage.builtins![name]!.scalar!;
  const call = (name: string, ...args: RowExpr[]): RowExpr => ({ kind: 'call', kernel: kernel(name), args });
  const not = (operand: RowExpr): RowExpr => ({ kind: 'unary', op: 'not', operand });
  const orMissing = (key: string, pattern: RegExp): Predicate => ({
    kind: 'or',
    left: { kind: 'regex', key, op: '=~', pattern },
    right: { kind: 'compare', key, op: '==', value: '' },
  });

  it('pushes hasPrefix, hasSuffix and containsStr of _measurement and _field as an escaped regex', () => {
    expect(storagePredicate(call('hasSuffix', col('_field'), str('_user')))).toEqual({ kind: 'regex', key: '_field', op: '=~', pattern: /_user$/ });
    expect(storagePredicate(call('hasPrefix', col('_field'), str('usage.')))).toEqual({ kind: 'regex', key: '_field', op: '=~', pattern: /^usage\./ });
    expect(storagePredicate(call('containsStr', col('_measurement'), str('(a|b)')))).toEqual({ kind: 'regex', key: '_measurement', op: '=~', pattern: /\(a\|b\)/ });
    expect(narrowingPredicate(call('hasSuffix', col('_field'), str('_user')))).toBeUndefined();
  });

  it('narrows by a tag\'s test, keeping series without the tag (where Flux\'s call fails on the null)', () => {
    expect(storagePredicate(call('hasPrefix', col('host'), str('web.1')))).toBeUndefined();
    expect(narrowingPredicate(call('hasPrefix', col('host'), str('web.1')))).toEqual(orMissing('host', /^web\.1/));
    expect(narrowingPredicate(bin('and', call('hasPrefix', col('host'), str('a')), bin('or', bin('==', col('dc'), str('x')), call('hasSuffix', col('_field'), str('z')))))).toEqual({
      kind: 'and',
      left: orMissing('host', /^a/),
      right: { kind: 'or', left: { kind: 'compare', key: 'dc', op: '==', value: 'x' }, right: { kind: 'regex', key: '_field', op: '=~', pattern: /z$/ } },
    });
    // Nothing to narrow by beyond what storagePredicate does: undefined.
    expect(narrowingPredicate(bin('==', col('host'), str('a')))).toBeUndefined();
    expect(narrowingPredicate(bin('or', call('hasPrefix', col('host'), str('a')), bin('>', col('_value'), { kind: 'literal', value: floatValue(1) })))).toBeUndefined();
  });

  it('leaves alone what storage could not decide as Flux does', () => {
    // Under `not` Flux drops a series without the tag (not null is null); storage would keep it.
    expect(storagePredicate(not(call('hasPrefix', col('_field'), str('a'))))).toBeUndefined();
    expect(narrowingPredicate(not(call('hasPrefix', col('host'), str('a'))))).toBeUndefined();
    expect(storagePredicate(not(bin('or', bin('==', col('dc'), str('x')), call('hasPrefix', col('_field'), str('a')))))).toBeUndefined();
    // Two nots are no not: pushed.
    expect(storagePredicate(not(not(call('hasPrefix', col('_field'), str('a')))))).toEqual({
      kind: 'not',
      operand: { kind: 'not', operand: { kind: 'regex', key: '_field', op: '=~', pattern: /^a/ } },
    });
    // A pattern that matches "" would keep series without the tag (storage reads it as "").
    expect(storagePredicate(call('hasPrefix', col('_field'), str('')))).toBeUndefined();
    expect(narrowingPredicate(call('containsStr', col('host'), str('')))).toBeUndefined();
    // Not a series column, not a literal, or no pattern form.
    expect(narrowingPredicate(call('hasPrefix', col('_value'), str('a')))).toBeUndefined();
    expect(narrowingPredicate(call('hasPrefix', col('host'), col('dc')))).toBeUndefined();
    expect(narrowingPredicate(call('hasPrefix', str('a'), col('host')))).toBeUndefined();
    expect(narrowingPredicate(call('equalFold', col('host'), str('A')))).toBeUndefined();
  });
});
