import { describe, expect, it } from 'vitest';
import { StringFills } from './string-fills.js';

describe('StringFills', () => {
  it.each([
    { name: 'growing lengths of one value', calls: [['a', 3], ['a', 5], ['a', 2], ['a', 5]] as const, maxSlots: 100, held: 10 },
    { name: 'several values', calls: [['a', 3], ['b', 4], ['a', 1], ['c', 2]] as const, maxSlots: 100, held: 10 },
    { name: 'past the bound, values in use are kept and the new one is not', calls: [['a', 6], ['b', 4], ['c', 3], ['a', 6]] as const, maxSlots: 10, held: 10 },
    { name: 'a column longer than the bound is not kept', calls: [['a', 4], ['b', 11], ['a', 2]] as const, maxSlots: 10, held: 6 },
  ])('gives exactly n copies of the value, whatever came before: $name', ({ calls, maxSlots, held }) => {
    const fills = new StringFills(maxSlots);
    const got = calls.map(([v, n]) => fills.get(v, n));
    calls.forEach(([v, n], k) => expect(got[k], `call ${k}`).toEqual(new Array(n).fill(v)));
    expect(fills.heldSlots).toBe(held);
  });

  it('when full, lets go of values no read used lately to keep new ones, and keeps those in use', () => {
    const fills = new StringFills(10, 2);
    const old = fills.get('old', 4);
    const inUse = fills.get('busy', 6);
    for (let r = 0; r < 3; r++) {
      fills.nextRead();
      expect(fills.get('busy', 6)).toBe(inUse);
    }
    // 'old' was last asked for three reads ago (more than 2): let go for 'new'.
    const fresh = fills.get('new', 4);
    expect(fresh).toEqual(['new', 'new', 'new', 'new']);
    expect(fills.get('new', 4)).toBe(fresh);
    expect(fills.get('old', 4)).not.toBe(old);
    expect(fills.get('busy', 6)).toBe(inUse);
    expect(fills.heldSlots).toBe(10);
    // Nothing stale now: a new value is handed out but not kept, and nothing in use is let go.
    fills.nextRead();
    const other = fills.get('other', 3);
    expect(fills.get('other', 3)).not.toBe(other);
    expect(fills.get('busy', 6)).toBe(inUse);
    expect(fills.heldSlots).toBe(10);
  });

});
