import { collectTables, streamOf } from '../../execute/table-stream.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { T, isColumnType } from '../../values/mono-type.js';
import { NULL, nullValue, recordValue, streamValue, type Value } from '../../values/value.js';

const identity = (signature: string): BuiltinSpec => ({
  signature,
  call: (args) => args.streamValue('tables'),
});

/**
 * internal/debug: planner fences and helpers Flux's tests use. `pass` and `opaque` are the
 * identity here (there is no planner to hide from), `slurp` reads the whole input before passing
 * it on, `sink` reads and discards everything.
 */
const builtins: Record<string, BuiltinSpec> = {
  pass: identity('(<-tables: stream[A]) => stream[A]'),
  opaque: identity('(<-tables: stream[A]) => stream[B]'),
  slurp: {
    signature: '(<-tables: stream[A]) => stream[A]',
    call(args) {
      const input = args.stream();
      return streamValue(args.output(async function* () {
        yield* streamOf(await collectTables(input));
      }));
    },
  },
  sink: {
    signature: '(<-tables: stream[A]) => stream[A]',
    call(args) {
      const input = args.stream();
      return streamValue(args.output(async function* () {
        for await (const _ of input) {
          // Drain: the point of sink is to run the input and keep nothing.
        }
      }));
    },
  },
  getOption: {
    signature: '(pkg: string, name: string) => A',
    call(args) {
      const v = args.ctx.option(args.string('pkg'), args.string('name'));
      if (v === undefined) throw new CallError(`option ${args.string('pkg')}.${args.string('name')} is not defined`);
      return v;
    },
  },
  // Feature flags: none are set in this engine.
  feature: { signature: '(key: string) => A', call: () => NULL },
  null: {
    signature: '(?type: string) => A',
    call(args): Value {
      const type = args.stringOr('type', 'null');
      if (type === 'null') return NULL;
      if (!isColumnType(type) && type !== 'bytes' && type !== 'regexp') throw new CallError(`unknown type "${type}"`);
      return nullValue(T[type as keyof typeof T]);
    },
  },
};

export const internalDebug: PackageDef = { path: 'internal/debug', builtins, values: {} , source: 'option vectorize = false\n' };

/** testing/expect: `planner` asserts Flux planner internals; a no-op by design here. */
export const testingExpect: PackageDef = {
  path: 'testing/expect',
  builtins: { planner: { signature: '(rules: [string:int]) => {}', call: () => recordValue({}) } },
};

/** planner: options that disable Flux planner rules; accepted and ignored (no such planner). */
export const plannerPackage: PackageDef = {
  path: 'planner',
  source: 'option disableLogicalRules = [""]\noption disablePhysicalRules = [""]\n',
};
