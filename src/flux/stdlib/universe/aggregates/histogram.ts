import { ColumnBuilder } from '../../../execute/column-builder.js';
import { isValid, type ColMeta, type ColumnData } from '../../../execute/column.js';
import { Table } from '../../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue } from '../../../values/value.js';
import { aggregateRow, constantColumn } from './aggregate-table.js';
import { perTableOutput } from './per-table-output.js';

/**
 * `histogram(bins:, column:, upperBoundColumn:, countColumn:, normalize:)`: a cumulative
 * histogram per table — one row per bin (ascending upper bound) holding the count of non-null
 * values <= the bound (divided by the number of values with `normalize`). Columns: key
 * columns, upperBoundColumn, countColumn, both float. A value above every bin is an error.
 */
export const histogram: BuiltinSpec = {
  signature:
    '(<-tables: stream[A], ?column: string, ?upperBoundColumn: string, ?countColumn: string, bins: [float], ?normalize: bool) => stream[B]',
  call(args) {
    const column = args.stringOr('column', '_value');
    const upper = args.stringOr('upperBoundColumn', 'le');
    const countCol = args.stringOr('countColumn', '_value');
    const normalize = args.boolOr('normalize', false);
    const bins = args.array('bins').elements.map((e) => {
      if (e.kind !== 'float') throw new CallError('argument bins: expected [float]');
      return e.value;
    });
    bins.sort((a, b) => a - b);
    return perTableOutput(args, (t) => {
      const j = t.colIndex(column);
      if (j < 0) throw new CallError(`column "${column}" is missing`);
      const col = t.columns[j]!;
      if (col.type !== 'float') throw new CallError(`column "${column}" must be a float got ${col.type}`);
      const counts = new Float64Array(bins.length);
      let total = 0;
      for (let i = 0; i < t.length; i++) {
        if (!isValid(col, i)) continue;
        const v = col.values[i]!;
        total++;
        let lo = 0;
        let hi = bins.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (v <= bins[mid]!) hi = mid;
          else lo = mid + 1;
        }
        if (lo >= bins.length) {
          throw new CallError(`found value greater than any bin, ${lo} ${bins.length} ${v} ${bins[bins.length - 1]}`);
        }
        counts[lo]!++;
      }
      const n = bins.length;
      const cols: ColMeta[] = [];
      const columns: ColumnData[] = [];
      t.key.cols.forEach((c, i) => {
        cols.push(c);
        columns.push(constantColumn(c, t.key.values[i]!, n));
      });
      const ub = new ColumnBuilder('float', args.ctx.budget, Math.max(n, 1));
      const cb = new ColumnBuilder('float', args.ctx.budget, Math.max(n, 1));
      let run = 0;
      for (let i = 0; i < n; i++) {
        run += counts[i]!;
        ub.pushFloat(bins[i]!);
        cb.pushFloat(normalize ? run / total : run);
      }
      const add = (label: string, c: ColumnData): void => {
        const at = cols.findIndex((m) => m.label === label);
        if (at >= 0) {
          cols[at] = { label, type: 'float' };
          columns[at] = c;
        } else {
          cols.push({ label, type: 'float' });
          columns.push(c);
        }
      };
      add(upper, ub.finish(n));
      add(countCol, cb.finish(n));
      return new Table(t.key, cols, columns, n);
    });
  },
};

/**
 * `histogramQuantile(quantile:, countColumn:, upperBoundColumn:, valueColumn:, minValue:,
 * onNonmonotonic:)`: the quantile of each cumulative histogram table by linear interpolation
 * between the two bounds around rank q·total (no interpolation towards an infinite bound).
 * Output: key columns then valueColumn (null for a histogram with no samples).
 */
export const histogramQuantile: BuiltinSpec = {
  signature:
    '(<-tables: stream[A], ?quantile: float, ?countColumn: string, ?upperBoundColumn: string, ?valueColumn: string, ?minValue: float, ?onNonmonotonic: string) => stream[B]',
  call(args) {
    const q = args.float('quantile');
    const countCol = args.stringOr('countColumn', '_value');
    const upperCol = args.stringOr('upperBoundColumn', 'le');
    const valueCol = args.stringOr('valueColumn', '_value');
    const minValue = args.optFloat('minValue') ?? 0;
    const mode = args.stringOr('onNonmonotonic', 'error');
    if (mode !== 'error' && mode !== 'force' && mode !== 'drop') {
      throw new CallError(
        `value provided to histogramQuantile parameter onNonmonotonic is invalid; must be one of "error", "force" or "drop"`,
      );
    }
    const input = args.stream();
    const budget = args.ctx.budget;
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          const cj = t.colIndex(countCol);
          if (cj < 0) throw new CallError(`table is missing count column "${countCol}"`);
          if (t.cols[cj]!.type !== 'float') throw new CallError(`count column "${countCol}" must be of type float`);
          const uj = t.colIndex(upperCol);
          if (uj < 0) throw new CallError(`table is missing upper bound column "${upperCol}"`);
          if (t.cols[uj]!.type !== 'float') throw new CallError(`upper bound column "${upperCol}" must be of type float`);
          const cc = t.columns[cj]! as ColumnData & { values: Float64Array };
          const uc = t.columns[uj]! as ColumnData & { values: Float64Array };
          const cdf: { count: number; upper: number }[] = [];
          for (let i = 0; i < t.length; i++) {
            if (!isValid(cc, i)) throw new CallError('unexpected null in the countColumn');
            if (!isValid(uc, i)) throw new CallError('unexpected null in the upperBoundColumn');
            cdf.push({ count: cc.values[i]!, upper: uc.values[i]! });
          }
          cdf.sort((a, b) => a.upper - b.upper);
          if (cdf.length === 0) throw new CallError('histogram is empty');
          let prev = 0;
          let monotonic = true;
          for (const b of cdf) {
            if (b.count < prev) {
              if (mode === 'force') b.count = prev;
              else monotonic = false;
            } else prev = b.count;
          }
          if (!monotonic) {
            if (mode === 'drop') continue;
            throw new CallError('histogram records counts are not monotonic');
          }
          const v = cdfQuantile(cdf, q, minValue);
          yield aggregateRow(t.key, valueCol, 'float', (out) => (v === null ? out.pushNull() : out.pushFloat(v)), budget);
        }
      }),
    );
  },
};

function cdfQuantile(cdf: readonly { count: number; upper: number }[], q: number, minValue: number): number | null {
  const total = cdf[cdf.length - 1]!.count;
  if (total === 0) return null;
  const rank = q * total;
  let idx = -1;
  cdf.forEach((b, i) => {
    if (rank >= b.count) idx = i;
  });
  if (idx === cdf.length - 1) return cdf[idx]!.upper;
  const lowerCount = idx < 0 ? 0 : cdf[idx]!.count;
  const lowerBound = idx < 0 ? minValue : cdf[idx]!.upper;
  const upperCount = cdf[idx + 1]!.count;
  const upperBound = cdf[idx + 1]!.upper;
  if (rank === lowerCount) return lowerBound;
  if (lowerBound === -Infinity) return upperBound;
  if (upperBound === Infinity) return lowerBound;
  return lowerBound + (upperBound - lowerBound) * ((rank - lowerCount) / (upperCount - lowerCount));
}
