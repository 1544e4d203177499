import { describe, expect, it } from 'vitest';
import { programTables } from './program-tables.js';

/** One series over [00:00, 01:00): values 1 at 10s, 3 at 20s, 3 at 40s. */
const SERIES = `import "array"
data = array.from(rows: [
    {_time: 2020-01-01T00:00:10Z, _value: 1.0},
    {_time: 2020-01-01T00:00:20Z, _value: 3.0},
    {_time: 2020-01-01T00:00:40Z, _value: 3.0},
]) |> range(start: 2020-01-01T00:00:00Z, stop: 2020-01-01T00:01:00Z)
`;

async function values(pipe: string, column = '_value'): Promise<unknown[]> {
  const tables = await programTables(`${SERIES}\ndata ${pipe}`);
  return tables.flatMap((t) => t.rows.map((r) => r[column]));
}

describe('integral and timeWeightedAvg', () => {
  it.each([
    // trapezoids: (1+3)/2·10 + (3+3)/2·20 = 20 + 60
    ['|> integral()', [80]],
    ['|> integral(unit: 10s)', [8]],
    // linear ends: slope 0.2/s before 10s gives -1 at 0s: (-1+1)/2·10 = 0; flat after 40s: 3·20 = 60
    ['|> integral(interpolate: "linear")', [140]],
    ['|> timeWeightedAvg(unit: 1s)', [140 / 60]],
    ['|> filter(fn: (r) => r._value < 2.0) |> integral()', [0]],
    ['|> filter(fn: (r) => r._value < 2.0) |> integral(interpolate: "linear")', [60]], // one point: value × range
  ])('%s', async (pipe, want) => {
    const got = (await values(pipe)) as number[];
    expect(got).toHaveLength(want.length);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 9));
  });

  it.each([
    ['|> group() |> integral()', /integral function needs _start column to be part of group key/],
    ['|> integral(interpolate: "cubic")', /interpolate/],
    ['|> map(fn: (r) => ({r with _value: "x"})) |> integral()', /cannot perform integral over string/],
  ])('%s fails: %s', async (pipe, err) => {
    await expect(values(pipe)).rejects.toThrow(err);
  });
});

describe('histogram and histogramQuantile', () => {
  it('histogram counts values <= each bound, cumulatively', async () => {
    const tables = await programTables(`${SERIES}\ndata |> histogram(bins: [2.0, 1.0, 5.0])`);
    expect(tables[0]!.cols).toEqual(['_start', '_stop', 'le', '_value']);
    expect(tables[0]!.rows.map((r) => [r.le, r._value])).toEqual([
      [1, 1],
      [2, 1],
      [5, 3],
    ]);
  });

  it('normalize divides by the number of values', async () => {
    expect(await values('|> histogram(bins: [1.0, 5.0], normalize: true)')).toEqual([1 / 3, 1]);
  });

  it('a value above every bin is an error', async () => {
    await expect(values('|> histogram(bins: [1.0])')).rejects.toThrow(/found value greater than any bin/);
  });

  const HIST = `import "array"
h = array.from(rows: [
    {le: 1.0, _value: 10.0}, {le: 2.0, _value: 20.0}, {le: 5.0, _value: 40.0}, {le: float(v: "+Inf"), _value: 40.0},
])
`;
  it.each([
    ['quantile: 0.25', 1], // rank 10 = count at le 1
    ['quantile: 0.5', 2],
    ['quantile: 0.75', 3.5], // rank 30: halfway between 2 (20) and 5 (40)
    ['quantile: 0.1', 0.4], // below the first bound: from minValue 0
    ['quantile: 0.1, minValue: 0.5', 0.7],
    ['quantile: 1.0', Infinity], // at the last bucket: its bound
  ])('histogramQuantile(%s) = %s', async (args, want) => {
    const tables = await programTables(`${HIST}\nh |> histogramQuantile(${args})`);
    expect(tables[0]!.rows[0]!._value as number).toBeCloseTo(want, 9);
  });

  it.each([
    ['force', 2],
    ['drop', undefined],
  ])('non-monotonic counts with onNonmonotonic: %s', async (mode, want) => {
    const tables = await programTables(`import "array"
array.from(rows: [{le: 1.0, _value: 10.0}, {le: 2.0, _value: 5.0}, {le: 3.0, _value: 20.0}])
  |> histogramQuantile(quantile: 0.5, onNonmonotonic: "${mode}")`);
    expect(tables[0]?.rows[0]?._value).toBe(want);
  });

  it('non-monotonic counts fail by default', async () => {
    await expect(
      programTables(`import "array"\narray.from(rows: [{le: 1.0, _value: 10.0}, {le: 2.0, _value: 5.0}]) |> histogramQuantile(quantile: 0.5)`),
    ).rejects.toThrow(/histogram records counts are not monotonic/);
  });
});

describe('covariance', () => {
  const XY = `import "array"
xy = array.from(rows: [{x: 1.0, y: 2.0}, {x: 2.0, y: 4.0}, {x: 3.0, y: 7.0}])
`;
  // dx = -1, 0, 1 (Σdx² = 2); dy = -7/3, -1/3, 8/3 (Σdy² = 114/9); Σdx·dy = 5.
  it.each([
    ['columns: ["x", "y"]', 5 / 2],
    ['columns: ["x", "y"], pearsonr: true', 5 / Math.sqrt((2 * 114) / 9)],
    ['columns: ["x", "y"], valueDst: "cov"', 5 / 2],
  ])('covariance(%s) = %s', async (args, want) => {
    const tables = await programTables(`${XY}\nxy |> covariance(${args})`);
    const label = args.includes('valueDst') ? 'cov' : '_value';
    expect(tables[0]!.rows[0]![label] as number).toBeCloseTo(want, 12);
  });

  it.each([
    ['columns: ["x"]', /must provide exactly two columns/],
    ['columns: ["x", "r"]', /specified column does not exist in table: r/],
  ])('covariance(%s) fails', async (args, err) => {
    await expect(programTables(`${XY}\nxy |> covariance(${args})`)).rejects.toThrow(err);
  });
});

describe('highest and lowest series', () => {
  const HOSTS = `import "array"
d = array.from(rows: [
    {_time: 2020-01-01T00:00:00Z, host: "a", _value: 1.0}, {_time: 2020-01-01T00:00:10Z, host: "a", _value: 9.0},
    {_time: 2020-01-01T00:00:00Z, host: "b", _value: 5.0}, {_time: 2020-01-01T00:00:10Z, host: "b", _value: 6.0},
    {_time: 2020-01-01T00:00:00Z, host: "c", _value: 2.0}, {_time: 2020-01-01T00:00:10Z, host: "c", _value: 3.0},
])
`;
  it.each([
    ['highestMax(n: 2, groupColumns: ["host"])', ['a', 'b']],
    ['highestAverage(n: 1, groupColumns: ["host"])', ['b']],
    ['highestCurrent(n: 2, groupColumns: ["host"])', ['a', 'b']],
    ['lowestMin(n: 2, groupColumns: ["host"])', ['a', 'c']],
    ['lowestAverage(n: 1, groupColumns: ["host"])', ['c']],
    ['lowestCurrent(n: 1, groupColumns: ["host"])', ['c']],
  ])('%s', async (call, hosts) => {
    const tables = await programTables(`${HOSTS}\nd |> ${call}`);
    expect(tables).toHaveLength(1);
    expect(tables[0]!.rows.map((r) => r.host)).toEqual(hosts);
  });
});
