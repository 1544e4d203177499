// Universe shape functions on 1 M rows through Flux programs: range, window (tumbling, the fast
// path, and overlapping, the general one), pivot, sort+limit and keep; each next to a plain
// typed-array loop doing the core of the work, measured in the same run. No issue target: these
// figures show where the time goes.
import { GroupKey } from '../src/flux/execute/group-key.js';
import { Table } from '../src/flux/execute/table.js';
import { stringValue } from '../src/flux/values/value.js';
import { medianMs, type BenchSuite } from './harness.js';
import { fluxProgramRunner } from './flux-program.js';

const ROWS = 1_000_000;
const T0 = 1_700_000_000_000_000_000n;
const STEP = 1_000_000_000n;

/** 1 M rows: 250 k timestamps 1 s apart, each with 4 rows (`_field` f0..f3, for pivot). */
function makeTable(): Table {
  const time = new BigInt64Array(ROWS);
  const value = new Float64Array(ROWS);
  const field = new Array<string>(ROWS);
  for (let i = 0; i < ROWS; i++) {
    time[i] = T0 + BigInt(i >> 2) * STEP;
    value[i] = i % 1000;
    field[i] = `f${i % 4}`;
  }
  const key = GroupKey.of([[{ label: 'host', type: 'string' }, stringValue('h1')]]);
  return new Table(
    key,
    [
      { label: '_time', type: 'time' },
      { label: '_value', type: 'float' },
      { label: '_field', type: 'string' },
      { label: 'host', type: 'string' },
    ],
    [
      { type: 'time', length: ROWS, valid: null, values: time },
      { type: 'float', length: ROWS, valid: null, values: value },
      { type: 'string', length: ROWS, valid: null, values: field },
      { type: 'string', length: ROWS, valid: null, values: new Array<string>(ROWS).fill('h1') },
    ],
    ROWS,
  );
}

const suite: BenchSuite = {
  name: 'flux-shape',
  async run(report) {
    const table = makeTable();
    const run = fluxProgramRunner(table, T0 + BigInt(ROWS / 4) * STEP);
    const times = table.columns[0]!.values as BigInt64Array;
    const vals = table.columns[1]!.values as Float64Array;
    // Baseline: one pass over the times computing each row's 1 m window (what window must do).
    const scan = await medianMs(() => {
      let windows = 0;
      let stop = -1n;
      for (let i = 0; i < ROWS; i++) {
        const t = times[i]!;
        if (t >= stop) {
          stop = t - (t % 60_000_000_000n) + 60_000_000_000n;
          windows++;
        }
      }
      return windows;
    });
    const copy = await medianMs(() => new Float64Array(vals));
    const figures: [string, string, number][] = [
      ['range(start:, stop:) keeping half the rows', 'benchdata.rows() |> range(start: -125000s)', scan],
      ['window(every: 1m), tumbling over sorted times', 'benchdata.rows() |> window(every: 1m)', scan],
      ['window(every: 1m, period: 2m), overlapping', 'benchdata.rows() |> window(every: 1m, period: 2m)', scan],
      ['pivot(rowKey: ["_time"], columnKey: ["_field"]) into 250k rows', 'benchdata.rows() |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")', copy],
      ['sort(columns: ["_value"], desc: true) |> limit(n: 10)', 'benchdata.rows() |> sort(columns: ["_value"], desc: true) |> limit(n: 10)', copy],
      ['keep(columns: ["_time", "_value"])', 'benchdata.rows() |> keep(columns: ["_time", "_value"])', copy],
    ];
    for (const [name, query, baseline] of figures) {
      const ms = await medianMs(() => run(query), 3, 1);
      report({
        name: `Flux program: ${name}, 1M rows`,
        value: ms,
        unit: 'ms',
        baseline: { name: baseline === scan ? 'typed-array scan computing 1m windows' : 'Float64Array copy of _value', value: baseline },
      });
    }
  },
};

export default suite;
