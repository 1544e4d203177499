import { describe, expect, it } from 'vitest';
import { runRows } from '../experimental/run-tables.js';

describe('interpolate.linear', () => {
  it.each([
    [
      'fills aligned points between rows',
      '[{_time: 2021-01-01T00:00:00Z, _value: 0.0, k: "a"}, {_time: 2021-01-01T00:00:30Z, _value: 3.0, k: "a"}]',
      '10s',
      [['2021-01-01T00:00:00Z', 0], ['2021-01-01T00:00:10Z', 1], ['2021-01-01T00:00:20Z', 2], ['2021-01-01T00:00:30Z', 3]],
    ],
    [
      'aligns to multiples of every, not to the first row',
      '[{_time: 2021-01-01T00:00:05Z, _value: 0.0, k: "a"}, {_time: 2021-01-01T00:00:25Z, _value: 2.0, k: "a"}]',
      '10s',
      [['2021-01-01T00:00:05Z', 0], ['2021-01-01T00:00:10Z', 0.5], ['2021-01-01T00:00:20Z', 1.5], ['2021-01-01T00:00:25Z', 2]],
    ],
    [
      'adds nothing to rows already every apart',
      '[{_time: 2021-01-01T00:00:00Z, _value: 1.0, k: "a"}, {_time: 2021-01-01T00:00:10Z, _value: 5.0, k: "a"}]',
      '10s',
      [['2021-01-01T00:00:00Z', 1], ['2021-01-01T00:00:10Z', 5]],
    ],
  ])('%s', async (_, rows, every, want) => {
    const got = await runRows(`import "array"\nimport "interpolate"\narray.from(rows: ${rows}) |> interpolate.linear(every: ${every})`);
    expect(got.map((r) => [r._time, r._value])).toEqual(want);
    expect(got.every((r) => r.k === 'a')).toBe(true);
  });

  it('rejects a calendar duration', async () => {
    await expect(
      runRows('import "array"\nimport "interpolate"\narray.from(rows: [{_time: 2021-01-01T00:00:00Z, _value: 1.0}]) |> interpolate.linear(every: 1mo)'),
    ).rejects.toThrow(/without months/);
  });
});
