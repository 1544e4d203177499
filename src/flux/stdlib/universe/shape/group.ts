import { groupTables, type RegroupableStream } from '../../../execute/group-tables.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue } from '../../../values/value.js';

/**
 * `group(columns:, mode:)`: regroups the stream. `by` keys on the listed columns a table has,
 * `except` on every column not listed; equal keys from any input table merge into one table,
 * rows in input order, tables emitted in key order once the input ends. An aggregate piped
 * after it rebuilds the groups with only the columns it reads (`regroup`).
 */
export const group: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?mode: string, ?columns: [string]) => stream[A]',
  call(args) {
    const input = args.stream();
    const mode = args.stringOr('mode', 'by');
    if (mode !== 'by' && mode !== 'except') throw new CallError('invalid group mode: must be "by" or "except"');
    const columns = [...new Set(args.optStrings('columns') ?? [])];
    const ctx = args.ctx;
    const breathe = (): Promise<void> | undefined => ctx.checkpoint();
    const out: RegroupableStream = {
      ...streamValue(args.output(() => groupTables(input, { mode, columns }, ctx.budget, undefined, breathe))),
      regroup: (keep) => args.output(() => groupTables(input, { mode, columns }, ctx.budget, keep, breathe)),
    };
    return out;
  },
};
