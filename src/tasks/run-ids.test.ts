import { describe, expect, it } from 'vitest';
import { isValidId } from '../core/ids.js';
import { timeOrderedIds } from './run-ids.js';

describe('timeOrderedIds', () => {
  it('valid platform ids, strictly increasing while the clock stands still, steps back or moves on', () => {
    const clock = [1_764_000_000_000, 1_764_000_000_000, 1_763_999_999_000, 1_764_000_000_005];
    let call = 0;
    const next = timeOrderedIds(() => clock[Math.min(Math.floor(call++ / 3000), clock.length - 1)]!, 7);
    const ids = Array.from({ length: 12_000 }, next);
    expect(ids.every(isValidId)).toBe(true);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('lays out milliseconds, generator and sequence as a snowflake id', () => {
    const ms = 1_764_000_000_123;
    const next = timeOrderedIds(() => ms, 0x2a5);
    const first = BigInt('0x' + next());
    const second = BigInt('0x' + next());
    expect(first >> 22n).toBe(BigInt(ms));
    expect((first >> 12n) & 0x3ffn).toBe(0x2a5n);
    expect(first & 0xfffn).toBe(0n);
    expect(second - first).toBe(1n);
  });

  it('runs past 4,096 ids in one millisecond into the next one', () => {
    const ms = 1_764_000_000_000;
    const next = timeOrderedIds(() => ms, 1);
    const ids = Array.from({ length: 4097 }, () => BigInt('0x' + next()));
    expect(ids[4095]! >> 22n).toBe(BigInt(ms));
    expect(ids[4096]! >> 22n).toBe(BigInt(ms + 1));
    expect(ids[4096]! & 0xfffn).toBe(0n);
  });

  it('two generators never give the same id for the same instants', () => {
    const a = timeOrderedIds(() => 1_764_000_000_000, 1);
    const b = timeOrderedIds(() => 1_764_000_000_000, 2);
    const ids = [...Array.from({ length: 5000 }, a), ...Array.from({ length: 5000 }, b)];
    expect(new Set(ids).size).toBe(ids.length);
  });
});
