import type { Table } from '../../../execute/table.js';
import type { Args } from '../../../interpreter/index.js';
import { streamValue, type Value } from '../../../values/value.js';

/**
 * Runs `fn` on every table of the `tables` argument, lazily and re-iterably; errors thrown by
 * `fn` are positioned at the call (see Args.output).
 */
export function perTable(args: Args, fn: (t: Table) => Table): Value {
  const input = args.stream();
  return streamValue(
    args.output(async function* () {
      for await (const t of input) yield fn(t);
    }),
  );
}
