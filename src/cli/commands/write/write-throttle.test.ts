import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../core/clock.js';
import { WriteThrottle } from './write-throttle.js';

/** A step: advance the clock by `idleMs`, then reserve `bytes`; `waitMs` is the decision. */
interface Step {
  idleMs: number;
  bytes: number;
  waitMs: number;
}

describe('WriteThrottle pacing decisions', () => {
  // Each reservation is made right after the previous wait ended (idleMs = that wait) unless said otherwise.
  const cases: { name: string; bytesPerSecond: number; steps: Step[] }[] = [
    {
      name: 'starts empty: the first batch waits too; each waits its own size / rate',
      bytesPerSecond: 100,
      steps: [
        { idleMs: 0, bytes: 50, waitMs: 500 },
        { idleMs: 500, bytes: 50, waitMs: 500 },
        { idleMs: 500, bytes: 100, waitMs: 1000 },
      ],
    },
    {
      name: 'idle time is saved up as credit',
      bytesPerSecond: 100,
      steps: [
        { idleMs: 0, bytes: 100, waitMs: 1000 },
        { idleMs: 1000 + 3000, bytes: 200, waitMs: 0 },
        { idleMs: 0, bytes: 250, waitMs: 1500 },
      ],
    },
    {
      name: 'reservations without waiting queue up behind each other',
      bytesPerSecond: 1000,
      steps: [
        { idleMs: 0, bytes: 500, waitMs: 500 },
        { idleMs: 0, bytes: 500, waitMs: 1000 },
        { idleMs: 250, bytes: 250, waitMs: 1000 },
      ],
    },
    { name: '1B/m: two bytes take two minutes', bytesPerSecond: 1 / 60, steps: [{ idleMs: 0, bytes: 2, waitMs: 120_000 }] },
    {
      name: '5 MB / 5 min, batches of one second of budget, each waits a second',
      bytesPerSecond: (5 * 1048576) / 300,
      steps: [
        { idleMs: 0, bytes: 17476.266666666666, waitMs: 1000 },
        { idleMs: 1000, bytes: 17476.266666666666, waitMs: 1000 },
      ],
    },
  ];
  it.each(cases)('$name', ({ bytesPerSecond, steps }) => {
    const clock = new FakeClock();
    const throttle = new WriteThrottle(bytesPerSecond, clock);
    const waits = steps.map((s) => {
      clock.advance(s.idleMs);
      return throttle.reserve(s.bytes);
    });
    waits.forEach((w, i) => expect(w).toBeCloseTo(steps[i]!.waitMs, 6));
  });

  it('acquire resolves only when the clock has moved by the wait', async () => {
    const clock = new FakeClock();
    const throttle = new WriteThrottle(100, clock);
    let done = false;
    const p = throttle.acquire(150).then(() => (done = true));
    await Promise.resolve();
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1499);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await p;
    expect(done).toBe(true);
  });

  it('acquire within the saved-up credit does not wait', async () => {
    const clock = new FakeClock();
    const throttle = new WriteThrottle(100, clock);
    clock.advance(2000);
    await throttle.acquire(200);
    expect(clock.pendingTimers).toBe(0);
  });

  it('the credit is capped at the burst (1e9 bytes)', () => {
    const clock = new FakeClock();
    const throttle = new WriteThrottle(1_000_000, clock);
    clock.advance(10_000_000); // 1e13 bytes of credit, capped at 1e9
    expect(throttle.reserve(1_000_000_000)).toBe(0);
    expect(throttle.reserve(1_000_000)).toBeCloseTo(1000, 6);
  });
});

describe('WriteThrottle property', () => {
  it('batches sent back to back from a standing start take total bytes / rate (under 1 ms more: waits are whole ms)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e7, noNaN: true }), fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 30 }), (rate, sizes) => {
        const clock = new FakeClock(0);
        const throttle = new WriteThrottle(rate, clock);
        for (const size of sizes) clock.advance(Math.ceil(throttle.reserve(size))); // as acquire waits
        const idealMs = (sizes.reduce((a, b) => a + b, 0) / rate) * 1000;
        const slack = idealMs * 1e-9;
        expect(clock.nowMs()).toBeGreaterThanOrEqual(idealMs - slack);
        expect(clock.nowMs()).toBeLessThan(idealMs + 1 + slack);
      }),
    );
  });
});
