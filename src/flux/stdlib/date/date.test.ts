import { describe, expect, it } from 'vitest';
import { displayExpression } from '../runtime/display-expression.js';

const P = 'import "date"\nimport "timezone"';

describe('date parts', () => {
  it.each([
    ['date.second(t: 2021-03-14T09:08:07.123456789Z)', '7'],
    ['date.millisecond(t: 2021-03-14T09:08:07.123456789Z)', '123'],
    ['date.microsecond(t: 2021-03-14T09:08:07.123456789Z)', '123456'],
    ['date.nanosecond(t: 2021-03-14T09:08:07.123456789Z)', '123456789'],
    ['date.minute(t: 2021-03-14T09:08:07Z)', '8'],
    ['date.hour(t: 2021-03-14T09:08:07Z)', '9'],
    ['date.weekDay(t: 2021-03-14T09:08:07Z)', '0'],
    ['date.monthDay(t: 2021-03-14T09:08:07Z)', '14'],
    ['date.yearDay(t: 2020-12-31T00:00:00Z)', '366'],
    ['date.month(t: 2021-03-14T09:08:07Z)', '3'],
    ['date.year(t: 1969-12-31T23:59:59Z)', '1969'],
    ['date.week(t: 2021-01-03T00:00:00Z)', '53'],
    ['date.week(t: 2021-01-04T00:00:00Z)', '1'],
    ['date.quarter(t: 2021-08-01T00:00:00Z)', '3'],
    // Timeable: a duration is relative to now() (2020-09-13T12:26:40Z).
    ['date.month(t: -1mo)', '8'],
    ['date.hour(t: 1h)', '13'],
  ])('%s = %s', async (expr, want) => {
    expect(await displayExpression(expr, P)).toBe(want);
  });
});

describe('date in a location', () => {
  it.each([
    // Asia/Kolkata is UTC+5:30 all year.
    ['date.hour(t: 2021-03-01T20:00:00Z, location: timezone.location(name: "Asia/Kolkata"))', '1'],
    ['date.monthDay(t: 2021-03-01T20:00:00Z, location: timezone.location(name: "Asia/Kolkata"))', '2'],
    ['date.time(t: 2021-03-01T00:00:00Z, location: timezone.location(name: "Asia/Kolkata"))', '2021-03-01T05:30:00.000000000Z'],
    ['date.hour(t: 2021-03-01T00:00:00Z, location: timezone.fixed(offset: -2h))', '22'],
    // New York: EST (-5) in January, EDT (-4) in July.
    ['date.hour(t: 2021-01-15T12:00:00Z, location: timezone.location(name: "America/New_York"))', '7'],
    ['date.hour(t: 2021-07-15T12:00:00Z, location: timezone.location(name: "America/New_York"))', '8'],
  ])('%s = %s', async (expr, want) => {
    expect(await displayExpression(expr, P)).toBe(want);
  });

  it('resolves a duration from now() with Flux month clamping', async () => {
    const preamble = `${P}\noption now = () => 2021-03-31T12:00:00Z`;
    expect(await displayExpression('date.monthDay(t: -1mo)', preamble)).toBe('28');
  });

  it('uses option location when no location is given', async () => {
    const preamble = `${P}\noption location = timezone.location(name: "Asia/Kolkata")`;
    expect(await displayExpression('date.hour(t: 2021-03-01T20:00:00Z)', preamble)).toBe('1');
  });

  it('rejects an unknown zone', async () => {
    await expect(displayExpression('timezone.location(name: "Mars/Olympus")', P)).rejects.toThrow(/unknown time zone Mars\/Olympus/);
  });
});

describe('date arithmetic', () => {
  it.each([
    ['date.truncate(t: 2021-03-14T09:08:07Z, unit: 1h)', '2021-03-14T09:00:00.000000000Z'],
    ['date.truncate(t: 2021-03-14T09:08:07Z, unit: 1w)', '2021-03-11T00:00:00.000000000Z'],
    ['date.truncate(t: 2021-03-14T09:08:07Z, unit: 1mo)', '2021-03-01T00:00:00.000000000Z'],
    ['date.truncate(t: 2021-03-14T09:08:07Z, unit: 1y)', '2021-01-01T00:00:00.000000000Z'],
    ['date.truncate(t: 1969-07-20T20:17:00Z, unit: 1d)', '1969-07-20T00:00:00.000000000Z'],
    // Local midnight in New York (EST) is 05:00 UTC.
    ['date.truncate(t: 2021-01-15T03:00:00Z, unit: 1d, location: timezone.location(name: "America/New_York"))', '2021-01-14T05:00:00.000000000Z'],
    ['date.add(d: 1mo, to: 2021-01-31T10:00:00Z)', '2021-02-28T10:00:00.000000000Z'],
    ['date.add(d: 1y, to: 2020-02-29T00:00:00Z)', '2021-02-28T00:00:00.000000000Z'],
    ['date.sub(d: 1mo1d, from: 2021-03-31T00:00:00Z)', '2021-02-27T00:00:00.000000000Z'],
    // A day across the spring-forward change keeps the local time of day (23 hours of UTC).
    ['date.add(d: 1d, to: 2021-03-13T17:00:00Z, location: timezone.location(name: "America/New_York"))', '2021-03-14T16:00:00.000000000Z'],
    // Local midnight on the day clocks spring forward is still EST (05:00 UTC).
    ['date.truncate(t: 2021-03-14T12:00:00Z, unit: 1d, location: timezone.location(name: "America/New_York"))', '2021-03-14T05:00:00.000000000Z'],
    ['date.truncate(t: 2021-07-15T12:00:00Z, unit: 1mo, location: timezone.location(name: "America/New_York"))', '2021-07-01T04:00:00.000000000Z'],
    ['date.sub(d: 1d, from: 2021-11-08T05:00:00Z, location: timezone.location(name: "America/New_York"))', '2021-11-07T04:00:00.000000000Z'],
    ['date.truncate(t: 2021-03-14T09:08:07Z, unit: 1d, location: timezone.fixed(offset: 10h))', '2021-03-13T14:00:00.000000000Z'],
    ['date.scale(d: 1h, n: 3)', '3h'],
    ['date.scale(d: 1mo, n: -2)', '-2mo'],
  ])('%s = %s', async (expr, want) => {
    expect(await displayExpression(expr, P)).toBe(want);
  });

  it.each([
    ['0s', /cannot be zero/],
    ['1mo1d', /cannot mix month and nanosecond units/],
    ['-1h', /cannot be negative/],
  ])('truncate rejects unit %s', async (unit, err) => {
    await expect(displayExpression(`date.truncate(t: 2021-01-01T00:00:00Z, unit: ${unit})`, P)).rejects.toThrow(err);
  });

  it.each([
    ['Sunday', '0'],
    ['Saturday', '6'],
    ['January', '1'],
    ['December', '12'],
  ])('constant %s', async (name, want) => {
    expect(await displayExpression(`date.${name}`, P)).toBe(want);
  });
});
