import type { Table } from '../../../execute/table.js';
import type { TableStream } from '../../../execute/table-stream.js';
import type { Args } from '../../../interpreter/index.js';
import { streamValue, type StreamValue } from '../../../values/value.js';

/**
 * The stream value of a narrow transformation: `fn` turns each input table into zero or more
 * output tables (an array), or one table, or null to drop it. Lazy, re-iterable, and errors are
 * positioned at the call (see `Args.output`).
 */
export function perTable(
  args: Args,
  fn: (table: Table) => Table | null | readonly Table[] | Promise<Table | null | readonly Table[]>,
  input: TableStream = args.stream(),
): StreamValue {
  return streamValue(
    args.output(async function* () {
      for await (const t of input) {
        const out = await fn(t);
        if (out === null) continue;
        if (out instanceof Array) yield* out;
        else yield out as Table;
      }
    }),
  );
}
