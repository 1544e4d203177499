import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';

describe('FakeClock', () => {
  it('fires timers in time order, including ones scheduled while advancing', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    clock.setTimer(20, () => fired.push('b@' + clock.nowMs()));
    clock.setTimer(10, () => {
      fired.push('a@' + clock.nowMs());
      clock.setTimer(5, () => fired.push('c@' + clock.nowMs()));
    });
    clock.advance(30);
    expect(fired).toEqual(['a@10', 'c@15', 'b@20']);
    expect(clock.nowMs()).toBe(30);
  });

  it('does not fire cancelled timers', () => {
    const clock = new FakeClock(0);
    let fired = false;
    clock.setTimer(5, () => (fired = true)).cancel();
    clock.advance(10);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });
});
