import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addFluxDuration, civil, daysInMonth, fromCivil, isoWeek } from './calendar.js';

const MS = 1_000_000n;
// Times Date can represent, ±200 years around the epoch, in nanoseconds.
const timeNs = fc.bigInt({ min: -6_300_000_000_000_000_000n, max: 6_300_000_000_000_000_000n });

describe('calendar', () => {
  it('agrees with Date on calendar fields', () => {
    fc.assert(
      fc.property(timeNs, (t) => {
        const ms = t / MS - (t % MS < 0n ? 1n : 0n);
        const d = new Date(Number(ms));
        const c = civil(t);
        expect([c.year, c.month, c.day, c.hour, c.minute, c.second, c.weekday]).toEqual([
          d.getUTCFullYear(),
          d.getUTCMonth() + 1,
          d.getUTCDate(),
          d.getUTCHours(),
          d.getUTCMinutes(),
          d.getUTCSeconds(),
          d.getUTCDay(),
        ]);
        expect(BigInt(c.nanosecond)).toBe(t - (t / 1_000_000_000n - (t % 1_000_000_000n < 0n ? 1n : 0n)) * 1_000_000_000n);
      }),
    );
  });

  it('round-trips through fromCivil', () => {
    fc.assert(
      fc.property(timeNs, (t) => {
        const c = civil(t);
        const nsOfDay = BigInt(((c.hour * 60 + c.minute) * 60 + c.second) * 1e9 + c.nanosecond);
        expect(fromCivil(c.year, c.month, c.day, nsOfDay)).toBe(t);
      }),
    );
  });

  it('adds months keeping the time of day and clamping the day', () => {
    fc.assert(
      fc.property(timeNs, fc.integer({ min: -600, max: 600 }), (t, months) => {
        const before = civil(t);
        const after = civil(addFluxDuration(t, { months, nanoseconds: 0n, negative: months < 0 }));
        const total = before.year * 12 + before.month - 1 + months;
        expect(after.year * 12 + after.month - 1).toBe(total);
        expect(after.day).toBe(Math.min(before.day, daysInMonth(after.year, after.month)));
        expect([after.hour, after.minute, after.second, after.nanosecond]).toEqual([before.hour, before.minute, before.second, before.nanosecond]);
      }),
    );
  });

  it.each([
    ['2020-12-31', 53],
    ['2021-01-03', 53],
    ['2021-01-04', 1],
    ['2019-12-30', 1],
    ['2026-06-15', 25],
  ])('ISO week of %s is %i', (date, week) => {
    expect(isoWeek(civil(BigInt(Date.parse(`${date}T12:00:00Z`)) * MS))).toBe(week);
  });
});
