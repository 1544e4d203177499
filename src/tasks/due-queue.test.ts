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

describe('DueQueue, instants shared by many keys', () => {
  it('pops keys due at one instant in the order they were last set, skipping moved and deleted ones', () => {
    const q = new DueQueue();
    for (const k of ['a', 'b', 'c', 'd']) q.set(k, 60n);
    q.set('a', 120n); // moved away
    q.set('a', 60n); // and back: now after d
    q.delete('c');
    q.set('b', 60n); // unchanged: keeps its place
    expect(q.size).toBe(3);
    expect(q.popDue(60n)).toEqual(['b', 'd', 'a']);
    expect(q.size).toBe(0);
    expect(q.peekDueNs()).toBeUndefined();
  });

  it('peek skips instants whose keys all moved or were deleted', () => {
    const q = new DueQueue();
    q.set('a', 10n);
    q.set('b', 10n);
    q.set('c', 30n);
    q.set('a', 40n);
    q.delete('b');
    expect(q.peekDueNs()).toBe(30n);
    expect(q.popDue(35n)).toEqual(['c']);
    expect(q.peekDueNs()).toBe(40n);
    q.set('b', 10n); // an instant used before gets a fresh bucket
    expect(q.popDue(100n)).toEqual(['b', 'a']);
  });

  it('matches a plain model under random set/delete/pop sequences', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const q = new DueQueue();
      // The model: key → [dueNs, order of its last effective set].
      const model = new Map<string, [bigint, number]>();
      let order = 0;
      let now = 0n;
      for (let step = 0; step < 200; step++) {
        const key = `k${rand(12)}`;
        const op = rand(10);
        if (op < 6) {
          const due = now + BigInt(rand(5) * 10);
          q.set(key, due);
          if (model.get(key)?.[0] !== due) model.set(key, [due, order++]);
        } else if (op < 8) {
          q.delete(key);
          model.delete(key);
        } else {
          now += BigInt(rand(3) * 10);
          const expected = [...model]
            .filter(([, [due]]) => due <= now)
            .sort(([, a], [, b]) => (a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1))
            .map(([k]) => k);
          expect(q.popDue(now)).toEqual(expected);
          for (const k of expected) model.delete(k);
        }
        expect(q.size).toBe(model.size);
        const earliest = [...model.values()].reduce<bigint | undefined>((m, [d]) => (m === undefined || d < m ? d : m), undefined);
        expect(q.peekDueNs()).toBe(earliest);
      }
    }
  });
});
