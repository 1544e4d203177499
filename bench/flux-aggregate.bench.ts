// aggregateWindow(every: 5m, fn: mean) over 1 M rows (one series, a point every 10 s: ~33 k
// windows), against a plain typed-array loop computing the same means. Also the generic path
// (fn as a closure: window tables → fn → merge), to show what the fast path saves.
import { parseDuration } from '../src/core/duration.js';
import { GroupKey } from '../src/flux/execute/group-key.js';
import { Table } from '../src/flux/execute/table.js';
import { collectTables, streamOf } from '../src/flux/execute/table-stream.js';
import { parseSignature } from '../src/flux/interpreter/index.js';
import { aggregateTable } from '../src/flux/stdlib/universe/aggregates/aggregate-table.js';
import { meanKernel } from '../src/flux/stdlib/universe/aggregates/aggregate-kernels.js';
import { aggregateWindowStream, type AggregateWindowOptions } from '../src/flux/stdlib/universe/aggregates/aggregate-window.js';
import { windowSpec } from '../src/flux/stdlib/universe/aggregates/window-bounds.js';
import { stringValue, streamValue, timeValue, type FunctionValue, type StreamValue } from '../src/flux/values/value.js';
import { medianMs, type BenchSuite } from './harness.js';

const ROWS = 1_000_000;
const START = 1_700_000_000_000_000_000n;
const STEP = 10_000_000_000n; // 10 s
const EVERY = 300_000_000_000n; // 5 m
const STOP = START + BigInt(ROWS) * STEP;
/** Target: within 3x of the hand-written loop (the engine also builds key columns and checks order). */
const TARGET_RATIO = 3;

function makeTable(): Table {
  const time = new BigInt64Array(ROWS);
  const value = new Float64Array(ROWS);
  let seed = 42;
  for (let i = 0; i < ROWS; i++) {
    time[i] = START + BigInt(i) * STEP;
    seed = (seed * 1103515245 + 12345) >>> 0;
    value[i] = (seed / 0xffffffff) * 100;
  }
  const key = GroupKey.of([
    [{ label: '_start', type: 'time' }, timeValue(START)],
    [{ label: '_stop', type: 'time' }, timeValue(STOP)],
    [{ label: 'host', type: 'string' }, stringValue('host-1')],
  ]);
  return new Table(
    key,
    [
      { label: '_start', type: 'time' },
      { label: '_stop', type: 'time' },
      { label: '_time', type: 'time' },
      { label: '_value', type: 'float' },
      { label: 'host', type: 'string' },
    ],
    [
      { type: 'time', length: ROWS, valid: null, values: new BigInt64Array(ROWS).fill(START) },
      { type: 'time', length: ROWS, valid: null, values: new BigInt64Array(ROWS).fill(STOP) },
      { type: 'time', length: ROWS, valid: null, values: time },
      { type: 'float', length: ROWS, valid: null, values: value },
      { type: 'string', length: ROWS, valid: null, values: new Array<string>(ROWS).fill('host-1') },
    ],
    ROWS,
  );
}

/** Collects garbage before a measurement (with --expose-gc) so the table set-up's is not timed. */
function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs per figure: the machine is shared, so the median of many. */
const RUNS = 9;

const suite: BenchSuite = {
  name: 'flux-aggregate',
  async run(report) {
    const table = makeTable();
    const times = table.column('_time')!.values as BigInt64Array;
    const vals = table.column('_value')!.values as Float64Array;
    const options: AggregateWindowOptions = {
      spec: windowSpec(parseDuration('5m'), undefined, undefined),
      column: '_value',
      timeSrc: '_stop',
      timeDst: '_time',
      createEmpty: true,
    };

    // Baseline: one pass over the time-sorted rows, moving to the next window when a time
    // reaches its stop (what a hand-written downsampler does), then the means.
    settle();
    const baseline = await medianMs(() => {
      const first = (START / EVERY) * EVERY;
      const n = Number((STOP - first + EVERY - 1n) / EVERY);
      const sums = new Float64Array(n);
      const counts = new Float64Array(n);
      let stop = first + EVERY;
      let w = 0;
      for (let i = 0; i < ROWS; i++) {
        const t = times[i]!;
        while (t >= stop) {
          stop += EVERY;
          w++;
        }
        sums[w]! += vals[i]!;
        counts[w]!++;
      }
      const means = new Float64Array(n);
      for (let k = 0; k < n; k++) means[k] = counts[k] === 0 ? NaN : sums[k]! / counts[k]!;
      return means;
    }, RUNS);

    settle();
    const fast = await medianMs(async () => {
      const out = await collectTables(aggregateWindowStream(streamOf([table]), { kind: 'aggregate', name: 'mean', kernel: meanKernel }, options));
      if (out[0]!.length !== 33_334) throw new Error(`unexpected window count ${out[0]!.length}`);
    }, RUNS);
    report({
      name: 'aggregateWindow(every: 5m, fn: mean), 1M rows (fast path)',
      value: fast,
      unit: 'ms',
      baseline: { name: 'typed-array bucketing loop', value: baseline },
      target: `<= ${TARGET_RATIO}x baseline`,
      ok: fast <= TARGET_RATIO * baseline,
    });

    // The same over an int column (counters): exact 64-bit sums without a BigInt per row.
    const ints = BigInt64Array.from(vals, (v) => BigInt(Math.round(v * 1000)));
    const intTable = new Table(
      table.key,
      table.cols.map((c) => (c.label === '_value' ? { label: '_value', type: 'int' as const } : c)),
      table.columns.map((c, j) => (table.cols[j]!.label === '_value' ? { type: 'int' as const, length: ROWS, valid: null, values: ints } : c)),
      ROWS,
    );
    settle();
    const fastInt = await medianMs(
      () => collectTables(aggregateWindowStream(streamOf([intTable]), { kind: 'aggregate', name: 'mean', kernel: meanKernel }, options)),
      RUNS,
    );
    report({
      name: 'aggregateWindow(every: 5m, fn: mean) on int _value, 1M rows',
      value: fastInt,
      unit: 'ms',
      baseline: { name: 'float fast path', value: fast },
    });

    // Generic path: the window tables handed to a function value (here a TypeScript one doing
    // what `(column, tables=<-) => tables |> mean(column: column)` does, without the interpreter).
    const fn: FunctionValue = {
      kind: 'function',
      name: '',
      type: parseSignature('(<-tables: stream[A], column: string) => stream[B]'),
      call(args) {
        const input = args.get('tables') as StreamValue;
        const column = (args.get('column') as { value: string }).value;
        return streamValue(
          (async function* () {
            for await (const t of input.tables) yield aggregateTable(t, column, meanKernel);
          })(),
        );
      },
    };
    settle();
    const generic = await medianMs(() => collectTables(aggregateWindowStream(streamOf([table]), { kind: 'function', fn }, options)), 3, 1);
    report({ name: 'aggregateWindow generic path (fn value), 1M rows', value: generic, unit: 'ms', baseline: { name: 'fast path', value: fast } });
  },
};

export default suite;
