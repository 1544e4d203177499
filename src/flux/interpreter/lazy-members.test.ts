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

describe('LazyMembers.deferAll (a table shared by every instance)', () => {
  const table = new Map<string, bigint>([
    ['a', 1n],
    ['c', 3n],
  ]);
  /** Members a=1 and c=3 from the shared table (made on use, counted) and b=2 (plain). */
  function shared(): { m: LazyMembers; made: string[] } {
    const made: string[] = [];
    const m = new LazyMembers();
    m.deferAll(table, (name, n) => (made.push(name), intValue(n)));
    m.set('b', intValue(2n));
    return { m, made };
  }

  it.each([
    { name: 'has does not make', op: (m: LazyMembers) => m.has('a'), result: true, made: [] },
    { name: 'get makes once', op: (m: LazyMembers) => (m.get('a'), m.get('a')), result: intValue(1n), made: ['a'] },
    { name: 'get of a plain member makes nothing', op: (m: LazyMembers) => m.get('b'), result: intValue(2n), made: [] },
    { name: 'get of an unknown name', op: (m: LazyMembers) => m.get('zz'), result: undefined, made: [] },
    { name: 'size makes all', op: (m: LazyMembers) => m.size, result: 3, made: ['a', 'c'] },
    { name: 'set replaces a pending member without making it', op: (m: LazyMembers) => (m.set('a', intValue(9n)), m.get('a')), result: intValue(9n), made: [] },
    { name: 'delete drops a pending member', op: (m: LazyMembers) => [m.delete('a'), m.has('a'), m.get('a')], result: [true, false, undefined], made: [] },
    { name: 'delete of a made member', op: (m: LazyMembers) => (m.get('c'), [m.delete('c'), m.has('c')]), result: [true, false], made: ['c'] },
    { name: 'clear drops everything', op: (m: LazyMembers) => (m.clear(), [m.has('a'), m.size]), result: [false, 0], made: [] },
  ])('$name', ({ op, result, made: expectedMade }) => {
    const { m, made } = shared();
    expect(op(m)).toEqual(result);
    expect(made).toEqual(expectedMade);
  });

  it('enumerates every member once; instances do not see each other’s changes', () => {
    const one = shared();
    const two = shared();
    one.m.set('a', intValue(7n));
    one.m.delete('c');
    expect(ints(one.m.entries()).sort()).toEqual([['a', 7n], ['b', 2n]]);
    expect(ints(two.m.entries()).sort()).toEqual([['a', 1n], ['b', 2n], ['c', 3n]]);
    expect(two.made).toEqual(['a', 'c']);
    expect([...table.keys()]).toEqual(['a', 'c']);
  });

  it('must be the first member added, once', () => {
    const m = new LazyMembers();
    m.set('x', intValue(1n));
    expect(() => m.deferAll(table, (_, n) => intValue(n))).toThrow('deferAll must be the first member added');
  });
});
