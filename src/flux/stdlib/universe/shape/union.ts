import { KeyedTableBuilders } from '../../../execute/keyed-table-builders.js';
import type { Table } from '../../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue } from '../../../values/value.js';

/**
 * `union(tables: [s1, s2, ...])`: every table of every input stream. Tables are passed on as
 * they come; a table whose key an earlier table already had is held and merged with it (the
 * stream contract: one table per key), and the merged tables come last, in key order.
 */
export const union: BuiltinSpec = {
  signature: '(tables: [stream[A]]) => stream[A]',
  call(args) {
    const streams = args.array('tables').elements.map((e, i) => {
      if (e.kind !== 'stream') throw new CallError(`argument tables[${i}]: input to union is not a table object`);
      return e.tables;
    });
    if (streams.length < 2) throw new CallError('union must have at least two streams as input');
    const budget = args.ctx.budget;
    return streamValue(
      args.output(async function* () {
        const all: Table[] = [];
        const counts = new Map<string, number>();
        for (const s of streams) {
          for await (const t of s) {
            all.push(t);
            counts.set(t.key.id, (counts.get(t.key.id) ?? 0) + 1);
          }
        }
        const merged = new KeyedTableBuilders(budget);
        for (const t of all) {
          if (counts.get(t.key.id) === 1) yield t;
          else merged.append(t);
        }
        yield* merged.finish();
      }),
    );
  },
};
