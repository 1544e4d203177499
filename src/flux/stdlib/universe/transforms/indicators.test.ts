import { describe, expect, it } from 'vitest';
import { collectTables } from '../../../execute/table-stream.js';
import { runProgram } from '../../../interpreter/index.js';
import { displayValue } from '../../../values/format-value.js';
import { standardLibrary } from '../../index.js';

const registry = standardLibrary();

type Cols = Record<string, unknown[]>;

/**
 * Runs `pipeline` on one table of rows (_time = 10 s × row index, _value, host "a") and returns each
 * output table as {column: values}; times display as RFC3339.
 */
async function run(values: (number | null)[], pipeline: string, valueType = 'float'): Promise<Cols[]> {
  const lit = (v: number | null): string =>
    v === null ? `debug.null(type: "${valueType}")` : valueType === 'float' ? v.toFixed(6) : String(v);
  const rows = values.map((v, i) => `{_time: time(v: ${BigInt(i * 10) * 1_000_000_000n}), _value: ${lit(v)}, host: "a"}`);
  const src = `import "array"\nimport "internal/debug"\narray.from(rows: [${rows.join(', ')}]) |> ${pipeline}`;
  const r = await runProgram(src, { registry });
  const out: Cols[] = [];
  for (const t of await collectTables(r.results[0]!.stream.tables)) {
    const cols: Cols = {};
    t.cols.forEach((c, j) => {
      cols[c.label] = Array.from({ length: t.length }, (_, i) => {
        const v = t.value(i, j);
        return v.kind === 'null' ? null : v.kind === 'time' ? displayValue(v) : 'value' in v ? v.value : null;
      });
    });
    out.push(cols);
  }
  return out;
}

/** RFC3339 of row i's _time. */
const at = (i: number): string => new Date(i * 10_000).toISOString().replace('.000Z', '.000000000Z');

describe('movingAverage', () => {
  it.each([
    { input: [1, 2, 3, 4, 5], n: 3, want: [2, 3, 4], from: 2 },
    // A null leaves its slot empty: the mean is over the non-null values of the window.
    { input: [1, null, 3, null], n: 2, want: [1, 3, 3], from: 1 },
    { input: [null, null, 5], n: 2, want: [null, 5], from: 1 },
    // Fewer rows than n: one row, the last, with the mean of what there is.
    { input: [2, 4], n: 5, want: [3], from: 1 },
    { input: [7], n: 1, want: [7], from: 0 },
  ])('n=$n of $input', async ({ input, n, want, from }) => {
    const [t] = await run(input, `movingAverage(n: ${n})`);
    expect(t!._value).toEqual(want);
    expect(t!._time).toEqual(want.map((_, i) => at(from + i)));
    expect(t!.host).toEqual(want.map(() => 'a'));
  });
  it('averages ints into floats', async () => {
    const [t] = await run([1, 2], 'movingAverage(n: 2)', 'int');
    expect(t!._value).toEqual([1.5]);
  });
  it.each([
    ['movingAverage(n: 0)', /cannot take moving average with a period of 0 \(must be greater than 0\)/],
    ['map(fn: (r) => ({r with _value: "x"})) |> movingAverage(n: 2)', /cannot take moving average of column _value \(type string\)/],
    ['drop(columns: ["_value"]) |> movingAverage(n: 2)', /cannot find _value column/],
  ])('rejects %s', async (pipeline, message) => {
    await expect(run([1, 2], pipeline)).rejects.toThrow(message);
  });
});

describe('exponentialMovingAverage and its compositions', () => {
  it.each([
    // k = 2/(n+1) = 2/3; the first value is the plain mean of the first n.
    { input: [1, 2, 3], n: 2, want: [1.5, 3 * (2 / 3) + 1.5 * (1 - 2 / 3)] },
    // A null repeats the previous average.
    { input: [1, 2, null, 4], n: 2, want: [1.5, 1.5, 4 * (2 / 3) + 1.5 * (1 - 2 / 3)] },
    // No value yet: null, then the first value as it is.
    { input: [null, null, 3, 6], n: 2, want: [null, 3, 6 * (2 / 3) + 3 * (1 - 2 / 3)] },
    { input: [4], n: 3, want: [4] },
  ])('exponentialMovingAverage(n: $n) of $input', async ({ input, n, want }) => {
    const [t] = await run(input, `exponentialMovingAverage(n: ${n})`);
    expect(t!._value).toEqual(want);
  });
  it('doubleEMA is 2·EMA - EMA(EMA)', async () => {
    // EMA = [1.5, 2.5]; EMA(EMA) = [2]; aligned on the last row: 2·2.5 - 2.
    const [t] = await run([1, 2, 3], 'doubleEMA(n: 2)');
    expect(t!._value).toEqual([3]);
    expect(Object.keys(t!)).toEqual(['_time', '_value', 'host']);
  });
  it('tripleEMA over one point is the identity', async () => {
    const [t] = await run([1, 2, 3], 'tripleEMA(n: 1)');
    expect(t!._value).toEqual([1, 2, 3]);
    expect(Object.keys(t!)).toEqual(['_time', '_value', 'host']);
  });
  it('tripleExponentialDerivative is the percent change of the triple EMA', async () => {
    const [t] = await run([1, 2, 4, 5], 'tripleExponentialDerivative(n: 1)');
    expect(t!._value).toEqual([100, 100, 25]);
    expect(t!._time).toEqual([at(1), at(2), at(3)]);
  });
  it('tripleExponentialDerivative of a short table is one null row', async () => {
    const [t] = await run([1, 2], 'tripleExponentialDerivative(n: 3)');
    expect(t!._value).toEqual([null]);
    expect(t!._time).toEqual([at(1)]);
  });
});

