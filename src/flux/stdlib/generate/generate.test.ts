import { describe, expect, it } from 'vitest';
import { runRows, runTables } from '../experimental/run-tables.js';

describe('generate.from', () => {
  it('spreads count rows evenly over [start, stop) with fn(n) values', async () => {
    const tables = await runTables('import "generate"\ngenerate.from(count: 4, fn: (n) => n * n, start: 2021-01-01T00:00:00Z, stop: 2021-01-01T00:00:02Z)');
    expect(tables).toHaveLength(1);
    expect(tables[0]!.key).toEqual({ _start: '2021-01-01T00:00:00Z', _stop: '2021-01-01T00:00:02Z' });
    expect(tables[0]!.rows.map((r) => [r._time, r._value])).toEqual([
      ['2021-01-01T00:00:00Z', '0'],
      ['2021-01-01T00:00:00.5Z', '1'],
      ['2021-01-01T00:00:01Z', '4'],
      ['2021-01-01T00:00:01.5Z', '9'],
    ]);
  });

  it.each([
    ['count: 0', 'count: 0, fn: (n) => n, start: 2021-01-01T00:00:00Z, stop: 2021-01-02T00:00:00Z', /count must be greater than zero/],
    ['stop before start', 'count: 1, fn: (n) => n, start: 2021-01-02T00:00:00Z, stop: 2021-01-01T00:00:00Z', /stop must be after start/],
  ])('rejects %s', async (_, params, want) => {
    await expect(runRows(`import "generate"\ngenerate.from(${params})`)).rejects.toThrow(want);
  });
});
