import type { Table } from '../../../execute/table.js';
import type { Args } from '../../../interpreter/index.js';
import { streamValue, type StreamValue } from '../../../values/value.js';

/** The output stream of a transformation that turns each input table into one table. */
export function perTableOutput(args: Args, fn: (t: Table) => Table | Promise<Table>): StreamValue {
  const input = args.stream();
  return streamValue(
    args.output(async function* () {
      for await (const t of input) yield await fn(t);
    }),
  );
}
