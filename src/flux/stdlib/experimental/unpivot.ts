import { isValid } from '../../execute/column.js';
import { GroupKey } from '../../execute/group-key.js';
import { KeyedTableBuilders } from '../../execute/keyed-table-builders.js';
import { CallError, type BuiltinSpec } from '../../interpreter/index.js';
import { stringValue, streamValue } from '../../values/value.js';

/**
 * `experimental.unpivot(otherColumns: ["_time"])`: every column that is neither in the group
 * key nor in `otherColumns` becomes `_field`/`_value` pairs, one output row per non-null cell.
 * `_field` joins the group key, unless `otherColumns` names it (then fields of one input table
 * share an output table, field by field). Output columns: key columns, the other columns,
 * `_field`, `_value`.
 */
export const unpivot: BuiltinSpec = {
  signature: '(<-tables: stream[{A with _time: time}], ?otherColumns: [string]) => stream[{B with _field: string, _value: C}]',
  call(args) {
    const otherColumns = args.optStrings('otherColumns') ?? ['_time'];
    const fieldInKey = !otherColumns.includes('_field');
    const input = args.stream('tables');
    const budget = args.ctx.budget;
    return streamValue(
      args.output(async function* () {
        const builders = new KeyedTableBuilders(budget);
        for await (const t of input) {
          if (t.colIndex('_field') >= 0 || t.colIndex('_value') >= 0) {
            throw new CallError(`unpivot can't have "_field" or "_value" as an input column`);
          }
          const others = otherColumns.filter((c) => c !== '_field');
          const otherIdx = others.map((c) => {
            const j = t.colIndex(c);
            if (j < 0) throw new CallError(`unpivot could not find column named "${c}"`);
            return j;
          });
          const fieldIdx = t.cols.map((_, j) => j).filter((j) => !t.key.has(t.cols[j]!.label) && !otherIdx.includes(j));
          for (const fj of fieldIdx) {
            const label = t.cols[fj]!.label;
            const col = t.columns[fj]!;
            const key = fieldInKey
              ? GroupKey.of([
                  ...t.key.cols.map((c, i) => [c, t.key.values[i]!] as const),
                  [{ label: '_field', type: 'string' }, stringValue(label)] as const,
                ])
              : t.key;
            const b = builders.builder(key);
            const keyIdx = t.key.cols.map((c) => b.addColumn(c.label, c.type));
            const otherOut = otherIdx.map((j) => b.addColumn(t.cols[j]!.label, t.cols[j]!.type));
            const fieldOut = b.addColumn('_field', 'string');
            const valueOut = b.addColumn('_value', col.type);
            for (let i = 0; i < t.length; i++) {
              if (!isValid(col, i)) continue;
              keyIdx.forEach((bj, k) => b.column(bj).pushValue(t.key.values[k]!));
              otherOut.forEach((bj, k) => b.column(bj).pushCell(t.columns[otherIdx[k]!]!, i));
              b.column(fieldOut).pushString(label);
              b.column(valueOut).pushCell(col, i);
              b.endRow();
            }
          }
        }
        yield* builders.finish();
      }),
    );
  },
};
