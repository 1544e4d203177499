import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../core/duration.js';
import { SluiceError } from '../../core/errors.js';
import { parseRfc3339Ns } from '../../core/time.js';
import { extractTaskOptions } from './extract-task-options.js';

const NOW = parseRfc3339Ns('2026-03-04T14:37:12Z');
const d = parseDuration;
const BODY = '\nfrom(bucket: "b") |> range(start: -task.every) |> to(bucket: "out")';

function messageOf(source: string): string {
  try {
    extractTaskOptions(source, NOW);
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    expect((e as SluiceError).code).toBe('invalid');
    return (e as SluiceError).message;
  }
  throw new Error('expected an error');
}

describe('extractTaskOptions: accepted scripts', () => {
  it.each([
    { name: 'every', src: 'option task = {name: "n", every: 1h}', want: { name: 'n', every: d('1h') } },
    { name: 'compound every', src: 'option task = {name: "n", every: 1h30m}', want: { name: 'n', every: d('1h30m') } },
    { name: 'cron', src: 'option task = {name: "n", cron: "0 * * * *"}', want: { name: 'n', cron: '0 * * * *' } },
    { name: 'negative offset (unary expression)', src: 'option task = {name: "n", every: 1h, offset: -5m}', want: { offset: d('-5m') } },
    { name: 'offset', src: 'option task = {name: "n", every: 1h, offset: 10m}', want: { offset: d('10m') } },
    { name: 'month every', src: 'option task = {name: "n", every: 1mo}', want: { every: d('1mo') } },
    { name: 'concurrency and retry', src: 'option task = {name: "n", every: 1h, concurrency: 4, retry: 3}', want: { concurrency: 4, retry: 3 } },
    { name: 'catchup', src: 'option task = {name: "n", every: 1h, catchup: "latest"}', want: { catchup: 'latest' } },
    { name: 'unknown keys ignored', src: 'option task = {name: "n", every: 1h, delay: 5m, foo: bar}', want: { name: 'n' } },
    { name: 'string keys', src: 'option task = {"name": "n", "every": 1h}', want: { name: 'n', every: d('1h') } },
    {
      name: 'location from timezone.location',
      src: 'import "timezone"\noption location = timezone.location(name: "America/New_York")\noption task = {name: "n", cron: "0 9 * * *"}',
      want: { location: 'America/New_York' },
    },
    { name: 'aliased timezone import', src: 'import tz "timezone"\noption location = tz.location(name: "Europe/London")\noption task = {name: "n", cron: "0 9 * * *"}', want: { location: 'Europe/London' } },
    { name: 'timezone.utc', src: 'import "timezone"\noption location = timezone.utc\noption task = {name: "n", cron: "0 9 * * *"}', want: { location: 'UTC' } },
    { name: 'whole-hour fixed offset', src: 'import "timezone"\noption location = timezone.fixed(offset: -5h)\noption task = {name: "n", cron: "0 9 * * *"}', want: { location: 'Etc/GMT+5' } },
    { name: 'no location is UTC', src: 'option task = {name: "n", cron: "0 9 * * *"}', want: { location: 'UTC' } },
  ])('$name', ({ src, want }) => {
    const options = extractTaskOptions(src + BODY, NOW);
    expect(options).toMatchObject({ concurrency: 1, retry: 1, location: 'UTC', offset: d('0s'), ...want });
  });
});

describe('extractTaskOptions: InfluxDB errors', () => {
  it.each([
    { name: 'no option task', src: 'from(bucket: "b") |> range(start: -1h)', message: 'invalid options: no task options defined' },
    { name: 'two option task', src: 'option task = {name: "a", every: 1h}\noption task = {name: "b", every: 1h}', message: 'invalid options: multiple task options defined' },
    { name: 'not a record literal', src: 'opts = {name: "a", every: 1h}\noption task = opts', message: 'invalid options: task option expected to be object literal, but found "Identifier"' },
    { name: 'missing name', src: 'option task = {every: 1h}', message: 'invalid options: missing required option: name' },
    { name: 'name not a literal', src: 'n = "x"\noption task = {name: n, every: 1h}', message: "invalid options: failed to parse field 'name' in task options" },
    { name: 'both cron and every', src: 'option task = {name: "a", every: 1h, cron: "* * * * *"}', message: 'invalid options: cannot use both cron and every in task options' },
    { name: 'neither cron nor every', src: 'option task = {name: "a"}', message: 'invalid options: missing required option: cron or every' },
    { name: 'every from a function call', src: 'option task = {name: "a", every: duration(v: "1h")}', message: "invalid options: failed to parse field 'every' in task options" },
    { name: 'every as a string', src: 'option task = {name: "a", every: "1h"}', message: "invalid options: failed to parse field 'every' in task options" },
    { name: 'cron not a string', src: 'option task = {name: "a", cron: 5}', message: "invalid options: failed to parse field 'cron' in task options" },
    { name: 'offset from a variable', src: 'o = 5m\noption task = {name: "a", every: 1h, offset: o}', message: "invalid options: failed to parse field 'offset' in task options" },
    { name: 'concurrency as float', src: 'option task = {name: "a", every: 1h, concurrency: 2.0}', message: "invalid options: failed to parse field 'concurrency' in task options" },
    { name: 'negative retry is not a literal', src: 'option task = {name: "a", every: 1h, retry: -1}', message: "invalid options: failed to parse field 'retry' in task options" },
    { name: 'Validate problems doubled prefix', src: 'option task = {name: "", every: 1h, concurrency: 0}', message: 'invalid options: invalid options: name required, concurrency must be at least 1' },
    { name: 'every 0s', src: 'option task = {name: "a", every: 0s}', message: 'invalid options: invalid options: must specify exactly one of either cron or every' },
    { name: 'bad cron', src: 'option task = {name: "a", cron: "* * *"}', message: 'invalid options: invalid options: cron invalid: cron expression "* * *" has 3 fields, expected 5, 6 or 7' },
    {
      name: 'unsupported location expression',
      src: 'import "timezone"\nz = "UTC"\noption location = timezone.location(name: z)\noption task = {name: "a", cron: "* * * * *"}',
      message: 'invalid options: failed to parse option \'location\': expected timezone.location(name: "<IANA zone>"), timezone.utc or timezone.fixed(offset: <whole hours>)',
    },
    {
      name: 'unknown zone',
      src: 'import "timezone"\noption location = timezone.location(name: "Moon/Base")\noption task = {name: "a", cron: "* * * * *"}',
      message: 'invalid options: invalid options: location invalid: unknown time zone "Moon/Base"',
    },
  ])('$name', ({ src, message }) => {
    expect(messageOf(src)).toBe(message);
  });

  it('a script that does not parse reports Flux diagnostics', () => {
    expect(messageOf('option task = {name: "a", every: 1h')).toMatch(/^invalid options: error @\d+:\d+-\d+:\d+: /);
  });
});
