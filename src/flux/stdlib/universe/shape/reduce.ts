import { RowCursor } from '../../../execute/row-cursor.js';
import { TableBuilder } from '../../../execute/table-builder.js';
import { GroupKey } from '../../../execute/group-key.js';
import { compareStrings } from '../../../values/compare-values.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import type { RecordValue, Value } from '../../../values/value.js';
import { perTable } from './per-table.js';

/**
 * `reduce(fn:, identity:)`: folds each table's rows into one record, starting from `identity`.
 * The output row has the key columns (a key column the accumulator sets takes its value, key
 * included) then the accumulator's other fields in label order. Null fields are an error, as in
 * Flux.
 */
export const reduce: BuiltinSpec = {
  signature: '(<-tables: stream[A], fn: (r: A, accumulator: B) => B, identity: B) => stream[C]',
  call(args) {
    const fn = args.fn('fn');
    const identity = args.record('identity');
    const budget = args.ctx.budget;
    return perTable(args, async (t) => {
      let acc: RecordValue = identity;
      const cursor = new RowCursor(t);
      for (let i = 0; i < t.length; i++) {
        cursor.row = i;
        const call = fn.call(new Map<string, Value>([['r', cursor.snapshot()], ['accumulator', acc]]));
        let r: Value;
        try {
          r = call instanceof Promise ? await call : call;
        } catch (e) {
          if (e instanceof CallError) throw new CallError(`failed to evaluate reduce function: ${e.message}`);
          throw e;
        }
        if (r.kind !== 'record') throw new CallError(`reduce function must return a record, got ${r.kind}`);
        acc = r;
      }
      const key = t.key.cols.some((c) => acc.fields.has(c.label))
        ? new GroupKey(
            t.key.cols,
            t.key.cols.map((c, i) => acc.fields.get(c.label) ?? t.key.values[i]!),
          )
        : t.key;
      const b = new TableBuilder(key, budget);
      const row = new Map<string, Value>();
      key.cols.forEach((c, i) => row.set(c.label, key.values[i]!));
      const labels = [...acc.fields.keys()].filter((l) => !key.has(l)).sort(compareStrings);
      for (const l of labels) {
        const v = acc.fields.get(l)!;
        if (v.kind === 'null') throw new CallError(`null values are not supported for "${l}" in the reduce() function`);
        row.set(l, v);
      }
      b.appendRecord({ kind: 'record', fields: row });
      return b.build();
    });
  },
};
