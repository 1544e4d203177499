import { isValid, type ColumnData } from '../../../execute/column.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { aggregateRow } from './aggregate-table.js';
import { perTableOutput } from './per-table-output.js';

/**
 * `covariance(columns: [x, y], pearsonr:, valueDst:)`: the sample covariance (or Pearson r) of
 * two float columns over rows where both are non-null; NaN with fewer than two such rows.
 * Output: key columns then valueDst (float).
 */
export const covariance: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?pearsonr: bool, ?valueDst: string, columns: [string]) => stream[B]',
  call(args) {
    const columns = args.strings('columns');
    if (columns.length !== 2) throw new CallError('must provide exactly two columns');
    const pearsonr = args.boolOr('pearsonr', false);
    const valueDst = args.stringOr('valueDst', '_value');
    return perTableOutput(args, (t) => {
      const xj = t.colIndex(columns[0]!);
      if (xj < 0) throw new CallError(`specified column does not exist in table: ${columns[0]}`);
      const yj = t.colIndex(columns[1]!);
      if (yj < 0) throw new CallError(`specified column does not exist in table: ${columns[1]}`);
      const xs = t.columns[xj]!;
      const ys = t.columns[yj]!;
      if (xs.type !== ys.type) throw new CallError('cannot compute the covariance between different types');
      if (xs.type !== 'float') throw new CallError(`covariance does not support ${xs.type}`);
      const v = covarianceOf(xs, ys as ColumnData & { type: 'float' }, pearsonr);
      return aggregateRow(t.key, valueDst, 'float', (out) => out.pushFloat(v), args.ctx.budget);
    });
  },
};

function covarianceOf(xs: ColumnData & { type: 'float' }, ys: ColumnData & { type: 'float' }, pearsonr: boolean): number {
  let n = 0;
  let xm = 0;
  let ym = 0;
  let xm2 = 0;
  let ym2 = 0;
  let xym2 = 0;
  for (let i = 0; i < xs.length; i++) {
    if (!isValid(xs, i) || !isValid(ys, i)) continue;
    const x = xs.values[i]!;
    const y = ys.values[i]!;
    n++;
    const dx = x - xm;
    const dy = y - ym;
    xm += dx / n;
    ym += dy / n;
    const dy2 = y - ym;
    xm2 += dx * (x - xm);
    ym2 += dy * dy2;
    xym2 += dx * dy2;
  }
  if (n < 2) return NaN;
  return pearsonr ? xym2 / Math.sqrt(xm2 * ym2) : xym2 / (n - 1);
}
