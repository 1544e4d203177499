import { ColumnBuilder } from '../../../execute/column-builder.js';
import { nullColumn, type ColMeta, type ColumnData } from '../../../execute/column.js';
import type { GroupKey } from '../../../execute/group-key.js';
import { regroupOf } from '../../../execute/group-tables.js';
import type { MemoryBudget } from '../../../execute/memory-budget.js';
import { Table } from '../../../execute/table.js';
import { accounted } from '../../../execute/take-rows.js';
import { CallError, type Args, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue, type Value } from '../../../values/value.js';
import type { AggregateKernel } from './aggregate-kernels.js';

/**
 * The input column an aggregate reads, checked with Flux's errors: it must exist, must not be
 * a key column, and its type must be one the kernel accepts.
 */
export function aggregateColumn(t: Table, column: string, kernel: AggregateKernel): { j: number; outType: ColMeta['type'] } {
  const j = t.colIndex(column);
  if (j < 0) throw new CallError(`column "${column}" does not exist`);
  if (t.key.has(column)) throw new CallError('cannot aggregate columns that are part of the group key');
  const inType = t.cols[j]!.type;
  const outType = kernel.outType(inType);
  if (outType === undefined) throw new CallError(`unsupported aggregate column type ${inType}`);
  return { j, outType };
}

/** A column of `n` copies of a key value (filled typed arrays: no per-row work). */
export function constantColumn(c: ColMeta, v: Value, n: number, budget?: MemoryBudget): ColumnData {
  if (v.kind === 'null') return accounted(nullColumn(c.type, n), budget);
  const col = constantOf(c.type, v, n);
  if (col !== undefined) return accounted(col, budget);
  const b = new ColumnBuilder(c.type, budget, Math.max(n, 1));
  for (let i = 0; i < n; i++) b.pushValue(v);
  return b.finish();
}

function constantOf(type: ColMeta['type'], v: Value, n: number): ColumnData | undefined {
  if (type === 'time' && v.kind === 'time') return { type, length: n, valid: null, values: new BigInt64Array(n).fill(v.value) };
  if (type === 'int' && v.kind === 'int') return { type, length: n, valid: null, values: new BigInt64Array(n).fill(v.value) };
  if (type === 'uint' && v.kind === 'uint') return { type, length: n, valid: null, values: new BigUint64Array(n).fill(v.value) };
  if (type === 'float' && v.kind === 'float') return { type, length: n, valid: null, values: new Float64Array(n).fill(v.value) };
  if (type === 'string' && v.kind === 'string') return { type, length: n, valid: null, values: new Array<string>(n).fill(v.value) };
  if (type === 'bool' && v.kind === 'bool') return { type, length: n, valid: null, values: new Uint8Array(n).fill(v.value ? 1 : 0) };
  return undefined;
}

/**
 * One aggregate row per table: the key columns (key order, key values) then the aggregated
 * column under its own label. An empty table still yields its row (count 0, others null), as
 * Flux's aggregates do.
 */
export function aggregateTable(t: Table, column: string, kernel: AggregateKernel, budget?: MemoryBudget): Table {
  const { j, outType } = aggregateColumn(t, column, kernel);
  return aggregateRow(t.key, column, outType, (out) => kernel.reduce(t.columns[j]!, 0, t.length, out), budget);
}

export function aggregateRow(key: GroupKey, column: string, outType: ColMeta['type'], fill: (out: ColumnBuilder) => void, budget?: MemoryBudget): Table {
  const cols: ColMeta[] = [];
  const columns: ColumnData[] = [];
  key.cols.forEach((c, i) => {
    cols.push(c);
    columns.push(constantColumn(c, key.values[i]!, 1, budget));
  });
  const out = new ColumnBuilder(outType, budget, 1);
  fill(out);
  cols.push({ label: column, type: outType });
  columns.push(out.finish(1));
  return new Table(key, cols, columns, 1);
}

/**
 * A builtin `(<-tables, ?column: string) => stream` applying `kernel` per table. `kernelOf`
 * builds the kernel from the call's arguments (stddev's mode, quantile's q).
 */
export function simpleAggregate(signature: string, kernelOf: (args: Args) => AggregateKernel): BuiltinSpec {
  return {
    signature,
    call(args) {
      const kernel = kernelOf(args);
      const column = args.stringOr('column', '_value');
      // After group(), only the new key and `column` are built: the rest would be dropped here.
      const input = regroupOf(args.get('tables'))?.([column]) ?? args.stream();
      const budget = args.ctx.budget;
      return streamValue(
        args.output(async function* () {
          for await (const t of input) yield aggregateTable(t, column, kernel, budget);
        }),
      );
    },
  };
}
