import { RowCursor } from '../../../execute/row-cursor.js';
import { TableBuilder } from '../../../execute/table-builder.js';
import { GroupKey } from '../../../execute/group-key.js';
import { compareStrings } from '../../../values/compare-values.js';
import { compileFold, type FoldState } from '../../../execute/row-expr.js';
import { CallError, reduceFunctionIR, type BuiltinSpec } from '../../../interpreter/index.js';
import { boolValue, floatValue, intValue, nullValue, stringValue, timeValue, uintValue, type RecordValue, type Value } from '../../../values/value.js';
import { columnMonoType, type ColumnType } from '../../../values/mono-type.js';
import { perTable } from './per-table.js';

/**
 * `reduce(fn:, identity:)`: folds each table's rows into one record, starting from `identity`.
 * The output row has the key columns (a key column the accumulator sets takes its value, key
 * included) then the accumulator's other fields in label order. Null fields are an error, as in
 * Flux.
 */
export const reduce: BuiltinSpec = {
  signature: '(<-tables: stream[A], fn: (r: A, accumulator: B) => B, identity: B) => stream[C]',
  call(args) {
    const fn = args.fn('fn');
    const identity = args.record('identity');
    const budget = args.ctx.budget;
    const ir = reduceFunctionIR(fn);
    const initial = ir === undefined ? undefined : foldState(identity);
    return perTable(args, async (t) => {
      let acc: RecordValue = identity;
      // Fast path: every field of the returned record compiled against this table's columns and
      // the accumulator's fields, of the identity's types. No record per row.
      let folded = false;
      if (ir !== undefined && initial !== undefined && (ir.extendsState || ir.fields.length === initial.labels.length)) {
        const state = { ...initial, values: [...initial.values] };
        const step = compileFold(t, state, ir.fields);
        if (step !== undefined) {
          for (let i = 0; i < t.length; i++) step(i);
          acc = stateRecord(state);
          folded = true;
        }
      }
      if (!folded) {
        const cursor = new RowCursor(t);
        for (let i = 0; i < t.length; i++) {
          cursor.row = i;
          const call = fn.call(new Map<string, Value>([['r', cursor.snapshot()], ['accumulator', acc]]));
          let r: Value;
          try {
            r = call instanceof Promise ? await call : call;
          } catch (e) {
            if (e instanceof CallError) throw new CallError(`failed to evaluate reduce function: ${e.message}`);
            throw e;
          }
          if (r.kind !== 'record') throw new CallError(`reduce function must return a record, got ${r.kind}`);
          acc = r;
        }
      }
      const key = t.key.cols.some((c) => acc.fields.has(c.label))
        ? new GroupKey(
            t.key.cols,
            t.key.cols.map((c, i) => acc.fields.get(c.label) ?? t.key.values[i]!),
          )
        : t.key;
      const b = new TableBuilder(key, budget);
      const row = new Map<string, Value>();
      key.cols.forEach((c, i) => row.set(c.label, key.values[i]!));
      const labels = [...acc.fields.keys()].filter((l) => !key.has(l)).sort(compareStrings);
      for (const l of labels) {
        const v = acc.fields.get(l)!;
        if (v.kind === 'null') throw new CallError(`null values are not supported for "${l}" in the reduce() function`);
        row.set(l, v);
      }
      b.appendRecord({ kind: 'record', fields: row });
      return b.build();
    });
  },
};

/** The identity as a fold state, when every field is a basic value of a column type. */
function foldState(identity: RecordValue): FoldState | undefined {
  const labels: string[] = [];
  const types: ColumnType[] = [];
  const values: (number | bigint | string | boolean)[] = [];
  for (const [label, v] of identity.fields) {
    switch (v.kind) {
      case 'float':
      case 'int':
      case 'uint':
      case 'string':
      case 'bool':
      case 'time':
        labels.push(label);
        types.push(v.kind);
        values.push(v.value);
        break;
      default:
        return undefined;
    }
  }
  return { labels, types, values };
}

/** The accumulator a fold ended with: the identity's fields with the state's values. */
function stateRecord(state: FoldState): RecordValue {
  const fields = new Map<string, Value>();
  state.labels.forEach((label, k) => {
    const v = state.values[k]!;
    if (v === null) {
      fields.set(label, nullValue(columnMonoType(state.types[k]!)));
      return;
    }
    switch (state.types[k]) {
      case 'float':
        return fields.set(label, floatValue(v as number));
      case 'int':
        return fields.set(label, intValue(v as bigint));
      case 'uint':
        return fields.set(label, uintValue(v as bigint));
      case 'string':
        return fields.set(label, stringValue(v as string));
      case 'bool':
        return fields.set(label, boolValue(v as boolean));
      default:
        return fields.set(label, timeValue(v as bigint));
    }
  });
  return { kind: 'record', fields };
}
