import { describe, expect, it } from 'vitest';
import { intValue, type Value } from '../values/value.js';
import { LazyMembers } from './lazy-members.js';

/** Members a=1 (made on use, counted) and b=2 (plain). */
function members(): { m: LazyMembers; made: string[] } {
  const made: string[] = [];
  const m = new LazyMembers();
  m.defer('a', () => (made.push('a'), intValue(1n)));
  m.set('b', intValue(2n));
  return { m, made };
}

const ints = (vs: Iterable<[string, Value]>): [string, unknown][] => [...vs].map(([k, v]) => [k, v.kind === 'int' ? v.value : v.kind]);

describe('LazyMembers', () => {
  it.each([
    { name: 'has does not make', op: (m: LazyMembers) => m.has('a'), result: true, made: [] },
    { name: 'get makes once', op: (m: LazyMembers) => (m.get('a'), m.get('a')), result: intValue(1n), made: ['a'] },
    { name: 'get of a plain member makes nothing', op: (m: LazyMembers) => m.get('b'), result: intValue(2n), made: [] },
    { name: 'get of an unknown name', op: (m: LazyMembers) => m.get('zz'), result: undefined, made: [] },
    { name: 'size makes all', op: (m: LazyMembers) => m.size, result: 2, made: ['a'] },
    { name: 'set replaces a pending member without making it', op: (m: LazyMembers) => (m.set('a', intValue(9n)), m.get('a')), result: intValue(9n), made: [] },
    { name: 'delete drops a pending member', op: (m: LazyMembers) => (m.delete('a'), m.has('a')), result: false, made: [] },
  ])('$name', ({ op, result, made: expectedMade }) => {
    const { m, made } = members();
    expect(op(m)).toEqual(result);
    expect(made).toEqual(expectedMade);
  });

  it.each([
    { name: 'entries', read: (m: LazyMembers) => m.entries() },
    { name: 'iterator', read: (m: LazyMembers) => m[Symbol.iterator]() },
    { name: 'keys + values', read: (m: LazyMembers) => { const ks = [...m.keys()]; const vs = [...m.values()]; return ks.map((k, i) => [k, vs[i]!] as [string, Value]); } },
  ])('enumerating ($name) sees every member', ({ read }) => {
    const { m } = members();
    expect(ints(read(m)).sort()).toEqual([['a', 1n], ['b', 2n]]);
  });
});
