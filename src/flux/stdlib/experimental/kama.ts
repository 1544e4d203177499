import { isValid } from '../../execute/column.js';
import { ColumnBuilder } from '../../execute/column-builder.js';
import { Table } from '../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../interpreter/index.js';
import { streamValue } from '../../values/value.js';

const FAST = 2 / 3; // smoothing constant of a 2-period EMA
const SLOW = 2 / 31; // smoothing constant of a 30-period EMA

/**
 * `experimental.kaufmansAMA(n:)`: Kaufman's Adaptive Moving Average of `_value`, per table.
 * With values p[0..], the first output is at index n, seeded with p[n-1]:
 *   ER = |p[i] - p[i-n]| / Σ_{k=i-n+1..i} |p[k] - p[k-1]|   (1 when the sum is 0)
 *   sc = (ER·(FAST-SLOW) + SLOW)²;  kama = kama + sc·(p[i] - kama)
 * Rows with a null `_value` are skipped; the first n non-null rows produce no output.
 * `_value` becomes float; every other column is kept.
 */
export const kaufmansAMA: BuiltinSpec = {
  signature: '(<-tables: stream[{T with _value: A}], n: int) => stream[{T with _value: float}]',
  call(args) {
    const n = Number(args.int('n'));
    if (n <= 0) throw new CallError('n must be positive');
    const input = args.stream('tables');
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          const j = t.colIndex('_value');
          if (j < 0) throw new CallError('cannot find column _value');
          const col = t.columns[j]!;
          if (col.type !== 'float' && col.type !== 'int' && col.type !== 'uint') {
            throw new CallError(`unsupported type for kaufmansAMA: ${col.type}`);
          }
          const rows: number[] = [];
          const p: number[] = [];
          for (let i = 0; i < t.length; i++) {
            if (!isValid(col, i)) continue;
            rows.push(i);
            p.push(Number(col.values[i]!));
          }
          const outRows: number[] = [];
          const out = new ColumnBuilder('float');
          let kama = p[n - 1] ?? 0;
          for (let i = n; i < p.length; i++) {
            const change = Math.abs(p[i]! - p[i - n]!);
            let volatility = 0;
            for (let k = i - n + 1; k <= i; k++) volatility += Math.abs(p[k]! - p[k - 1]!);
            const er = volatility === 0 ? 1 : change / volatility;
            const sc = (er * (FAST - SLOW) + SLOW) ** 2;
            kama += sc * (p[i]! - kama);
            outRows.push(rows[i]!);
            out.pushFloat(kama);
          }
          const columns = t.columns.map((c, k) => {
            if (k === j) return out.finish(outRows.length);
            const b = new ColumnBuilder(c.type);
            b.pushFrom(c, outRows);
            return b.finish(outRows.length);
          });
          const cols = t.cols.map((c, k) => (k === j ? { label: c.label, type: 'float' as const } : c));
          yield new Table(t.key, cols, columns, outRows.length);
        }
      }),
    );
  },
};
