import { describe, expect, it } from 'vitest';
import { DueQueue } from './due-queue.js';

describe('DueQueue', () => {
  it('pops due keys earliest first; set replaces, delete removes', () => {
    const q = new DueQueue();
    q.set('a', 30n);
    q.set('b', 10n);
    q.set('c', 20n);
    q.set('a', 5n); // replaces a@30
    q.set('d', 15n);
    q.delete('d');
    expect(q.size).toBe(3);
    expect(q.peekDueNs()).toBe(5n);
    expect(q.popDue(20n)).toEqual(['a', 'b', 'c']);
    expect(q.popDue(100n)).toEqual([]);
    expect(q.peekDueNs()).toBeUndefined();
  });

  it('keeps order among many keys', () => {
    const q = new DueQueue();
    const due = Array.from({ length: 500 }, (_, i) => (i * 7919) % 500);
    due.forEach((d, i) => q.set(`k${i}`, BigInt(d)));
    const popped = q.popDue(1000n);
    expect(popped).toHaveLength(500);
    const times = popped.map((k) => due[Number(k.slice(1))]!);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });
});
