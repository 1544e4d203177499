import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRfc3339Ns } from '../../../core/time.js';
import { fromWallClock, isKnownZone, toWallClock, zoneOffsetSeconds } from './zone-clock.js';

const t = parseRfc3339Ns;

describe('zone clock', () => {
  it.each([
    ['UTC', true],
    ['America/New_York', true],
    ['Asia/Calcutta', true],
    ['Etc/GMT+3', true],
    ['', true],
    ['utc', false],
    ['america/new_york', false],
    ['Mars/Olympus', false],
  ])('isKnownZone(%j) = %s', (zone, want) => {
    expect(isKnownZone(zone)).toBe(want);
  });

  it.each([
    ['America/New_York', '2021-01-15T12:00:00Z', -5 * 3600],
    ['America/New_York', '2021-07-15T12:00:00Z', -4 * 3600],
    ['Asia/Kolkata', '2021-07-15T12:00:00Z', 5.5 * 3600],
    ['Australia/Lord_Howe', '2021-01-15T12:00:00Z', 11 * 3600],
    ['Etc/GMT+3', '2021-01-15T12:00:00Z', -3 * 3600],
  ])('offset of %s at %s', (zone, at, want) => {
    expect(zoneOffsetSeconds(zone, Number(t(at) / 1_000_000_000n))).toBe(want);
  });

  it('round-trips wall clock times outside transitions', () => {
    for (const at of ['2021-01-15T12:34:56.789Z', '1999-12-31T23:59:59Z', '2021-07-01T00:00:00Z']) {
      const utc = t(at);
      expect(fromWallClock('Europe/Berlin', toWallClock('Europe/Berlin', utc))).toBe(utc);
    }
  });

  it('maps a wall time in the spring-forward gap to the transition instant', () => {
    // New York 2021-03-14: 02:00 EST jumps to 03:00 EDT at 07:00 UTC; 02:30 does not exist.
    expect(fromWallClock('America/New_York', t('2021-03-14T02:30:00Z'))).toBe(t('2021-03-14T07:00:00Z'));
  });

  it('maps an ambiguous wall time (fall back) to its first occurrence', () => {
    // New York 2021-11-07: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    expect(fromWallClock('America/New_York', t('2021-11-07T01:30:00Z'))).toBe(t('2021-11-07T05:30:00Z'));
  });

  it.each(['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata'])(
    'maps wall clock times back to their first occurrence in %s',
    (zone) => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 2_000_000_000n }), (sec) => {
          const utc = sec * 1_000_000_000n;
          const back = fromWallClock(zone, toWallClock(zone, utc));
          expect(toWallClock(zone, back)).toBe(toWallClock(zone, utc));
          expect(back <= utc).toBe(true);
        }),
        { numRuns: 300 },
      );
    },
  );
});
