import type { Table } from '../../../execute/table.js';
import { CallError, type Args, type BuiltinSpec } from '../../../interpreter/index.js';
import { perTable } from './per-table.js';
import { emaSeries } from './exponential-average.js';
import { floatColumn, floatsOf, isNumeric, validityOf } from './numeric-input.js';
import { emptyWithFloats, tailWithFloats } from './tail-rows.js';

/** The `n:` period, which Flux requires to be positive. */
function period(args: Args): number {
  const n = args.int('n');
  if (n <= 0n) throw new CallError(`cannot take moving average with a period of ${n} (must be greater than 0)`);
  return Number(n);
}

/** Index of the numeric `_value` column, with Flux's errors. */
function valueColumn(t: Table, what: string): number {
  const j = t.colIndex('_value');
  if (j < 0) throw new CallError('cannot find _value column');
  const c = t.columns[j]!;
  if (!isNumeric(c)) throw new CallError(`cannot take ${what} of column _value (type ${c.type})`);
  return j;
}

/**
 * Mean of the last n rows' non-null `_value`s (null when all n are null), from row n-1 on. A table
 * shorter than n gives one row: its last row with the mean of all its values.
 */
const movingAverage: BuiltinSpec = {
  signature: '(<-tables: stream[{B with _value: A}], n: int) => stream[{B with _value: float}]',
  call(args) {
    const n = period(args);
    return perTable(args, (t) => {
      const j = valueColumn(t, 'moving average');
      if (t.length === 0) return emptyWithFloats(t, [j]);
      const c = t.columns[j]!;
      const xs = floatsOf(c);
      const ok = validityOf(c);
      // Flux keeps a ring of n slots and sums it slot by slot; do the same so the float sums agree.
      const ring = new Float64Array(n);
      const filled = new Uint8Array(n);
      const start = Math.min(n - 1, t.length - 1);
      const outLen = t.length - start;
      const values = new Float64Array(outLen);
      const valid = new Uint8Array(outLen);
      for (let i = 0; i < t.length; i++) {
        const slot = i % n;
        filled[slot] = ok[i]!;
        if (ok[i]) ring[slot] = xs[i]!;
        if (i < start) continue;
        let sum = 0;
        let count = 0;
        for (let s = 0; s < n; s++) {
          if (filled[s] === 0) continue;
          sum += ring[s]!;
          count++;
        }
        if (count > 0) {
          values[i - start] = sum / count;
          valid[i - start] = 1;
        }
      }
      return tailWithFloats(t, start, new Map([[j, floatColumn({ values, valid })]]));
    });
  },
};

/** Exponential moving average of `_value` over n points (see emaSeries); shapes as movingAverage. */
const exponentialMovingAverage: BuiltinSpec = {
  signature: '(<-tables: stream[{B with _value: A}], n: int) => stream[{B with _value: A}]',
  call(args) {
    const n = period(args);
    return perTable(args, (t) => {
      const j = valueColumn(t, 'exponential moving average');
      if (t.length === 0) return emptyWithFloats(t, [j]);
      const c = t.columns[j]!;
      const { out, sum, count } = emaSeries(floatsOf(c), validityOf(c), n);
      if (t.length < n) {
        const one = { values: Float64Array.of(count > 0 ? sum / count : 0), valid: Uint8Array.of(count > 0 ? 1 : 0) };
        return tailWithFloats(t, t.length - 1, new Map([[j, floatColumn(one)]]));
      }
      return tailWithFloats(t, n - 1, new Map([[j, floatColumn(out)]]));
    });
  },
};

export const movingAverageBuiltins: Record<string, BuiltinSpec> = { movingAverage, exponentialMovingAverage };
