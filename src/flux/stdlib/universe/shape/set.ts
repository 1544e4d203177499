import type { ColMeta, ColumnData } from '../../../execute/column.js';
import { GroupKey } from '../../../execute/group-key.js';
import { KeyedTableBuilders } from '../../../execute/keyed-table-builders.js';
import { Table } from '../../../execute/table.js';
import type { BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue, stringValue } from '../../../values/value.js';

/**
 * `set(key:, value:)`: column `key` holds the string `value` in every row (added at the end when
 * missing). When `key` is a group key column the key value changes too, and tables whose keys
 * become equal are merged (emitted, in key order, once the input ends).
 */
export const set: BuiltinSpec = {
  signature: '(<-tables: stream[A], key: string, value: string) => stream[A]',
  call(args) {
    const label = args.string('key');
    const value = args.string('value');
    const input = args.stream();
    const budget = args.ctx.budget;
    return streamValue(
      args.output(async function* () {
        const merged = new KeyedTableBuilders(budget);
        for await (const t of input) {
          const out = setColumn(t, label, value);
          if (t.key.has(label)) merged.append(out);
          else yield out;
        }
        yield* merged.finish();
      }),
    );
  },
};

function setColumn(t: Table, label: string, value: string): Table {
  const col: ColumnData = { type: 'string', length: t.length, valid: null, values: new Array<string>(t.length).fill(value) };
  const meta: ColMeta = { label, type: 'string' };
  const cols = [...t.cols];
  const columns = [...t.columns];
  const j = t.colIndex(label);
  if (j < 0) {
    cols.push(meta);
    columns.push(col);
  } else {
    cols[j] = meta;
    columns[j] = col;
  }
  let key = t.key;
  const k = key.indexOf(label);
  if (k >= 0) {
    key = new GroupKey(
      key.cols.map((c, i) => (i === k ? meta : c)),
      key.values.map((v, i) => (i === k ? stringValue(value) : v)),
    );
  }
  return new Table(key, cols, columns, t.length);
}
