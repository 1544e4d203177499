import type { MemoryBudget } from '../../../execute/memory-budget.js';
import { concatTables } from '../../../execute/concat-tables.js';
import { Table } from '../../../execute/table.js';
import type { TableStream } from '../../../execute/table-stream.js';
import type { Args } from '../../../interpreter/index.js';
import { streamValue, type StreamValue } from '../../../values/value.js';

type TablesOut = Table | null | readonly Table[];

/**
 * The stream value of a narrow transformation: `fn` turns each input table into zero or more
 * output tables (an array), or one table, or null to drop it. Lazy, re-iterable, and errors are
 * positioned at the call (see `Args.output`).
 *
 * Flux keeps one table per group key: an output table whose key has fewer columns than its
 * input's (keep/drop removed a key column) may collide with another, so such tables are held
 * back and merged by key at the end (emitted in key order, Flux's group lookup order). Tables
 * whose key kept its size are passed on at once, unless `mergeWhen(input)` says the outputs of
 * that input may share keys with other inputs' outputs (window over tables already windowed):
 * those are held and merged too.
 * A table left with no columns has no rows.
 */
export function perTable(
  args: Args,
  fn: (table: Table) => TablesOut | Promise<TablesOut>,
  input: TableStream = args.stream(),
  options: { readonly mergeWhen?: (input: Table) => boolean } = {},
): StreamValue {
  const budget = args.ctx.budget;
  return streamValue(
    args.output(async function* () {
      const held = new Map<string, Table[]>();
      for await (const t of input) {
        const r = await fn(t);
        const mustMerge = options.mergeWhen?.(t) === true;
        if (r === null) continue;
        for (const out of r instanceof Array ? (r as readonly Table[]) : [r as Table]) {
          const o = out.cols.length === 0 && out.length > 0 ? Table.empty(out.key, []) : out;
          if (!mustMerge && o.key.size >= t.key.size) {
            yield o;
            continue;
          }
          const list = held.get(o.key.id);
          if (list === undefined) held.set(o.key.id, [o]);
          else list.push(o);
        }
      }
      const merged = [...held.values()].map((list) => mergeTables(list, budget));
      yield* merged.sort((a, b) => a.key.compare(b.key));
    }),
  );
}

/** Tables with equal keys as one table (columns by label, in order of first appearance). */
export function mergeTables(list: readonly Table[], budget?: MemoryBudget): Table {
  if (list.length === 1) return list[0]!;
  return concatTables(list[0]!.key, list, budget);
}
