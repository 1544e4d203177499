import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../core/errors.js';
import { extractTaskOptions } from '../../tasks/index.js';
import { bodyTaskOptions, patchFluxOptions, scheduleFields } from './tasks-flux.js';

const NOW = BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n;
const SCRIPT = 'option task = {name: "t", every: 1h, offset: 5m, retry: 2}\n\nfrom(bucket: "b") |> range(start: -task.every)\n';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof SluiceError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'no error';
}

describe('patchFluxOptions', () => {
  const cases: { name: string; patch: Parameters<typeof patchFluxOptions>[1]; want: Record<string, unknown>; keys: string[] }[] = [
    { name: 'replaces every in place', patch: { every: '30m' }, want: { every: '30m', offset: '5m' }, keys: ['name', 'every', 'offset', 'retry'] },
    { name: 'swaps every for cron in place', patch: { cron: '0 * * * *' }, want: { cron: '0 * * * *', offset: '5m' }, keys: ['name', 'cron', 'offset', 'retry'] },
    { name: 'removes a zero offset', patch: { offset: '0s' }, want: { every: '1h' }, keys: ['name', 'every', 'retry'] },
    { name: 'removes an empty offset', patch: { offset: '' }, want: { every: '1h' }, keys: ['name', 'every', 'retry'] },
    { name: 'renames, negative offset', patch: { name: 'new "name"', offset: '-10m' }, want: { every: '1h', offset: '-10m' }, keys: ['name', 'every', 'offset', 'retry'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const flux = patchFluxOptions(SCRIPT, c.patch);
      const options = extractTaskOptions(flux, NOW);
      expect(scheduleFields(options)).toEqual(c.want);
      if (c.patch.name !== undefined) expect(options.name).toBe(c.patch.name);
      expect(options.retry).toBe(2);
      const record = /option task = \{([^}]*)\}/.exec(flux)![1]!;
      expect(record.split(',').map((p) => p.trim().split(':')[0])).toEqual(c.keys);
      expect(flux).toContain('range(start: -task.every)');
    });
  }

  it('appends options the record lacks', () => {
    const flux = patchFluxOptions('option task = {name: "t", cron: "0 * * * *"}\nx = 1\n', { offset: '1m' });
    expect(scheduleFields(extractTaskOptions(flux, NOW))).toEqual({ cron: '0 * * * *', offset: '1m' });
  });

  it('fails like InfluxDB without an option task, and on a malformed duration', () => {
    expect(messageOf(() => patchFluxOptions('x = 1', { every: '1h' }))).toBe('invalid: invalid options: no task options defined');
    expect(messageOf(() => patchFluxOptions(SCRIPT, { every: 'soon' }))).toContain('invalid: failed to decode request: every');
  });
});

describe('bodyTaskOptions (script tasks)', () => {
  const cases: [Parameters<typeof bodyTaskOptions>[0], string][] = [
    [{ name: 'a', every: '1h', offset: '5m' }, 'ok'],
    [{ name: 'a', cron: '*/5 * * * *' }, 'ok'],
    [{ every: '1h' }, 'invalid: invalid options: missing required option: name'],
    [{ name: 'a' }, 'invalid: invalid options: missing required option: cron or every'],
    [{ name: 'a', every: '1h', cron: '* * * * *' }, 'invalid: invalid options: cannot use both cron and every in task options'],
    [{ name: 'a', every: 'hourly' }, "invalid: invalid options: failed to parse field 'every' in task options"],
    [{ name: 'a', every: '1500ms' }, 'invalid: invalid options: invalid options: every option must be expressible as whole seconds'],
  ];
  for (const [body, want] of cases) {
    it(JSON.stringify(body), () => {
      expect(messageOf(() => bodyTaskOptions(body, NOW)).replace('no error', 'ok')).toBe(want);
    });
  }
});
