import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationFromNs } from '../../../../core/duration.js';
import type { ColumnData } from '../../../execute/column.js';
import { GroupKey } from '../../../execute/group-key.js';
import { Table } from '../../../execute/table.js';
import { collectTables, streamOf } from '../../../execute/table-stream.js';
import { parseSignature } from '../../../interpreter/index.js';
import { streamValue, stringValue, timeValue, type FunctionValue, type StreamValue } from '../../../values/value.js';
import { countKernel, meanKernel, spreadKernel, sumKernel, type AggregateKernel } from './aggregate-kernels.js';
import { aggregateTable } from './aggregate-table.js';
import { aggregateWindowStream, timeOrdered, type AggregateWindowOptions, type WindowReducer } from './aggregate-window.js';
import { firstSelector, lastSelector, maxSelector, minSelector, selectRow, type RowSelector } from './selectors.js';
import { windowSpec } from './window-bounds.js';

const S = 1_000_000_000n;
const START = 1_600_000_000n * S;
const STOP = START + 60n * S;

/**
 * A table over [START, STOP) keyed on _start, _stop, host: times in seconds (a negative one is
 * null), values with nulls, and `seq`, each row's input position (a column only the selected
 * rows carry over).
 */
function table(rows: [number, number | null][]): Table {
  const n = rows.length;
  const timeValid = new Uint8Array((n + 7) >>> 3);
  rows.forEach(([t], i) => {
    if (t >= 0) timeValid[i >>> 3]! |= 1 << (i & 7);
  });
  const valid = new Uint8Array((n + 7) >>> 3);
  const values = new Float64Array(n);
  rows.forEach(([, v], i) => {
    if (v !== null) {
      valid[i >>> 3]! |= 1 << (i & 7);
      values[i] = v;
    }
  });
  const cols: ColumnData[] = [
    { type: 'time', length: n, valid: null, values: new BigInt64Array(n).fill(START) },
    { type: 'time', length: n, valid: null, values: new BigInt64Array(n).fill(STOP) },
    { type: 'time', length: n, valid: rows.some(([t]) => t < 0) ? timeValid : null, values: BigInt64Array.from(rows, ([t]) => START + BigInt(Math.max(t, 0)) * S) },
    { type: 'string', length: n, valid: null, values: new Array<string>(n).fill('h') },
    { type: 'float', length: n, valid, values },
    { type: 'int', length: n, valid: null, values: BigInt64Array.from(rows, (_, i) => BigInt(i)) },
  ];
  const key = GroupKey.of([
    [{ label: '_start', type: 'time' }, timeValue(START)],
    [{ label: '_stop', type: 'time' }, timeValue(STOP)],
    [{ label: 'host', type: 'string' }, stringValue('h')],
  ]);
  const labels = ['_start', '_stop', '_time', 'host', '_value', 'seq'] as const;
  return new Table(key, labels.map((label, j) => ({ label, type: cols[j]!.type })), cols, n);
}

/** A function value doing per window table what the builtin does: the generic path. */
function asFunction(per: (t: Table, column: string) => Table): FunctionValue {
  return {
    kind: 'function',
    name: '',
    type: parseSignature('(<-tables: stream[A], column: string) => stream[B]'),
    call(args) {
      const input = args.get('tables') as StreamValue;
      const column = (args.get('column') as { value: string }).value;
      return streamValue(
        (async function* () {
          for await (const t of input.tables) yield per(t, column);
        })(),
      );
    },
  };
}

const kernels: [string, AggregateKernel][] = [
  ['count', countKernel],
  ['sum', sumKernel],
  ['mean', meanKernel],
  ['spread', spreadKernel],
];
const selectors: [string, RowSelector][] = [
  ['first', firstSelector],
  ['last', lastSelector],
  ['min', minSelector],
  ['max', maxSelector],
];

/** The table without _start/_stop (key and columns): data windowed without range bounds. */
function unbounded(t: Table): Table {
  const js = [2, 3, 4, 5];
  return new Table(
    GroupKey.of([[{ label: 'host', type: 'string' }, stringValue('h')]]),
    js.map((j) => t.cols[j]!),
    js.map((j) => t.columns[j]!),
    t.length,
  );
}

function plain(tables: Table[]): unknown {
  return tables.map((t) => ({
    key: t.key.toString(),
    cols: t.cols.map((c) => c.label).sort(),
    rows: Array.from({ length: t.length }, (_, i) => Object.fromEntries(t.cols.map((c, j) => [c.label, t.value(i, j)]))),
  }));
}

describe('aggregateWindow: fast paths agree with the generic definition on random input', () => {
  const rowsArb = fc.array(fc.tuple(fc.integer({ min: -3, max: 59 }), fc.option(fc.integer({ min: -50, max: 50 }), { nil: null })), {
    maxLength: 25,
  });
  const optsArb = fc.record({
    every: fc.integer({ min: 1, max: 25 }),
    period: fc.integer({ min: 0, max: 40 }),
    offset: fc.integer({ min: -30, max: 30 }),
    createEmpty: fc.boolean(),
    timeSrc: fc.constantFrom('_start', '_stop'),
    pick: fc.integer({ min: 0, max: 7 }),
    noBounds: fc.boolean(),
  });

  it('for aggregates and selectors, any windows, unsorted times, nulls, with or without range bounds', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, optsArb, async (rows, o) => {
        const options: AggregateWindowOptions = {
          spec: windowSpec(durationFromNs(BigInt(o.every) * S), durationFromNs(BigInt(o.period) * S), durationFromNs(BigInt(o.offset) * S)),
          column: '_value',
          timeSrc: o.timeSrc,
          timeDst: '_time',
          createEmpty: o.createEmpty,
        };
        let fast: WindowReducer;
        let generic: WindowReducer;
        if (o.pick < 4) {
          const [name, kernel] = kernels[o.pick]!;
          fast = { kind: 'aggregate', name, kernel };
          generic = { kind: 'function', fn: asFunction((t, c) => aggregateTable(t, c, kernel)) };
        } else {
          const [name, selector] = selectors[o.pick - 4]!;
          fast = { kind: 'selector', name, selector };
          generic = { kind: 'function', fn: asFunction((t, c) => selectRow(t, c, selector)) };
        }
        const t = o.noBounds ? unbounded(table(rows)) : table(rows);
        const a = await collectTables(aggregateWindowStream(streamOf([t]), fast, options));
        const b = await collectTables(aggregateWindowStream(streamOf([t]), generic, options));
        expect(plain(a)).toEqual(plain(b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('timeOrdered', () => {
  it('sorts stably by _time and drops rows with a null time', () => {
    const t = table([
      [30, 1],
      [10, 2],
      [30, 3],
      [0, 4],
    ]);
    // Make row 1's time null.
    const times = t.columns[2]!;
    const withNull = new Table(
      t.key,
      t.cols,
      t.columns.map((c, j) => (j === 2 ? { ...times, valid: Uint8Array.of(0b1101) } : c)),
      t.length,
    );
    const out = timeOrdered(withNull);
    expect(Array.from({ length: out.length }, (_, i) => out.value(i, 4))).toEqual([4, 1, 3].map((v) => ({ kind: 'float', value: v })));
  });
});
