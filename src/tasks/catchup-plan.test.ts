import { describe, expect, it } from 'vitest';
import { parseDuration } from '../core/duration.js';
import { formatRfc3339Nano, parseRfc3339Ns } from '../core/time.js';
import { planCatchup } from './catchup-plan.js';
import type { CatchupPolicy } from './options/task-options.js';
import { CronSchedule } from './schedule/cron-schedule.js';
import { EverySchedule } from './schedule/every-schedule.js';
import type { Schedule } from './schedule/schedule.js';

const t = parseRfc3339Ns;
const fmt = formatRfc3339Nano;

const every1h = (): Schedule => new EverySchedule(parseDuration('1h'), 0n);
// Same slots as every1h, but walked slot by slot (cron has no closed form).
const cron1h = (): Schedule => CronSchedule.parse('0 * * * *');

interface Case {
  name: string;
  policy: CatchupPolicy;
  limit: number;
  offset: string;
  now: string;
  missed: number;
  resumeAfter: string;
  skipped?: [string, string, number];
}

// Last scheduled 10:00; now 15:30 → missed slots 11:00..15:00 (5 of them).
const cases: Case[] = [
  { name: 'all within the limit runs everything', policy: 'all', limit: 1000, offset: '0s', now: '2026-03-04T15:30:00Z', missed: 5, resumeAfter: '2026-03-04T10:00:00Z' },
  { name: 'all beyond the limit skips the oldest', policy: 'all', limit: 2, offset: '0s', now: '2026-03-04T15:30:00Z', missed: 5, resumeAfter: '2026-03-04T13:00:00Z', skipped: ['2026-03-04T11:00:00Z', '2026-03-04T13:00:00Z', 3] },
  { name: 'latest keeps the most recent', policy: 'latest', limit: 1000, offset: '0s', now: '2026-03-04T15:30:00Z', missed: 5, resumeAfter: '2026-03-04T14:00:00Z', skipped: ['2026-03-04T11:00:00Z', '2026-03-04T14:00:00Z', 4] },
  { name: 'skip skips all', policy: 'skip', limit: 1000, offset: '0s', now: '2026-03-04T15:30:00Z', missed: 5, resumeAfter: '2026-03-04T15:00:00Z', skipped: ['2026-03-04T11:00:00Z', '2026-03-04T15:00:00Z', 5] },
  { name: 'a slot whose offset start is still ahead is not missed', policy: 'skip', limit: 1000, offset: '45m', now: '2026-03-04T15:30:00Z', missed: 4, resumeAfter: '2026-03-04T14:00:00Z', skipped: ['2026-03-04T11:00:00Z', '2026-03-04T14:00:00Z', 4] },
  { name: 'negative offset makes the next slot already due', policy: 'skip', limit: 1000, offset: '-45m', now: '2026-03-04T15:30:00Z', missed: 6, resumeAfter: '2026-03-04T16:00:00Z', skipped: ['2026-03-04T11:00:00Z', '2026-03-04T16:00:00Z', 6] },
  { name: 'latest with a single missed slot skips nothing', policy: 'latest', limit: 1000, offset: '0s', now: '2026-03-04T11:00:00Z', missed: 1, resumeAfter: '2026-03-04T10:00:00Z' },
  { name: 'nothing missed', policy: 'skip', limit: 1000, offset: '0s', now: '2026-03-04T10:59:59Z', missed: 0, resumeAfter: '2026-03-04T10:00:00Z' },
  { name: 'limit 0 behaves as skip', policy: 'all', limit: 0, offset: '0s', now: '2026-03-04T15:30:00Z', missed: 5, resumeAfter: '2026-03-04T15:00:00Z', skipped: ['2026-03-04T11:00:00Z', '2026-03-04T15:00:00Z', 5] },
];

describe.each([
  { kind: 'fixed every (closed form)', make: every1h },
  { kind: 'cron (walked)', make: cron1h },
])('planCatchup with $kind', ({ make }) => {
  it.each(cases)('$name', (c) => {
    const plan = planCatchup(make(), t('2026-03-04T10:00:00Z'), t(c.now), parseDuration(c.offset), c.policy, c.limit);
    expect(plan.missed).toBe(c.missed);
    expect(fmt(plan.resumeAfterNs)).toBe(c.resumeAfter);
    if (c.skipped === undefined) expect(plan.skipped).toBeUndefined();
    else expect(plan.skipped && [fmt(plan.skipped.firstNs), fmt(plan.skipped.lastNs), plan.skipped.count]).toEqual(c.skipped);
  });
});

describe('planCatchup at scale', () => {
  it('a year of 1s slots is planned without walking them', () => {
    const plan = planCatchup(new EverySchedule(parseDuration('1s'), 0n), t('2025-03-04T00:00:00Z'), t('2026-03-04T00:00:00Z'), parseDuration('0s'), 'all', 1000);
    expect(plan.missed).toBe(365 * 86400);
    expect(plan.skipped?.count).toBe(365 * 86400 - 1000);
    expect(fmt(plan.resumeAfterNs)).toBe('2026-03-03T23:43:20Z');
  });

  it('a walked month of minutes keeps the most recent 1000', () => {
    const plan = planCatchup(CronSchedule.parse('* * * * *'), t('2026-02-01T00:00:00Z'), t('2026-03-01T00:00:00Z'), parseDuration('0s'), 'all', 1000);
    expect(plan.missed).toBe(28 * 1440);
    expect(plan.skipped?.count).toBe(28 * 1440 - 1000);
    expect(fmt(plan.skipped!.lastNs)).toBe('2026-02-28T07:20:00Z');
  });
});
