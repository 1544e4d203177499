import { FALSE, TRUE, timeValue, type Value } from '../../values/value.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';

/** `now()` and `yield()`: the execution's clock and its results. */
const builtins: Record<string, BuiltinSpec> = {
  // The default of `option now`: the query's time, fixed for the whole execution.
  now: {
    signature: '() => time',
    call: (args) => timeValue(args.ctx.queryNowNs),
  },
  die: {
    signature: '(msg: string) => A',
    call(args): Value {
      throw new CallError(args.string('msg'));
    },
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
