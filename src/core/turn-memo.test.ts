import { describe, expect, it } from 'vitest';
import { TurnMemo } from './turn-memo.js';

/** A memo whose turn ends when the test says so. */
function manualMemo(): { memo: TurnMemo<string, number>; endTurn: () => void; scheduled: () => number } {
  const clears: (() => void)[] = [];
  const memo = new TurnMemo<string, number>((clear) => clears.push(clear));
  return { memo, endTurn: () => clears.splice(0).forEach((c) => c()), scheduled: () => clears.length };
}

describe('TurnMemo', () => {
  it.each([
    { name: 'same key, same turn: loaded once', keys: ['a', 'a', 'a'], turnEndsAfter: [], loads: ['a'] },
    { name: 'different keys: each loaded once', keys: ['a', 'b', 'a', 'b'], turnEndsAfter: [], loads: ['a', 'b'] },
    { name: 'a new turn reloads', keys: ['a', 'a', 'a'], turnEndsAfter: [0, 1], loads: ['a', 'a', 'a'] },
    { name: 'only after the turn ends', keys: ['a', 'a', 'b', 'a'], turnEndsAfter: [1], loads: ['a', 'b', 'a'] },
  ])('$name', ({ keys, turnEndsAfter, loads }) => {
    const { memo, endTurn } = manualMemo();
    const loaded: string[] = [];
    let version = 0;
    keys.forEach((k, i) => {
      memo.get(k, (key) => (loaded.push(key), ++version));
      if (turnEndsAfter.includes(i)) endTurn();
    });
    expect(loaded).toEqual(loads);
  });

  it('a change after the turn is seen: the value is not kept', () => {
    const { memo, endTurn } = manualMemo();
    let stored = 1;
    expect(memo.get('k', () => stored)).toBe(1);
    stored = 2;
    expect(memo.get('k', () => stored)).toBe(1);
    endTurn();
    expect(memo.get('k', () => stored)).toBe(2);
  });

  it('schedules one clear per turn, none while empty', () => {
    const { memo, endTurn, scheduled } = manualMemo();
    expect(scheduled()).toBe(0);
    memo.get('a', () => 1);
    memo.get('b', () => 2);
    expect(scheduled()).toBe(1);
    endTurn();
    expect(scheduled()).toBe(0);
  });

  it('by default clears on setImmediate', async () => {
    const memo = new TurnMemo<string, number>();
    let n = 0;
    memo.get('k', () => ++n);
    memo.get('k', () => ++n);
    await new Promise((r) => setImmediate(r));
    expect(memo.get('k', () => ++n)).toBe(2);
  });
});
