import { GroupKey } from '../../execute/group-key.js';
import { TableBuilder } from '../../execute/table-builder.js';
import { streamOf } from '../../execute/table-stream.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { streamValue } from '../../values/value.js';

/** `array.from(rows:)`: one table, empty group key, columns in the order the first record has. */
const from: BuiltinSpec = {
  signature: '(<-rows: [A]) => stream[A]',
  call(args) {
    const rows = args.array('rows').elements;
    const budget = args.ctx.budget;
    return streamValue(
      args.output(() => {
        const b = new TableBuilder(GroupKey.EMPTY, budget);
        for (const r of rows) {
          if (r.kind !== 'record') throw new CallError(`rows must be records, got ${r.kind}`);
          b.appendRecord(r);
        }
        return streamOf([b.build()]);
      }),
    );
  },
};

export const arrayPackage: PackageDef = { path: 'array', builtins: { from } };