describe('per-table processing', () => {
  it.each([
    ['movingAverage(n: 2)', { a: [1.5, 2.5], b: [15, 25] }],
    ['exponentialMovingAverage(n: 2)', { a: [1.5, 3 * (2 / 3) + 1.5 / 3], b: [15, 30 * (2 / 3) + 15 / 3] }],
    ['chandeMomentumOscillator(n: 1)', { a: [100, 100], b: [100, 100] }],
  ])('%s restarts for each group', async (pipeline, want) => {
    const rows = ['a', 'b'].flatMap((host, h) =>
      [1, 2, 3].map((v, i) => `{_time: time(v: ${i * 10_000_000_000}), _value: ${v * (h === 0 ? 1 : 10)}.0, host: "${host}"}`),
    );
    const src = `import "array"\narray.from(rows: [${rows.join(', ')}]) |> group(columns: ["host"]) |> ${pipeline}`;
    const r = await runProgram(src, { registry });
    const got: Record<string, unknown[]> = {};
    for (const t of await collectTables(r.results[0]!.stream.tables)) {
      const host = t.key.value('host');
      const j = t.colIndex('_value');
      got[host?.kind === 'string' ? host.value : '?'] = Array.from({ length: t.length }, (_, i) => {
        const v = t.value(i, j);
        return v.kind === 'float' ? v.value : null;
      });
    }
    expect(got).toEqual(want);
  });
});

describe('timedMovingAverage', () => {
  it('averages each period-long window every `every`, stamped with the window stop', async () => {
    const [t] = await run(
      [1, 2, 3, 4],
      'range(start: 1970-01-01T00:00:00Z, stop: 1970-01-01T00:00:40Z) |> timedMovingAverage(every: 10s, period: 20s)',
    );
    // Windows (clipped to the range): [0,10) [0,20) [10,30) [20,40) [30,40).
    expect(t!._value).toEqual([1, 1.5, 2.5, 3.5, 4]);
    expect(t!._time).toEqual([at(1), at(2), at(3), at(4), at(4)]);
    expect(t!._start).toEqual(t!._value!.map(() => at(0)));
    expect(t!._stop).toEqual(t!._value!.map(() => at(4)));
  });
});

