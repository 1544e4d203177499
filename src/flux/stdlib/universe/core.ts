import { FALSE, TRUE, timeValue, type Value } from '../../values/value.js';
import type { BuiltinSpec, PackageDef } from '../../interpreter/index.js';

/** `now()` and `yield()`: the execution's clock and its results. */
const builtins: Record<string, BuiltinSpec> = {
  // The default of `option now`: the query's time, fixed for the whole execution.
  now: {
    signature: '() => time',
    call: (args) => timeValue(args.ctx.queryNowNs),
  },
  yield: {
    signature: '(<-tables: stream[A], ?name: string) => stream[A]',
    call(args): Value {
      const stream = args.streamValue('tables');
      const name = args.stringOr('name', '_result');
      args.ctx.yielded.add(stream);
      args.ctx.results.push({ name, stream });
      return stream;
    },
  },
};

export const universeCore: PackageDef = { path: 'universe', builtins, values: { true: TRUE, false: FALSE } };
