import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationFromNs } from '../core/duration.js';
import { planCatchup } from './catchup-plan.js';
import type { CatchupPolicy } from './options/task-options.js';
import { EverySchedule } from './schedule/every-schedule.js';
import type { Schedule } from './schedule/schedule.js';

const S = 1_000_000_000n;
const BASE = 1_772_000_000n * S; // early 2026

describe('planCatchup: closed form (fixed every) equals walking the slots', () => {
  it('for random intervals, offsets, outages, policies and limits', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1n, 7n, 60n, 300n, 3600n, 5400n, 86_400n),
        fc.integer({ min: -7200, max: 7200 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.constantFrom<CatchupPolicy>('all', 'latest', 'skip'),
        fc.integer({ min: 0, max: 50 }),
        (everySec, offsetSec, lastOffsetSec, outageSec, policy, limit) => {
          const every = new EverySchedule(durationFromNs(everySec * S), 0n);
          // The same slots, hidden behind a plain object so planCatchup has to walk them.
          const walked: Schedule = { next: (a) => every.next(a), nextN: (a, n) => every.nextN(a, n) };
          const last = BASE + BigInt(lastOffsetSec) * S;
          const now = last + BigInt(outageSec) * S;
          const offset = durationFromNs(BigInt(offsetSec) * S);
          // Keep the walk short enough for a unit test.
          fc.pre(outageSec / Number(everySec) < 20_000);
          expect(planCatchup(every, last, now, offset, policy, limit)).toEqual(planCatchup(walked, last, now, offset, policy, limit));
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('EverySchedule: slots are on the grid, strictly after, at most one interval away', () => {
  it('for random intervals and times', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 8n * 86_400n }), fc.bigInt({ min: 0n, max: 4_000_000_000n * S }), (everySec, after) => {
        const s = new EverySchedule(durationFromNs(everySec * S), 0n);
        const next = s.next(after);
        expect(next > after).toBe(true);
        expect(next - after <= everySec * S).toBe(true);
        // On the grid counted from 0001-01-01T00:00:00Z.
        expect((next / S + 62_135_596_800n) % everySec).toBe(0n);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
