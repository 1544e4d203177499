import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCronExpression, type CronFields } from './cron-expression.js';
import { CronSchedule } from './cron-schedule.js';
import { TimeZone } from './time-zone.js';

// Offsets straight from Intl (no cache), independent of TimeZone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function offsetAt(zone: string, sec: number): number {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(sec * 1000)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) / 1000 - sec;
}

function matches(f: CronFields, wallSec: number): boolean {
  const d = new Date(wallSec * 1000);
  return (
    f.seconds[d.getUTCSeconds()] === true &&
    f.minutes[d.getUTCMinutes()] === true &&
    f.hours[d.getUTCHours()] === true &&
    f.daysOfMonth[d.getUTCDate()] === true &&
    f.months[d.getUTCMonth() + 1] === true &&
    f.daysOfWeek[d.getUTCDay()] === true
  );
}

/** Does a wall time in (fromWall, toWall) exclusive match, stepping by minutes (5-field crons)? */
function gapHasMatch(f: CronFields, fromWall: number, toWall: number): boolean {
  for (let w = Math.floor(fromWall / 60) * 60 + 60; w < toWall; w += 60) if (matches(f, w)) return true;
  return false;
}

const TRANSITIONS: Record<string, string[]> = {
  'America/New_York': ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'],
  'Europe/London': ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'],
  'Australia/Lord_Howe': ['2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z'],
};

const minuteField = fc.constantFrom('*', '0', '30', '*/15', '0,30', '15-45/10', '59', '*/7');
const hourField = fc.constantFrom('*', '1', '2', '1-3', '*/2', '0,1,2,3', '2/5');

describe('zoned cron: invariants around DST transitions', () => {
  it('next() is later, lands on a matching wall time or a gap jump, and skips no first occurrence', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(TRANSITIONS)),
        fc.integer({ min: 0, max: 1 }),
        fc.integer({ min: -4 * 3600, max: 2 * 3600 }),
        minuteField,
        hourField,
        (zoneName, which, delta, mi, h) => {
          const f = (parseCronExpression(`${mi} ${h} * * *`) as { kind: 'fields'; fields: CronFields }).fields;
          const after = Date.parse(TRANSITIONS[zoneName]![which]!) / 1000 + delta;
          const r = Number(CronSchedule.parse(`${mi} ${h} * * *`, TimeZone.of(zoneName)).next(BigInt(after) * 1_000_000_000n) / 1_000_000_000n);
          expect(r).toBeGreaterThan(after);
          const wall = (x: number): number => x + offsetAt(zoneName, x);
          const jumped = offsetAt(zoneName, r - 1) < offsetAt(zoneName, r);
          expect(matches(f, wall(r)) || (jumped && gapHasMatch(f, wall(r - 1), wall(r)))).toBe(true);
          // Minimality: between `after` and r no instant is the first occurrence of a matching wall
          // time, and no forward jump swallowed a matching wall time.
          for (let x = Math.floor(after / 60) * 60 + 60; x < r; x += 60) {
            const w = wall(x);
            const earlier = x - (offsetAt(zoneName, x - 7200) - offsetAt(zoneName, x));
            const firstOccurrence = !(earlier < x && wall(earlier) === w);
            if (matches(f, w) && firstOccurrence && x > after) throw new Error(`missed ${new Date(x * 1000).toISOString()}`);
            if (offsetAt(zoneName, x - 60) < offsetAt(zoneName, x) && gapHasMatch(f, wall(x - 60), w) && x > after && x < r) {
              throw new Error(`missed gap jump at ${new Date(x * 1000).toISOString()}`);
            }
          }
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });
});
