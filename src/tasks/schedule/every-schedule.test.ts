import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../core/duration.js';
import { formatRfc3339Nano, parseRfc3339Ns } from '../../core/time.js';
import { EverySchedule } from './every-schedule.js';

const t = parseRfc3339Ns;
const fmt = (ns: bigint): string => formatRfc3339Nano(ns);

describe('EverySchedule alignment (InfluxDB: Go Truncate from 0001-01-01 UTC)', () => {
  const cases: { every: string; created: string; first: string; note: string }[] = [
    { every: '1h', created: '2026-03-04T14:37:12Z', first: '2026-03-04T15:00:00Z', note: 'top of the hour' },
    { every: '1h', created: '2026-03-04T15:00:00Z', first: '2026-03-04T16:00:00Z', note: 'strictly after an aligned creation' },
    { every: '1h', created: '2026-03-04T14:59:59.999Z', first: '2026-03-04T15:00:00Z', note: 'sub-second creation' },
    { every: '5m', created: '2026-03-04T14:37:12Z', first: '2026-03-04T14:40:00Z', note: '5m grid' },
    { every: '15m', created: '2026-03-04T14:37:12Z', first: '2026-03-04T14:45:00Z', note: '15m grid' },
    { every: '90m', created: '2026-03-04T14:37:12Z', first: '2026-03-04T15:00:00Z', note: '90m divides a day: 00:00, 01:30, …, 15:00' },
    { every: '1h30m', created: '2026-03-04T15:10:00Z', first: '2026-03-04T16:30:00Z', note: 'compound literal' },
    { every: '1d', created: '2026-03-04T14:37:12Z', first: '2026-03-05T00:00:00Z', note: 'midnight UTC' },
    { every: '1w', created: '2026-03-04T14:37:12Z', first: '2026-03-09T00:00:00Z', note: 'Monday 00:00 UTC (2026-03-04 is a Wednesday)' },
    { every: '1w', created: '2026-03-09T00:00:00Z', first: '2026-03-16T00:00:00Z', note: 'created exactly on Monday midnight' },
    { every: '7m', created: '2026-01-01T01:10:23Z', first: '2026-01-01T01:16:00Z', note: 'non-divisor: phase counted from year 1 (01:09 + 7m)' },
    { every: '2d', created: '2026-01-01T05:00:00Z', first: '2026-01-03T00:00:00Z', note: 'even days since year 1' },
    { every: '1s', created: '2026-03-04T14:37:12.5Z', first: '2026-03-04T14:37:13Z', note: 'seconds' },
    { every: '1mo', created: '2026-01-17T05:12:34Z', first: '2026-02-14T00:00:00Z', note: 'month: truncated by 31 days, then +1mo' },
    { every: '1y', created: '2026-01-01T05:00:00Z', first: '2026-08-28T00:00:00Z', note: 'year: truncated by 365 days, then +1y' },
  ];
  it.each(cases)('$every created $created → $first ($note)', ({ every, created, first }) => {
    const schedule = new EverySchedule(parseDuration(every), t(created));
    expect(fmt(schedule.next(t(created)))).toBe(first);
  });

  it.each([
    { every: '1h', after: '2026-03-04T15:00:00Z', slots: ['2026-03-04T16:00:00Z', '2026-03-04T17:00:00Z', '2026-03-04T18:00:00Z'] },
    { every: '90m', after: '2026-03-04T23:59:00Z', slots: ['2026-03-05T00:00:00Z', '2026-03-05T01:30:00Z', '2026-03-05T03:00:00Z'] },
    { every: '1mo', after: '2026-01-17T05:12:34Z', slots: ['2026-02-14T00:00:00Z', '2026-03-14T00:00:00Z', '2026-04-14T00:00:00Z'] },
  ])('$every: successive slots after $after', ({ every, after, slots }) => {
    const schedule = new EverySchedule(parseDuration(every), t(after));
    expect(schedule.nextN(t(after), 3).map(fmt)).toEqual(slots);
  });

  it('calendar chain follows Go AddDate normalisation (Jan 31 + 1mo = Mar 3)', () => {
    // Anchor exactly on a slot of a 1mo chain that lands on the 31st.
    const anchor = t('2025-12-31T00:00:00Z');
    const s = new EverySchedule(parseDuration('1mo'), anchor);
    const first = s.next(anchor);
    const chain = s.nextN(first, 2).map(fmt);
    // Whatever the aligned day, each step is a calendar month from the previous slot.
    const d = new Date(Number(first / 1_000_000n));
    d.setUTCMonth(d.getUTCMonth() + 1);
    expect(chain[0]).toBe(fmt(BigInt(d.getTime()) * 1_000_000n));
  });

  it('asking for an earlier time than the cursor restarts from the aligned anchor', () => {
    const s = new EverySchedule(parseDuration('1mo'), t('2026-01-17T05:12:34Z'));
    expect(fmt(s.next(t('2026-06-01T00:00:00Z')))).toBe('2026-06-14T00:00:00Z');
    expect(fmt(s.next(t('2026-02-01T00:00:00Z')))).toBe('2026-02-14T00:00:00Z');
  });

  it.each([
    { every: '500ms', message: 'every option must be at least 1 second' },
    { every: '1500ms', message: 'every option must be expressible as whole seconds' },
  ])('rejects $every', ({ every, message }) => {
    expect(() => new EverySchedule(parseDuration(every), 0n)).toThrow(message);
  });
});
