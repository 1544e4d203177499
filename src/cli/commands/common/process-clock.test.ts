import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProcessClock } from './process-clock.js';

/** ProcessClock's timers, on vitest's fake timers (no real waiting). */
describe('ProcessClock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each([
    { name: 'a short delay', delayMs: 1500 },
    { name: 'a delay beyond setTimeout (2^31-1 ms)', delayMs: 2 ** 31 + 5_000 },
    { name: 'more than twice that', delayMs: 2 * (2 ** 31 - 1) + 7 },
  ])('$name fires exactly when due', ({ delayMs }) => {
    const fired = vi.fn();
    new ProcessClock().setTimer(delayMs, fired);
    vi.advanceTimersByTime(delayMs - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('cancel stops a long timer at any step', () => {
    const fired = vi.fn();
    const handle = new ProcessClock().setTimer(2 ** 31 + 10, fired);
    vi.advanceTimersByTime(2 ** 31);
    handle.cancel();
    vi.advanceTimersByTime(2 ** 31);
    expect(fired).not.toHaveBeenCalled();
  });

  it('its timers are not unref\'d (a command waiting on one keeps the process up)', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    new ProcessClock().setTimer(10, () => {});
    const timer = spy.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(true);
    spy.mockRestore();
  });
});
