import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../core/duration.js';
import { SluiceError } from '../../core/errors.js';
import { parseRfc3339Ns } from '../../core/time.js';
import { validateTaskOptions, type ExtractedTaskOptions } from './task-options.js';

const NOW = parseRfc3339Ns('2026-03-04T14:37:12Z');
const d = parseDuration;

describe('validateTaskOptions: InfluxDB messages', () => {
  const cases: { name: string; raw: ExtractedTaskOptions; message: string }[] = [
    { name: 'no name', raw: { every: d('1h') }, message: 'invalid options: missing required option: name' },
    { name: 'both cron and every', raw: { name: 'a', every: d('1h'), cron: '* * * * *' }, message: 'invalid options: cannot use both cron and every in task options' },
    { name: 'neither cron nor every', raw: { name: 'a' }, message: 'invalid options: missing required option: cron or every' },
    { name: 'empty name', raw: { name: '', every: d('1h') }, message: 'invalid options: invalid options: name required' },
    { name: 'every 0s counts as absent', raw: { name: 'a', every: d('0s') }, message: 'invalid options: invalid options: must specify exactly one of either cron or every' },
    { name: 'empty cron counts as absent', raw: { name: 'a', cron: '' }, message: 'invalid options: invalid options: must specify exactly one of either cron or every' },
    { name: 'bad cron', raw: { name: 'a', cron: '61 * * * *' }, message: 'invalid options: invalid options: cron invalid: minute 61 out of range 0-59' },
    {
      name: 'cron that never fires',
      raw: { name: 'a', cron: '0 0 30 2 *' },
      message: 'invalid options: invalid options: cron invalid: cron expression "0 0 30 2 *" has no time after 2026-03-04T14:37:12.000Z',
    },
    { name: 'every below a second', raw: { name: 'a', every: d('999ms') }, message: 'invalid options: invalid options: every option must be at least 1 second' },
    { name: 'every not whole seconds', raw: { name: 'a', every: d('1s500ms') }, message: 'invalid options: invalid options: every option must be expressible as whole seconds' },
    { name: 'negative every', raw: { name: 'a', every: d('-1h') }, message: 'invalid options: invalid options: every option must be at least 1 second' },
    { name: 'offset not whole seconds', raw: { name: 'a', every: d('1h'), offset: d('1500ms') }, message: 'invalid options: invalid options: offset option must be expressible as whole seconds' },
    { name: 'concurrency 0', raw: { name: 'a', every: d('1h'), concurrency: 0 }, message: 'invalid options: invalid options: concurrency must be at least 1' },
    { name: 'concurrency 101', raw: { name: 'a', every: d('1h'), concurrency: 101 }, message: 'invalid options: invalid options: concurrency exceeded max of 100' },
    { name: 'retry 0', raw: { name: 'a', every: d('1h'), retry: 0 }, message: 'invalid options: invalid options: retry must be at least 1' },
    { name: 'retry 11', raw: { name: 'a', every: d('1h'), retry: 11 }, message: 'invalid options: invalid options: retry exceeded max of 10' },
    {
      name: 'all Validate problems collected in order',
      raw: { name: '', every: d('500ms'), offset: d('10ms'), concurrency: 0, retry: 11 },
      message:
        'invalid options: invalid options: name required, every option must be at least 1 second, offset option must be expressible as whole seconds, concurrency must be at least 1, retry exceeded max of 10',
    },
    { name: 'bad catchup (Sluice extension)', raw: { name: 'a', every: d('1h'), catchup: 'some' }, message: 'invalid options: invalid options: catchup must be one of "all", "latest" or "skip"' },
    { name: 'bad location', raw: { name: 'a', cron: '0 * * * *', location: 'Nowhere/City' }, message: 'invalid options: invalid options: location invalid: unknown time zone "Nowhere/City"' },
  ];
  it.each(cases)('$name', ({ raw, message }) => {
    let caught: unknown;
    try {
      validateTaskOptions(raw, NOW);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SluiceError);
    expect((caught as SluiceError).code).toBe('invalid');
    expect((caught as SluiceError).message).toBe(message);
  });
});

describe('validateTaskOptions: accepted options and defaults', () => {
  it.each([
    { name: 'defaults', raw: { name: 'a', every: d('1h') }, expected: { name: 'a', every: d('1h'), offset: d('0s'), concurrency: 1, retry: 1, location: 'UTC' } },
    { name: 'negative offset allowed', raw: { name: 'a', every: d('1h'), offset: d('-5m') }, expected: { name: 'a', every: d('1h'), offset: d('-5m'), concurrency: 1, retry: 1, location: 'UTC' } },
    { name: 'offset in days accepted (InfluxDB answers 500)', raw: { name: 'a', every: d('1w'), offset: d('1d') }, expected: { name: 'a', every: d('1w'), offset: d('1d'), concurrency: 1, retry: 1, location: 'UTC' } },
    { name: 'every 1mo', raw: { name: 'a', every: d('1mo') }, expected: { name: 'a', every: d('1mo'), offset: d('0s'), concurrency: 1, retry: 1, location: 'UTC' } },
    {
      name: 'cron with everything set',
      raw: { name: 'n', cron: '0 9 * * MON', offset: d('10m'), concurrency: 100, retry: 10, catchup: 'latest', location: 'Europe/London' },
      expected: { name: 'n', cron: '0 9 * * MON', offset: d('10m'), concurrency: 100, retry: 10, catchup: 'latest', location: 'Europe/London' },
    },
  ])('$name', ({ raw, expected }) => {
    expect(validateTaskOptions(raw, NOW)).toEqual(expected);
  });
});
