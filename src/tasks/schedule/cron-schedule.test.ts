import { describe, expect, it } from 'vitest';
import { formatRfc3339Nano, parseRfc3339Ns } from '../../core/time.js';
import { CronSchedule } from './cron-schedule.js';
import { parseCronExpression } from './cron-expression.js';
import { TimeZone } from './time-zone.js';

const t = parseRfc3339Ns;
const fmt = (ns: bigint): string => formatRfc3339Nano(ns);

interface Case {
  name: string;
  cron: string;
  zone?: string;
  after: string;
  slots: string[];
}

const run = ({ cron, zone, after, slots }: Case): void => {
  const schedule = CronSchedule.parse(cron, TimeZone.of(zone ?? 'UTC'), t(after));
  expect(schedule.nextN(t(after), slots.length).map(fmt)).toEqual(slots);
};

describe('CronSchedule in UTC', () => {
  const cases: Case[] = [
    { name: '5 fields, every 15 minutes', cron: '*/15 * * * *', after: '2026-03-04T14:37:12Z', slots: ['2026-03-04T14:45:00Z', '2026-03-04T15:00:00Z'] },
    { name: 'strictly after a matching instant', cron: '0 * * * *', after: '2026-03-04T15:00:00Z', slots: ['2026-03-04T16:00:00Z'] },
    { name: '6 fields with seconds', cron: '*/10 * * * * *', after: '2026-03-04T00:00:05Z', slots: ['2026-03-04T00:00:10Z', '2026-03-04T00:00:20Z'] },
    { name: 'step from a start value', cron: '4/20 * * * *', after: '2026-03-04T00:00:00Z', slots: ['2026-03-04T00:04:00Z', '2026-03-04T00:24:00Z', '2026-03-04T00:44:00Z', '2026-03-04T01:04:00Z'] },
    { name: 'range with step and list', cron: '0 1-5/2,22 * * *', after: '2026-03-04T00:00:00Z', slots: ['2026-03-04T01:00:00Z', '2026-03-04T03:00:00Z', '2026-03-04T05:00:00Z', '2026-03-04T22:00:00Z'] },
    { name: 'month and weekday names', cron: '0 9 * jan-MAR Mon-Fri', after: '2026-03-27T10:00:00Z', slots: ['2026-03-30T09:00:00Z', '2026-03-31T09:00:00Z', '2027-01-01T09:00:00Z'] },
    { name: 'day of month AND day of week (influxdata/cron)', cron: '0 0 13 * FRI', after: '2026-01-01T00:00:00Z', slots: ['2026-02-13T00:00:00Z', '2026-03-13T00:00:00Z', '2026-11-13T00:00:00Z'] },
    { name: '7 is Sunday', cron: '0 0 * * 7', after: '2026-03-04T00:00:00Z', slots: ['2026-03-08T00:00:00Z'] },
    { name: 'first of the month', cron: '0 0 1 * *', after: '2026-01-15T00:00:00Z', slots: ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'] },
    { name: 'Feb 29 waits for a leap year', cron: '0 0 29 2 *', after: '2026-01-01T00:00:00Z', slots: ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z'] },
    { name: '7 fields with a year', cron: '0 0 0 1 1 * 2030', after: '2026-01-01T00:00:00Z', slots: ['2030-01-01T00:00:00Z'] },
    { name: '@yearly', cron: '@yearly', after: '2026-03-04T00:00:00Z', slots: ['2027-01-01T00:00:00Z'] },
    { name: '@annually', cron: '@annually', after: '2026-03-04T00:00:00Z', slots: ['2027-01-01T00:00:00Z'] },
    { name: '@monthly', cron: '@monthly', after: '2026-03-04T00:00:00Z', slots: ['2026-04-01T00:00:00Z'] },
    { name: '@weekly is Sunday midnight', cron: '@weekly', after: '2026-03-04T00:00:00Z', slots: ['2026-03-08T00:00:00Z', '2026-03-15T00:00:00Z'] },
    { name: '@daily', cron: '@daily', after: '2026-03-04T00:00:00Z', slots: ['2026-03-05T00:00:00Z'] },
    { name: '@midnight', cron: '@midnight', after: '2026-03-04T23:59:59Z', slots: ['2026-03-05T00:00:00Z'] },
    { name: '@hourly', cron: '@hourly', after: '2026-03-04T14:37:12Z', slots: ['2026-03-04T15:00:00Z'] },
    { name: '@every_minute', cron: '@every_minute', after: '2026-03-04T14:37:12Z', slots: ['2026-03-04T14:38:00Z'] },
    { name: '@every_second', cron: '@every_second', after: '2026-03-04T14:37:12Z', slots: ['2026-03-04T14:37:13Z'] },
    { name: '@every is aligned like every:', cron: '@every 1h', after: '2026-03-04T14:37:12Z', slots: ['2026-03-04T15:00:00Z', '2026-03-04T16:00:00Z'] },
    { name: '? in the day fields', cron: '0 12 ? * ?', after: '2026-03-04T13:00:00Z', slots: ['2026-03-05T12:00:00Z'] },
    { name: 'weekday range ending in 7 (Sunday)', cron: '0 0 * * 5-7', after: '2026-03-04T00:00:00Z', slots: ['2026-03-06T00:00:00Z', '2026-03-07T00:00:00Z', '2026-03-08T00:00:00Z', '2026-03-13T00:00:00Z'] },
    { name: 'named range with a step', cron: '0 0 1 JAN-DEC/3 *', after: '2026-01-01T00:00:00Z', slots: ['2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z', '2027-01-01T00:00:00Z'] },
    { name: 'extra whitespace between fields', cron: '  0   *  * * *  ', after: '2026-03-04T14:37:12Z', slots: ['2026-03-04T15:00:00Z'] },
    { name: 'month rollover at year end', cron: '30 23 31 12 *', after: '2026-12-31T23:30:00Z', slots: ['2027-12-31T23:30:00Z'] },
  ];
  it.each(cases)('$name: $cron', run);
});

describe('CronSchedule across daylight-saving changes', () => {
  const cases: Case[] = [
    // New York 2026: clocks forward 2026-03-08 02:00 EST → 03:00 EDT (07:00Z).
    { name: 'NY daily slot in the spring gap runs at the jump', cron: '30 2 * * *', zone: 'America/New_York', after: '2026-03-07T12:00:00Z', slots: ['2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z'] },
    { name: 'NY gap slots collapse into one run', cron: '*/15 * * * *', zone: 'America/New_York', after: '2026-03-08T06:40:00Z', slots: ['2026-03-08T06:45:00Z', '2026-03-08T07:00:00Z', '2026-03-08T07:15:00Z'] },
    { name: 'NY winter and summer offsets', cron: '0 9 * * *', zone: 'America/New_York', after: '2026-03-07T00:00:00Z', slots: ['2026-03-07T14:00:00Z', '2026-03-08T13:00:00Z'] },
    // New York 2026: clocks back 2026-11-01 02:00 EDT → 01:00 EST (06:00Z); 01:xx happens twice.
    { name: 'NY ambiguous daily slot runs once, at its first occurrence', cron: '30 1 * * *', zone: 'America/New_York', after: '2026-10-31T12:00:00Z', slots: ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z'] },
    { name: 'NY hourly skips the repeated hour', cron: '0 * * * *', zone: 'America/New_York', after: '2026-11-01T04:30:00Z', slots: ['2026-11-01T05:00:00Z', '2026-11-01T07:00:00Z', '2026-11-01T08:00:00Z'] },
    { name: 'NY asked from inside the repeated hour', cron: '30 1 * * *', zone: 'America/New_York', after: '2026-11-01T06:10:00Z', slots: ['2026-11-02T06:30:00Z'] },
    // London 2026: forward 2026-03-29 01:00 GMT → 02:00 BST; back 2026-10-25 02:00 BST → 01:00 GMT.
    { name: 'London gap', cron: '30 1 * * *', zone: 'Europe/London', after: '2026-03-28T12:00:00Z', slots: ['2026-03-29T01:00:00Z', '2026-03-30T00:30:00Z'] },
    { name: 'London ambiguous', cron: '30 1 * * *', zone: 'Europe/London', after: '2026-10-24T12:00:00Z', slots: ['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z'] },
    { name: 'London midnight in summer is 23:00Z', cron: '@daily', zone: 'Europe/London', after: '2026-06-01T12:00:00Z', slots: ['2026-06-01T23:00:00Z'] },
    // Lord Howe: +10:30 standard, +11 summer, a 30-minute change.
    { name: 'Lord Howe 30-minute gap', cron: '15 2 * * *', zone: 'Australia/Lord_Howe', after: '2026-10-03T12:00:00Z', slots: ['2026-10-03T15:30:00Z', '2026-10-04T15:15:00Z'] },
    { name: 'Lord Howe 30-minute overlap', cron: '45 1 * * *', zone: 'Australia/Lord_Howe', after: '2026-04-04T12:00:00Z', slots: ['2026-04-04T14:45:00Z', '2026-04-05T15:15:00Z'] },
  ];
  it.each(cases)('$name', run);
});

describe('cron parse errors', () => {
  it.each([
    { cron: '', message: 'has 0 fields' },
    { cron: '* * * *', message: 'has 4 fields, expected 5, 6 or 7' },
    { cron: '60 * * * *', message: 'minute 60 out of range 0-59' },
    { cron: '* 24 * * *', message: 'hour 24 out of range 0-23' },
    { cron: '* * 0 * *', message: 'day of month 0 out of range 1-31' },
    { cron: '* * * 13 *', message: 'month 13 out of range 1-12' },
    { cron: '* * * * 8', message: 'day of week 8 out of range 0-7' },
    { cron: '* * * FOO *', message: 'invalid month "FOO"' },
    { cron: '*/0 * * * *', message: 'invalid step "0"' },
    { cron: '5-1 * * * *', message: 'ends before it starts' },
    { cron: '1,,2 * * * *', message: 'empty item' },
    { cron: '* * * * * * 1969', message: 'year 1969 out of range 1970-2099' },
    { cron: '@fortnightly', message: 'unknown cron macro' },
    { cron: '@every soon', message: 'invalid duration "soon"' },
    { cron: '@every -1h', message: '@every needs a positive duration' },
    { cron: 'L * * * *', message: 'invalid minute "L"' },
  ])('$cron', ({ cron, message }) => {
    expect(() => parseCronExpression(cron)).toThrow(message);
  });

  it('an unsatisfiable expression has no next slot', () => {
    const s = CronSchedule.parse('0 0 30 2 *');
    expect(() => s.next(t('2026-01-01T00:00:00Z'))).toThrow('has no time after');
  });
});

describe('TimeZone', () => {
  it.each([
    { zone: 'UTC', at: '2026-07-01T00:00:00Z', offset: 0 },
    { zone: 'America/New_York', at: '2026-01-15T00:00:00Z', offset: -5 * 3600 },
    { zone: 'America/New_York', at: '2026-07-15T00:00:00Z', offset: -4 * 3600 },
    { zone: 'Asia/Kolkata', at: '2026-07-15T00:00:00Z', offset: 5.5 * 3600 },
    { zone: 'Australia/Lord_Howe', at: '2026-01-15T00:00:00Z', offset: 11 * 3600 },
    { zone: 'Australia/Lord_Howe', at: '2026-07-15T00:00:00Z', offset: 10.5 * 3600 },
    { zone: 'Asia/Kathmandu', at: '2026-07-15T00:00:00Z', offset: 5.75 * 3600 },
    // Historic transitions at odd seconds are not hidden by the 15-minute offset cache.
    { zone: 'America/New_York', at: '1883-11-18T16:59:59Z', offset: -17762 },
    { zone: 'America/New_York', at: '1883-11-18T17:00:00Z', offset: -18000 },
    { zone: 'America/New_York', at: '2026-03-08T06:59:59Z', offset: -5 * 3600 },
    { zone: 'America/New_York', at: '2026-03-08T07:00:00Z', offset: -4 * 3600 },
  ])('$zone at $at is $offset s', ({ zone, at, offset }) => {
    expect(TimeZone.of(zone).offsetSecondsAt(Number(t(at) / 1_000_000_000n))).toBe(offset);
  });

  it('rejects unknown zones', () => {
    expect(() => TimeZone.of('Mars/Olympus_Mons')).toThrow('unknown time zone "Mars/Olympus_Mons"');
  });
});
