import { TableBuilder } from '../../execute/table-builder.js';
import type { BuiltinSpec, PackageDef } from '../../interpreter/index.js';
import { columnMonoType } from '../../values/mono-type.js';
import { nullValue, recordValue, streamValue } from '../../values/value.js';

/**
 * `experimental/table.fill()`: an empty table becomes one row holding its group key values
 * (other columns null), so that later aggregates see the table; other tables pass unchanged.
 */
const fill: BuiltinSpec = {
  signature: '(<-tables: stream[A]) => stream[A]',
  call(args) {
    const input = args.stream('tables');
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          if (t.length > 0) {
            yield t;
            continue;
          }
          const b = new TableBuilder(t.key, args.ctx.budget);
          for (const c of t.cols) b.addColumn(c.label, c.type);
          b.appendRow(t.cols.map((c) => t.key.value(c.label) ?? nullValue(columnMonoType(c.type))));
          yield b.build();
        }
      }),
    );
  },
};

export const experimentalTable: PackageDef = { path: 'experimental/table', builtins: { fill } };

/**
 * `experimental/record`: `get(r, key, default)` reads a field by a dynamic name (the default when
 * absent); `any` is an empty record usable as a default of any record type.
 */
const get: BuiltinSpec = {
  signature: '(r: A, key: string, default: B) => B',
  call(args) {
    const r = args.record('r');
    return r.fields.get(args.string('key')) ?? args.value('default');
  },
};

export const experimentalRecord: PackageDef = { path: 'experimental/record', builtins: { get }, values: { any: recordValue({}) } };
