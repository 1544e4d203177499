import { describe, expect, it } from 'vitest';
import { FULL_AFTER_GROWTH_BYTES, HarnessGc, overlapMs, type ExposedGc } from './harness-gc.js';

describe('harness GC', () => {
  it('counts only the part of each collection inside the interval, major ones apart', () => {
    const spans = [
      { startMs: 0, endMs: 5, major: false }, // before
      { startMs: 8, endMs: 12, major: false }, // 2 ms inside
      { startMs: 15, endMs: 17, major: true }, // all inside
      { startMs: 19, endMs: 30, major: true }, // 1 ms inside
    ];
    expect(overlapMs(spans, 10, 20)).toEqual({ ms: 5, majorMs: 3 });
    expect(overlapMs(spans, 30, 40)).toEqual({ ms: 0, majorMs: 0 });
  });

  it('collects fully before warm-ups, and before timed runs the young generation until old garbage built up', () => {
    const calls: (string | undefined)[] = [];
    const gc: ExposedGc = (options) => calls.push(options?.type);
    let memory = 100e6;
    const harness = new HarnessGc(gc, () => memory);
    harness.full();
    memory += FULL_AFTER_GROWTH_BYTES - 1;
    expect(harness.beforeTimedRun()).toBe('young');
    memory += 2;
    expect(harness.beforeTimedRun()).toBe('full');
    memory += 1000;
    expect(harness.beforeTimedRun()).toBe('young');
    harness.stop();
    expect(calls).toEqual([undefined, 'minor', undefined, 'minor']);
    expect(harness.available).toBe(true);
    const none = new HarnessGc(undefined);
    none.full();
    expect(none.beforeTimedRun()).toBe('none');
    none.stop();
    expect(none.available).toBe(false);
  });

  it('sees the collections that happen during an interval', async () => {
    const harness = new HarnessGc(undefined);
    harness.add({ startMs: 100, endMs: 104, major: false });
    expect(await harness.within(101, 103)).toEqual({ ms: 2, majorMs: 0 });
    harness.stop();
  });
});
