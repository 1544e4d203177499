import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('forgets everything once full, then fills again', () => {
    const c = new BoundedCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect([c.get('a'), c.get('b'), c.size]).toEqual([1, 2, 2]);
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual([undefined, undefined, 3, 1]);
    expect(c.generation).toBe(1);
  });

  it('rejects a size below one', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
  });
});
