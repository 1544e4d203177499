import { collectTables, streamOf } from '../../execute/table-stream.js';
import { diffTables } from '../../execute/diff-tables.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { streamValue } from '../../values/value.js';
import { formatTable } from '../../execute/format-table.js';

/**
 * The testing package. `diff` yields the differing rows to the result `errorOutput`, which is how
 * `flux test` (and `sluice flux test`) decide that a testcase failed.
 */
const diff: BuiltinSpec = {
  signature:
    '(<-got: stream[A], want: stream[A], ?verbose: bool, ?epsilon: float, ?nansEqual: bool) => stream[{A with _diff: string}]',
  call(args) {
    const got = args.stream('got');
    const want = args.stream('want');
    const out = streamValue(
      args.output(async function* () {
        const [w, g] = await Promise.all([collectTables(want), collectTables(got)]);
        yield* streamOf(diffTables(w, g).tables);
      }),
    );
    args.ctx.yielded.add(out);
    args.ctx.results.push({ name: 'errorOutput', stream: out });
    return out;
  },
};

const assertEquals: BuiltinSpec = {
  signature: '(name: string, <-got: stream[A], want: stream[A]) => stream[A]',
  call(args) {
    const name = args.string('name');
    const got = args.stream('got');
    const want = args.stream('want');
    return streamValue(
      args.output(async function* () {
        const [w, g] = await Promise.all([collectTables(want), collectTables(got)]);
        const d = diffTables(w, g);
        if (!d.equal) {
          throw new CallError(`test ${name}: unequal streams:\n${d.tables.map((t) => formatTable(t)).join('\n')}`);
        }
        yield* streamOf(g);
      }),
    );
  },
};

const assertEmpty: BuiltinSpec = {
  signature: '(<-tables: stream[A]) => stream[A]',
  call(args) {
    const input = args.stream();
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          if (t.length > 0) throw new CallError('found non-empty table');
          yield t;
        }
      }),
    );
  },
};

// Written in Flux, in terms of the builtins above (our own definitions).
const source = `
import "array"
import "experimental"

option tags = []
option load = (tables=<-) => tables

assertEqualValues = (got, want) => diff(got: array.from(rows: [{v: got}]), want: array.from(rows: [{v: want}]))

shouldError = (fn, want) => {
    caught = experimental.catch(fn: fn)
    return if exists caught.msg then
        array.from(rows: [{v: caught.msg}]) |> filter(fn: (r) => r.v !~ want) |> yield(name: "errorOutput")
    else
        die(msg: "shouldError expected an error")
}
`;

export const testingPackage: PackageDef = { path: 'testing', builtins: { diff, assertEquals, assertEmpty }, source };
