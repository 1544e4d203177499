import { ColumnBuilder } from '../../../execute/column-builder.js';
import { isValid, type ColMeta, type ColumnData } from '../../../execute/column.js';
import { Table } from '../../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue } from '../../../values/value.js';
import { HoltWinters } from './holt-winters-model.js';
import { NonFiniteStartError } from './nelder-mead.js';
import { isNumeric } from './numeric-input.js';
import type { FloatSeries } from './numeric-input.js';

/** Rounds a time to the nearest multiple of `d` nanoseconds, halves up (Flux's Time.Round). */
function roundTime(t: bigint, d: bigint): bigint {
  if (d <= 0n) return t;
  const r = t % d;
  if (BigInt.asUintN(64, r + r) < d) return t - r;
  return t + (d - r);
}

interface CleanData {
  readonly series: FloatSeries;
  /** Time of the first point, and of the last (0 when there is only one point: Flux's quirk). */
  readonly startNs: bigint;
  readonly stopNs: bigint;
}

/**
 * The column as one value per `interval` bucket, as Flux prepares it: leading nulls are skipped,
 * times round to the nearest interval, only the first value of a bucket counts, and each empty
 * bucket in between becomes a null. Rows with a null time are ignored.
 */
function cleanData(times: ColumnData, col: ColumnData, intervalNs: bigint): CleanData {
  const values: number[] = [];
  const valid: number[] = [];
  let start = 0n;
  let stop = 0n;
  let bucketEnd: bigint | null = null;
  let filled = false;
  const append = (i: number): void => {
    const ok = isValid(col, i);
    const v = ok ? Number(col.values[i]!) : 0;
    if (col.type === 'float' && !Number.isFinite(col.values[i] as number)) throw new CallError('NaN/Inf in input');
    values.push(v);
    valid.push(ok ? 1 : 0);
    filled = true;
  };
  for (let i = 0; i < times.length; i++) {
    if (!isValid(times, i)) continue;
    if (bucketEnd === null && !isValid(col, i)) continue;
    const t = times.values[i] as bigint;
    const rounded = roundTime(t, intervalNs);
    if (bucketEnd === null) {
      start = t;
      bucketEnd = rounded;
      append(i);
      continue;
    }
    if (rounded <= bucketEnd && filled) continue;
    bucketEnd += intervalNs;
    filled = false;
    while (rounded > bucketEnd) {
      values.push(0);
      valid.push(0);
      bucketEnd += intervalNs;
      filled = false;
    }
    append(i);
    stop = t;
  }
  return { series: { values: Float64Array.from(values), valid: Uint8Array.from(valid) }, startNs: start, stopNs: stop };
}

/** Runs the model; a fit that cannot start (Flux panics there) is a user error. */
function fit(n: number, seasonality: number, withFit: boolean, series: FloatSeries): { values: Float64Array; minSSE: number } {
  try {
    return new HoltWinters(n, seasonality, withFit).run(series);
  } catch (e) {
    if (e instanceof NonFiniteStartError) throw new CallError(`holtWinters: ${e.message}`);
    throw e;
  }
}

/**
 * Holt-Winters forecast of `column`: n predicted values every `interval` after the last point
 * (with `withFit`, the fitted values from the first point on come first). Output tables hold the
 * group key columns, `_time`, `_value` and, with `withMinSSE`, the fit's `minSSE`.
 */
const holtWinters: BuiltinSpec = {
  signature:
    '(<-tables: stream[A], n: int, interval: duration, ?withFit: bool, ?column: string, ?timeColumn: string, ?seasonality: int, ?withMinSSE: bool) => stream[B]',
  call(args) {
    const n = Number(args.int('n'));
    const interval = args.duration('interval');
    if (interval.months !== 0) throw new CallError('interval must not be a calendar duration');
    const intervalNs = BigInt(interval.nanoseconds);
    // Flux never leaves its bucket loop for a zero or negative interval; refuse it instead.
    if (intervalNs <= 0n) throw new CallError('interval must be positive');
    const withFit = args.boolOr('withFit', false);
    const column = args.stringOr('column', '_value');
    const timeColumn = args.stringOr('timeColumn', '_time');
    const seasonality = Number(args.intOr('seasonality', 0n));
    const withMinSSE = args.boolOr('withMinSSE', false);
    const input = args.stream();
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          const ti = t.colIndex(timeColumn);
          if (ti < 0) throw new CallError(`cannot find time column ${timeColumn}`);
          const ci = t.colIndex(column);
          if (ci < 0) throw new CallError(`cannot find column ${column}`);
          const col = t.columns[ci]!;
          if (!isNumeric(col)) throw new CallError(`holtWinters can work only on numerical types, got ${col.type}`);
          const times = t.columns[ti]!;
          if (times.type !== 'time') throw new CallError(`time column ${timeColumn} is not of type time`);

          const clean = cleanData(times, col, intervalNs);
          const { values, minSSE } = fit(n, seasonality, withFit, clean.series);
          const len = values.length;

          const cols: ColMeta[] = [];
          const data: ColumnData[] = [];
          const add = (meta: ColMeta, c: ColumnData): void => {
            if (cols.some((x) => x.label === meta.label)) {
              throw new CallError(`table builder already has column with label ${meta.label}`);
            }
            cols.push(meta);
            data.push(c);
          };
          t.key.cols.forEach((kc, k) => {
            const b = new ColumnBuilder(kc.type);
            for (let i = 0; i < len; i++) b.pushValue(t.key.values[k]!);
            add(kc, b.finish());
          });
          const ts = new BigInt64Array(len);
          let s = withFit ? clean.startNs : clean.stopNs + intervalNs;
          for (let i = 0; i < len; i++) {
            ts[i] = s;
            s += intervalNs;
          }
          add({ label: '_time', type: 'time' }, { type: 'time', length: len, valid: null, values: ts });
          add({ label: '_value', type: 'float' }, { type: 'float', length: len, valid: null, values });
          if (withMinSSE) {
            add({ label: 'minSSE', type: 'float' }, { type: 'float', length: len, valid: null, values: new Float64Array(len).fill(minSSE) });
          }
          yield new Table(t.key, cols, data, len);
        }
      }),
    );
  },
};

export const holtWintersBuiltins: Record<string, BuiltinSpec> = { holtWinters };
