import { describe, expect, it } from 'vitest';
import { displayExpression } from '../runtime/display-expression.js';

// now() is 2020-09-13T12:26:40Z, a Sunday.
const P = 'import "experimental/date/boundaries"\nimport "timezone"';
const range = (start: string, stop: string): string => `{start: ${start}T00:00:00.000000000Z, stop: ${stop}T00:00:00.000000000Z}`;

describe('experimental/date/boundaries', () => {
  it.each([
    ['boundaries.yesterday()', range('2020-09-12', '2020-09-13')],
    ['boundaries.monday()', range('2020-09-07', '2020-09-08')],
    ['boundaries.saturday()', range('2020-09-12', '2020-09-13')],
    // Today is Sunday: the previous Sunday, a week back.
    ['boundaries.sunday()', range('2020-09-06', '2020-09-07')],
    ['boundaries.week()', range('2020-09-07', '2020-09-14')],
    ['boundaries.week(start_sunday: true)', range('2020-09-13', '2020-09-20')],
    ['boundaries.week(week_offset: -1)', range('2020-08-31', '2020-09-07')],
    ['boundaries.month()', range('2020-09-01', '2020-10-01')],
    ['boundaries.month(month_offset: -9)', range('2019-12-01', '2020-01-01')],
  ])('%s', async (expr, want) => {
    expect(await displayExpression(expr, P)).toBe(want);
  });

  it('follows option location', async () => {
    const preamble = `${P}\noption location = timezone.fixed(offset: -14h)`;
    // 12:26 UTC is 22:26 the day before at UTC-14: today starts 2020-09-12T14:00Z.
    expect(await displayExpression('boundaries.yesterday().start', preamble)).toBe('2020-09-11T14:00:00.000000000Z');
  });

  it('fails at the old path', async () => {
    await expect(displayExpression('boundaries.yesterday()', 'import "date/boundaries"')).rejects.toThrow(/moved to 'experimental\/date\/boundaries'/);
  });
});
