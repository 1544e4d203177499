import type { ColMeta, ColumnData } from '../../../execute/column.js';
import { GroupKey } from '../../../execute/group-key.js';
import { renameColumns, selectColumns } from '../../../execute/project-columns.js';
import { Table } from '../../../execute/table.js';
import { CallError, type Args, type BuiltinSpec } from '../../../interpreter/index.js';
import { stringValue, type FunctionValue, type Value } from '../../../values/value.js';
import { perTable } from './per-table.js';

/** Calls a `(column: string) => T` schema function synchronously (they do no I/O). */
async function callColumnFn(fn: FunctionValue, label: string): Promise<Value> {
  const name = fn.type.parameters[0]?.name ?? 'column';
  return await fn.call(new Map([[name, stringValue(label)]]));
}

/** A per-label memo of a column predicate (one call per distinct label, not per table). */
function labelPredicate(args: Args, listName: string, fnName: string): (label: string) => Promise<boolean> {
  const list = args.optStrings(listName);
  const fn = args.optFn(fnName);
  const what = args.fnName;
  if (list !== undefined && fn !== undefined) throw new CallError(`${what} error: both column list and predicate provided`);
  if (list === undefined && fn === undefined) {
    throw new CallError(`${what} error: neither column list nor predicate function provided`);
  }
  if (list !== undefined) {
    const set = new Set(list);
    return (l) => Promise.resolve(set.has(l));
  }
  if (fn === undefined) return () => Promise.resolve(false);
  const memo = new Map<string, boolean>();
  return async (l) => {
    let r = memo.get(l);
    if (r === undefined) {
      const v = await callColumnFn(fn, l);
      if (v.kind !== 'bool') throw new CallError(`column predicate must return bool, got ${v.kind}`);
      memo.set(l, (r = v.value));
    }
    return r;
  };
}

async function selectBy(t: Table, pred: (l: string) => Promise<boolean>, want: boolean): Promise<Table> {
  const keep = new Set<string>();
  for (const c of t.cols) if ((await pred(c.label)) === want) keep.add(c.label);
  return selectColumns(t, (l) => keep.has(l));
}

/** `keep(columns:|fn:)`: only the matching columns, in table order; others leave the key. */
export const keep: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?columns: [string], ?fn: (column: string) => bool) => stream[B]',
  call(args) {
    const pred = labelPredicate(args, 'columns', 'fn');
    return perTable(args, (t) => selectBy(t, pred, true));
  },
};

/** `drop(columns:|fn:)`: every column but the matching ones (missing columns are ignored). */
export const drop: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?fn: (column: string) => bool, ?columns: [string]) => stream[B]',
  call(args) {
    const pred = labelPredicate(args, 'columns', 'fn');
    return perTable(args, (t) => selectBy(t, pred, false));
  },
};

/**
 * `rename(columns: {old: "new"}|fn:)`: renames columns (and key columns). With `columns`, every
 * listed column must exist (`rename error: column "x" doesn't exist`).
 */
export const rename: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?fn: (column: string) => string, ?columns: B) => stream[C]',
  call(args) {
    const fn = args.optFn('fn');
    const cols = args.get('columns');
    let mapping: Map<string, string> | undefined;
    const hasCols = cols !== undefined && cols.kind !== 'null';
    if (hasCols && fn !== undefined) throw new CallError('rename error: both column list and map function provided');
    if (cols !== undefined && cols.kind !== 'null') {
      if (cols.kind !== 'record') throw new CallError('argument columns: expected a record');
      mapping = new Map();
      for (const [k, v] of cols.fields) {
        if (v.kind !== 'string') throw new CallError(`rename error: columns object contains non-string value of type ${v.kind}`);
        mapping.set(k, v.value);
      }
    } else if (fn === undefined) {
      throw new CallError('rename error: neither column list nor map function provided');
    }
    const memo = new Map<string, string>();
    return perTable(args, async (t) => {
      if (mapping !== undefined) {
        for (const k of mapping.keys()) {
          if (t.colIndex(k) < 0) throw new CallError(`rename error: column "${k}" doesn't exist`);
        }
        return renameColumns(t, (l) => mapping.get(l) ?? l);
      }
      for (const c of t.cols) {
        if (memo.has(c.label)) continue;
        const v = await callColumnFn(fn!, c.label);
        if (v.kind !== 'string') throw new CallError(`rename function must return a string, got ${v.kind}`);
        memo.set(c.label, v.value);
      }
      return renameColumns(t, (l) => memo.get(l)!);
    });
  },
};

/**
 * `duplicate(column:, as:)`: a copy of `column` named `as`, appended (or replacing an existing
 * `as` in place). If `as` was a key column it takes the source's key value when the source is
 * in the key, else it leaves the key.
 */
export const duplicate: BuiltinSpec = {
  signature: '(<-tables: stream[A], column: string, as: string) => stream[B]',
  call(args) {
    const column = args.string('column');
    const as = args.string('as');
    return perTable(args, (t) => {
      const from = t.colIndex(column);
      if (from < 0) throw new CallError(`duplicate error: column "${column}" doesn't exist`);
      const cols: ColMeta[] = [...t.cols];
      const columns: ColumnData[] = [...t.columns];
      const dup = { label: as, type: t.cols[from]!.type };
      const at = t.colIndex(as);
      if (at < 0) {
        cols.push(dup);
        columns.push(t.columns[from]!);
      } else {
        cols[at] = dup;
        columns[at] = t.columns[from]!;
      }
      let key = t.key;
      const asKey = key.indexOf(as);
      if (asKey >= 0) {
        const fromKey = key.indexOf(column);
        if (fromKey >= 0) {
          const kc = [...key.cols];
          const kv = [...key.values];
          kc[asKey] = dup;
          kv[asKey] = key.values[fromKey]!;
          key = new GroupKey(kc, kv);
        } else {
          key = new GroupKey(
            key.cols.filter((_, i) => i !== asKey),
            key.values.filter((_, i) => i !== asKey),
          );
        }
      }
      return new Table(key, cols, columns, t.length);
    });
  },
};
