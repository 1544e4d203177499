import { describe, expect, it } from 'vitest';
import { runTables } from '../experimental/run-tables.js';

describe('sampledata', () => {
  it.each([
    ['float()', [-2.18, 10.92, 7.35, 17.53, 15.23, 4.43]],
    ['float(includeNull: true)', [-2.18, null, 7.35, null, null, 4.43]],
    ['int()', ['-2', '10', '7', '17', '15', '4']],
    ['uint()', ['18446744073709551614', '10', '7', '17', '15', '4']],
    ['string()', ['smpl_g9qczs', 'smpl_0mgv9n', 'smpl_phw664', 'smpl_guvzy4', 'smpl_5v3cce', 'smpl_s9fmgy']],
    ['bool()', [true, true, false, true, false, false]],
    ['numericBool()', ['1', '1', '0', '1', '0', '0']],
  ])('%s: table t1', async (call, want) => {
    const tables = await runTables(`import "sampledata"\nsampledata.${call}`);
    expect(tables.map((t) => t.key)).toEqual([{ tag: 't1' }, { tag: 't2' }]);
    expect(tables[0]!.rows.map((r) => r._value)).toEqual(want);
    expect(tables[0]!.rows.map((r) => r._time)[5]).toBe('2021-01-01T00:00:50Z');
  });

  it('start and stop bound the data', async () => {
    const tables = await runTables('import "sampledata"\nsampledata.float(includeNull: true) |> range(start: sampledata.start, stop: sampledata.stop) |> filter(fn: (r) => exists r._value) |> count()');
    expect(tables.map((t) => t.rows[0]!._value)).toEqual(['3', '4']);
  });
});
