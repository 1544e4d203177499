// Flux row functions end to end on 1 M rows: a Flux program's `filter(fn: (r) => r._value > x)`
// and `map(fn: (r) => ({r with _value: r._value * 2.0}))`, through the interpreter and the
// universe builtins (row function → RowExpr IR → column kernel), against a plain typed-array loop
// doing the same work. bench/flux-table measures the kernels alone; this adds everything a query
// pays on top (program compile, builtin dispatch, stream plumbing).
import { GroupKey } from '../src/flux/execute/group-key.js';
import { Table } from '../src/flux/execute/table.js';
import { stringValue } from '../src/flux/values/value.js';
import { medianMs, type BenchSuite } from './harness.js';
import { fluxProgramRunner } from './flux-program.js';

const ROWS = 1_000_000;
const TARGET_MS = 200;

function makeTable(): Table {
  const time = new BigInt64Array(ROWS);
  const value = new Float64Array(ROWS);
  let seed = 7;
  for (let i = 0; i < ROWS; i++) {
    time[i] = 1_700_000_000_000_000_000n + BigInt(i) * 10_000_000_000n;
    seed = (seed * 1103515245 + 12345) >>> 0;
    value[i] = (seed / 0xffffffff) * 100;
  }
  const key = GroupKey.of([[{ label: 'host', type: 'string' }, stringValue('h1')]]);
  return new Table(
    key,
    [
      { label: '_time', type: 'time' },
      { label: '_value', type: 'float' },
      { label: 'host', type: 'string' },
    ],
    [
      { type: 'time', length: ROWS, valid: null, values: time },
      { type: 'float', length: ROWS, valid: null, values: value },
      { type: 'string', length: ROWS, valid: null, values: new Array<string>(ROWS).fill('h1') },
    ],
    ROWS,
  );
}

const suite: BenchSuite = {
  name: 'flux-row',
  async run(report) {
    const table = makeTable();
    const run = fluxProgramRunner(table, 0n);
    const vals = table.columns[1]!.values as Float64Array;
    const times = table.columns[0]!.values as BigInt64Array;

    const baselineFilter = await medianMs(() => {
      const outV = new Float64Array(ROWS);
      const outT = new BigInt64Array(ROWS);
      let n = 0;
      for (let i = 0; i < ROWS; i++) {
        if (vals[i]! > 50) {
          outV[n] = vals[i]!;
          outT[n] = times[i]!;
          n++;
        }
      }
      return n;
    });
    const filterMs = await medianMs(() => run('benchdata.rows() |> filter(fn: (r) => r._value > 50.0)'));
    report({
      name: 'Flux program: filter(fn: (r) => r._value > 50.0), 1M rows',
      value: filterMs,
      unit: 'ms',
      baseline: { name: 'plain typed-array loop', value: baselineFilter },
      target: `<= ${TARGET_MS}`,
      ok: filterMs <= TARGET_MS,
    });

    const baselineMap = await medianMs(() => {
      const out = new Float64Array(ROWS);
      for (let i = 0; i < ROWS; i++) out[i] = vals[i]! * 2;
      return out;
    });
    const mapMs = await medianMs(() => run('benchdata.rows() |> map(fn: (r) => ({r with _value: r._value * 2.0}))'));
    report({
      name: 'Flux program: map(fn: (r) => ({r with _value: r._value * 2.0})), 1M rows',
      value: mapMs,
      unit: 'ms',
      baseline: { name: 'plain typed-array loop', value: baselineMap },
      target: `<= ${TARGET_MS}`,
      ok: mapMs <= TARGET_MS,
    });

    // A body outside the fast path's shapes falls back to per-row evaluation: shown, no target.
    const genericMs = await medianMs(
      () => run('benchdata.rows() |> filter(fn: (r) => { x = r._value\n return x > 50.0 })'),
      3,
      1,
    );
    report({
      name: 'Flux program: filter with a block body (generic per-row path), 1M rows',
      value: genericMs,
      unit: 'ms',
      baseline: { name: 'plain typed-array loop', value: baselineFilter },
    });

    // reduce: a body of row expressions compiled to a fold, against the same body evaluated per
    // row (a block of two statements is not compiled). Shown, no target.
    const body = 'sum: r._value + accumulator.sum, n: accumulator.n + 1';
    const foldMs = await medianMs(() => run(`benchdata.rows() |> reduce(identity: {sum: 0.0, n: 0}, fn: (r, accumulator) => ({${body}}))`), 5, 2);
    const evaluatedMs = await medianMs(
      () => run(`benchdata.rows() |> reduce(identity: {sum: 0.0, n: 0}, fn: (r, accumulator) => {\n unused = 0\n return {${body}}\n})`),
      3,
      1,
    );
    report({
      name: 'Flux program: reduce(fn: (r, accumulator) => ({sum: ..., n: ...})) compiled to a fold, 1M rows',
      value: foldMs,
      unit: 'ms',
      baseline: { name: 'the same body evaluated per row', value: evaluatedMs },
    });
  },
};

export default suite;
