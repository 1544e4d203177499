import { sortTable } from '../../../execute/sort-table.js';
import { takeRows } from '../../../execute/take-rows.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { perTableOutput } from './per-table-output.js';

/**
 * `sample(n:, pos:)`: rows pos, pos+n, pos+2n, ... of each table (nulls included); `pos` < 0
 * (the default) picks a random start in [0, n) per table.
 */
export const sample: BuiltinSpec = {
  signature: '(<-tables: stream[A], n: int, ?pos: int, ?column: string) => stream[A]',
  call(args) {
    const n = Number(args.int('n'));
    if (n <= 0) throw new CallError(`n must be a positive integer, but was ${n}`);
    const pos = Number(args.intOr('pos', -1n));
    if (pos >= n) throw new CallError(`pos must be less than n, but ${pos} >= ${n}`);
    return perTableOutput(args, (t) => {
      const start = pos < 0 ? Math.floor(Math.random() * n) : pos;
      const rows: number[] = [];
      for (let i = start; i < t.length; i += n) rows.push(i);
      return takeRows(t, rows, rows.length, args.ctx.budget);
    });
  },
};

/** top/bottom: `sort(columns:, desc:) |> limit(n:)` per table, as Flux defines them. */
function sortLimit(desc: boolean): BuiltinSpec {
  return {
    signature: '(<-tables: stream[A], n: int, ?columns: [string]) => stream[A]',
    call(args) {
      const n = Number(args.int('n'));
      if (n < 0) throw new CallError(`n must be non-negative, got ${n}`);
      const columns = args.optStrings('columns') ?? ['_value'];
      return perTableOutput(args, (t) => sortTable(t, columns, desc, args.ctx.budget, { from: 0, to: n }));
    },
  };
}

export const top = sortLimit(true);
export const bottom = sortLimit(false);