describe('momentum indicators', () => {
  it('relativeStrengthIndex averages gains and losses (the first change taken from 0)', async () => {
    // gains 1,1,0,2 and losses 0,0,1,0: mean of two, then avg/2 + x/2.
    const [t] = await run([1, 2, 1, 3], 'relativeStrengthIndex(n: 2)');
    expect(t!._value).toEqual([50, 100 - 100 / (1 + 1.25 / 0.25)]);
    expect(t!._time).toEqual([at(2), at(3)]);
  });
  it('relativeStrengthIndex of a short table is one row with the index so far', async () => {
    const [t] = await run([5], 'relativeStrengthIndex(n: 3)');
    expect(t!._value).toEqual([100]);
  });
  it('chandeMomentumOscillator keeps running sums over n changes', async () => {
    const [t] = await run([1, 3, 2, 5], 'chandeMomentumOscillator(n: 2)');
    expect(t!._value).toEqual([(100 * (2 - 1)) / 3, (100 * (3 - 1)) / 4]);
    expect(t!._time).toEqual([at(2), at(3)]);
  });
  it('chandeMomentumOscillator needs more than n rows', async () => {
    const [t] = await run([1, 3], 'chandeMomentumOscillator(n: 2)');
    expect(t!._value).toEqual([]);
  });
  it('kaufmansER is |CMO| / 100', async () => {
    const [t] = await run([5, 3, 4, 1], 'kaufmansER(n: 2)');
    // changes -2, 1, -3: CMO at row 2 = 100·(1-2)/3; the -2 then leaves, so at row 3 = 100·(1-3)/4.
    expect(t!._value).toEqual([Math.abs((100 * (1 - 2)) / 3) / 100, Math.abs((100 * (1 - 3)) / 4) / 100]);
  });
  it('kaufmansAMA smooths with the efficiency ratio', async () => {
    const [t] = await run([1, 3, 2, 5], 'kaufmansAMA(n: 2)');
    const sc = (er: number): number => (er * (56 / 93) + 2 / 31) ** 2;
    const k2 = 3 + sc(1 / 3) * (2 - 3);
    const k3 = k2 + sc(0.5) * (5 - k2);
    expect(t!._value).toHaveLength(2);
    expect(t!._value[0]).toBeCloseTo(k2, 12);
    expect(t!._value[1]).toBeCloseTo(k3, 12);
  });
  it.each([
    ['relativeStrengthIndex(n: 2, columns: ["host"])', /cannot take relative strength index of column host \(type string\)/],
    ['chandeMomentumOscillator(n: 2, columns: ["host"])', /cannot take chande momentum oscillator of column host \(type string\)/],
    ['kaufmansAMA(n: 2, column: "host")', /cannot take KAMA of column host \(type string\)/],
    ['kaufmansAMA(n: 0)', /cannot take KaufmansAMA with a period of 0/],
    ['tripleExponentialDerivative(n: 0)', /cannot take triple exponential derivative with a period of 0/],
  ])('rejects %s', async (pipeline, message) => {
    await expect(run([1, 2, 3], pipeline)).rejects.toThrow(message);
  });
});

describe('holtWinters', () => {
  it('forecasts n points every interval after the last point', async () => {
    const [t] = await run([1, 2, 3, 4, 5, 6], 'holtWinters(n: 3, interval: 10s)');
    expect(Object.keys(t!)).toEqual(['_time', '_value']);
    expect(t!._time).toEqual([at(6), at(7), at(8)]);
    for (const v of t!._value) expect(Number.isFinite(v)).toBe(true);
  });
  it('with withFit, starts with the fitted values from the first point', async () => {
    const [t] = await run([2, 4, 3, 5, 4, 6], 'holtWinters(n: 2, interval: 10s, withFit: true, withMinSSE: true)');
    expect(t!._time).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map(at));
    expect(t!._value![0]).toBe(2);
    const sse = t!.minSSE!;
    expect(new Set(sse).size).toBe(1);
    expect(sse[0]).toBeGreaterThanOrEqual(0);
  });
  it('keeps the group key columns first', async () => {
    const [t] = await run([1, 2, 3], 'group(columns: ["host"]) |> holtWinters(n: 1, interval: 10s)');
    expect(t).toEqual({ host: ['a'], _time: [at(3)], _value: [expect.any(Number)] });
  });
  it('gives no rows for fewer than two points, or fewer than a season', async () => {
    expect((await run([1], 'holtWinters(n: 3, interval: 10s)'))[0]!._value).toEqual([]);
    expect((await run([1, 2, 3], 'holtWinters(n: 3, interval: 10s, seasonality: 4)'))[0]!._value).toEqual([]);
  });
  it('buckets by interval: the first value of a bucket counts and leading nulls are skipped', async () => {
    // Interval 20s: rows at 0s,10s round to 0s,20s (halves up) ... the first usable value is row 1.
    const [t] = await run([null, 1, 2, 3, 4, 5], 'holtWinters(n: 1, interval: 20s, withFit: true)');
    // Rows 1..5 at 10s..50s round to 20s,20s,40s,40s,60s: three buckets, so 3 fitted + 1 forecast,
    // stamped from the first point's true time.
    expect(t!._time).toEqual([at(1), at(3), at(5), at(7)]);
  });
  it.each([
    ['holtWinters(n: 2, interval: 10s, column: "nope")', /cannot find column nope/],
    ['holtWinters(n: 2, interval: 10s, timeColumn: "nope")', /cannot find time column nope/],
    ['holtWinters(n: 2, interval: 10s, column: "host")', /holtWinters can work only on numerical types, got string/],
    ['holtWinters(n: 2, interval: 0s)', /interval must be positive/],
    ['holtWinters(n: 2, interval: 1mo)', /interval must not be a calendar duration/],
  ])('rejects %s', async (pipeline, message) => {
    await expect(run([1, 2, 3], pipeline)).rejects.toThrow(message);
  });
});
