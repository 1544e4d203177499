import { invalid } from '../../core/errors.js';
import type { ColumnData, ColMeta } from './column.js';
import { GroupKey } from './group-key.js';
import type { MemoryBudget } from './memory-budget.js';
import { partitionRows } from './partition-rows.js';
import { accounted } from './take-rows.js';
import { Table } from './table.js';

/**
 * A column computed row by row, compiled against one table. `compute` returns the row's value,
 * or null for a null slot. Its JS type must match `type`: number for float, bigint for
 * int/uint/time/duration (ns), boolean for bool, string for string.
 */
export type ColumnKernel =
  | { readonly type: 'float'; compute(row: number): number | null }
  | { readonly type: 'int' | 'uint' | 'time' | 'duration'; compute(row: number): bigint | null }
  | { readonly type: 'bool'; compute(row: number): boolean | null }
  | { readonly type: 'string'; compute(row: number): string | null };

/** One output column of `mapColumns`: a copy of an input column (`from`), a kernel, or made. */
export type OutputColumn =
  | { readonly label: string; readonly from: string }
  | { readonly label: string; readonly kernel: ColumnKernel }
  | { readonly label: string; readonly column: ColumnData };

/**
 * The fast path of `map()`: the output table is the listed columns, in order. Copied columns
 * share the input's buffers (zero copy), computed columns are filled by one tight loop each, and
 * no record is allocated per row. `map(fn: (r) => ({r with _value: r._value * 2.0}))` compiles to
 * every input column copied plus one float kernel for `_value`.
 *
 * Group key, as Flux's map: input key columns absent from the output leave the key; key columns
 * copied unchanged stay; a key column that is recomputed (or copied from another column) may
 * take per-row values, and then the rows are partitioned by their new key values, so the result
 * may hold several tables (one per distinct key, order of first appearance). Merging tables with
 * equal keys across input tables is the transformation's job (`KeyedTableBuilders`). Computed
 * columns are charged to `budget`.
 */
export function mapColumns(table: Table, outputs: readonly OutputColumn[], budget?: MemoryBudget): Table[] {
  const cols: ColMeta[] = [];
  const columns: ColumnData[] = [];
  const seen = new Set<string>();
  let rekey = false;
  for (const o of outputs) {
    if (seen.has(o.label)) throw invalid(`duplicate output column "${o.label}"`);
    seen.add(o.label);
    if ('from' in o) {
      const j = table.colIndex(o.from);
      if (j < 0) throw invalid(`map: no column "${o.from}" to copy`);
      cols.push({ label: o.label, type: table.cols[j]!.type });
      columns.push(table.columns[j]!);
      if (o.from !== o.label && table.key.has(o.label)) rekey = true;
    } else if ('column' in o) {
      cols.push({ label: o.label, type: o.column.type });
      columns.push(o.column);
      if (table.key.has(o.label)) rekey = true;
    } else {
      cols.push({ label: o.label, type: o.kernel.type });
      columns.push(accounted(runKernel(o.kernel, table.length), budget));
      if (table.key.has(o.label)) rekey = true;
    }
  }
  const keyLabels = table.key.cols.map((c) => c.label).filter((l) => seen.has(l));
  if (!rekey) {
    const keyCols = table.key.cols.filter((c) => seen.has(c.label));
    const key = new GroupKey(
      keyCols,
      keyCols.map((c) => table.key.value(c.label)!),
    );
    return [new Table(key, cols, columns, table.length)];
  }
  return partitionRows(new Table(GroupKey.EMPTY, cols, columns, table.length), keyLabels, budget);
}

/** Evaluates a kernel over rows [0, length) into a new column. */
export function runKernel(kernel: ColumnKernel, length: number): ColumnData {
  let valid: Uint8Array | null = null;
  const markNull = (i: number): void => {
    if (valid === null) valid = new Uint8Array((length + 7) >>> 3).fill(0xff);
    valid[i >>> 3]! &= ~(1 << (i & 7));
  };
  switch (kernel.type) {
    case 'float': {
      const out = new Float64Array(length);
      for (let i = 0; i < length; i++) {
        const v = kernel.compute(i);
        if (v === null) markNull(i);
        else out[i] = v;
      }
      return { type: 'float', length, valid, values: out };
    }
    case 'bool': {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) {
        const v = kernel.compute(i);
        if (v === null) markNull(i);
        else out[i] = v ? 1 : 0;
      }
      return { type: 'bool', length, valid, values: out };
    }
    case 'string': {
      const out = new Array<string>(length);
      for (let i = 0; i < length; i++) {
        const v = kernel.compute(i);
        if (v === null) {
          markNull(i);
          out[i] = '';
        } else out[i] = v;
      }
      return { type: 'string', length, valid, values: out };
    }
    case 'uint': {
      const out = new BigUint64Array(length);
      for (let i = 0; i < length; i++) {
        const v = kernel.compute(i);
        if (v === null) markNull(i);
        else out[i] = v;
      }
      return { type: 'uint', length, valid, values: out };
    }
    default: {
      const out = new BigInt64Array(length);
      for (let i = 0; i < length; i++) {
        const v = kernel.compute(i);
        if (v === null) markNull(i);
        else out[i] = v;
      }
      return { type: kernel.type, length, valid, values: out };
    }
  }
}
