import { sortTableSteps, type RowRange } from '../../../execute/sort-table.js';
import { runStepsBreathing } from '../../../execute/steps.js';
import { sliceRows } from '../../../execute/take-rows.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import type { StreamValue } from '../../../values/value.js';
import { perTable } from './per-table.js';

/**
 * A `sort()` result that `limit()` piped after it may ask for only some rows of each sorted table
 * (`sortTable`'s `rows`): the rest are never gathered. Errors stay sort's own.
 */
interface SortedStream extends StreamValue {
  readonly sortedRows: (rows: RowRange) => StreamValue;
}

function sortedRowsOf(v: unknown): SortedStream['sortedRows'] | undefined {
  return typeof v === 'object' && v !== null ? (v as Partial<SortedStream>).sortedRows : undefined;
}

/** `sort(columns:, desc:)`: stable sort of each table; nulls first in both directions. */
export const sort: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?columns: [string], ?desc: bool) => stream[A]',
  call(args) {
    const columns = args.optStrings('columns') ?? ['_value'];
    const desc = args.boolOr('desc', false);
    const ctx = args.ctx;
    const breathe = (): Promise<void> | undefined => ctx.checkpoint();
    // In steps: a table of millions of rows lets the event loop in while it is sorted (steps.ts).
    const out: SortedStream = {
      ...perTable(args, (t) => runStepsBreathing(sortTableSteps(t, columns, desc, ctx.budget), breathe)),
      sortedRows: (rows) => perTable(args, (t) => runStepsBreathing(sortTableSteps(t, columns, desc, ctx.budget, rows), breathe)),
    };
    return out;
  },
};

function count(args: Parameters<BuiltinSpec['call']>[0], fn: string): { n: number; offset: number } {
  const n = args.int('n');
  const offset = args.intOr('offset', 0n);
  if (offset < 0n) throw new CallError(`${fn} offset cannot be negative (${offset})`);
  return { n: n < 0n ? 0 : Number(n), offset: Number(offset) };
}

/** `limit(n:, offset:)`: the first `n` rows of each table after skipping `offset`. */
export const limit: BuiltinSpec = {
  signature: '(<-tables: stream[A], n: int, ?offset: int) => stream[A]',
  call(args) {
    const { n, offset } = count(args, 'limit');
    const sorted = sortedRowsOf(args.get('tables'));
    if (sorted !== undefined) return sorted({ from: offset, to: offset + n });
    return perTable(args, (t) => sliceRows(t, offset, offset + n));
  },
};

/** `tail(n:, offset:)`: the last `n` rows of each table, not counting the last `offset`. */
export const tail: BuiltinSpec = {
  signature: '(<-tables: stream[A], n: int, ?offset: int) => stream[A]',
  call(args) {
    const { n, offset } = count(args, 'tail');
    return perTable(args, (t) => {
      const end = Math.max(0, t.length - offset);
      return sliceRows(t, Math.max(0, end - n), end);
    });
  },
};
