import { describe, expect, it } from 'vitest';
import { Histogram, SchedulerStats } from './scheduler-metrics.js';

describe('Histogram', () => {
  it('counts cumulatively per upper bound, with sum and count', () => {
    const h = new Histogram([1, 5, 10]);
    for (const v of [0.5, 1, 3, 7, 20]) h.observe(v);
    expect(h.counts).toEqual([2, 3, 4]);
    expect(h.count).toBe(5);
    expect(h.sumSeconds).toBe(31.5);
  });
});

describe('SchedulerStats', () => {
  it('turns scheduler events into counters and histograms', () => {
    const s = new SchedulerStats();
    s.runQueued({ scheduleDelayNs: 500_000_000n });
    s.runStarted({ startDelayNs: 2_500_000_000n });
    s.runFinished({ status: 'failed', durationNs: 1_000_000_000n });
    s.attemptFailed({ willRetry: true });
    s.attemptFailed({ willRetry: false });
    s.slotsSkipped({ count: 7 });
    expect([s.runsQueued, s.runsStarted]).toEqual([1, 1]);
    expect(s.scheduleDelay.sumSeconds).toBe(0.5);
    expect(s.startDelay.sumSeconds).toBe(2.5);
    expect(s.runsFinished.failed).toBe(1);
    expect(s.runDuration.sumSeconds).toBe(1);
    expect([s.attemptsFailed, s.retries, s.slotsSkippedTotal]).toEqual([2, 1, 7]);
  });
});
