import { formatRfc3339Nano } from '../../../../core/time.js';
import { ColumnBuilder } from '../../../execute/column-builder.js';
import { columnValue, isValid, type ColMeta, type ColumnData } from '../../../execute/column.js';
import { GroupKey } from '../../../execute/group-key.js';
import type { MemoryBudget } from '../../../execute/memory-budget.js';
import { Table } from '../../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue, type Value } from '../../../values/value.js';

/** Go's strconv.FormatFloat(x, 'E', -1, 64): shortest mantissa, `E±dd` exponent. */
function formatFloatE(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const [m, e] = x.toExponential().split('e') as [string, string];
  const exp = Number(e);
  return `${m}E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** A cell as text, the way Flux names pivoted columns (`null` for a null cell). */
export function cellLabel(col: ColumnData, row: number): string {
  if (!isValid(col, row)) return 'null';
  switch (col.type) {
    case 'float':
      return formatFloatE(col.values[row]!);
    case 'bool':
      return col.values[row] === 1 ? 'true' : 'false';
    case 'time':
      return formatRfc3339Nano(col.values[row]!);
    case 'string':
      return col.values[row]!;
    default:
      return String(col.values[row]);
  }
}

/** One output table under construction. */
class PivotGroup {
  readonly kept: ColumnBuilder[];
  readonly rows = new Map<string, number>();
  readonly pivoted = new Map<string, { meta: ColMeta; cells: Map<number, Value> }>();

  constructor(
    readonly key: GroupKey,
    readonly keptCols: readonly ColMeta[],
    budget: MemoryBudget,
  ) {
    this.kept = keptCols.map((c) => new ColumnBuilder(c.type, budget));
  }

  build(): Table {
    const n = this.rows.size;
    const cols: ColMeta[] = [...this.keptCols];
    const columns = this.kept.map((b) => b.finish(n));
    for (const { meta, cells } of this.pivoted.values()) {
      const b = new ColumnBuilder(meta.type, undefined, n);
      for (let i = 0; i < n; i++) {
        const v = cells.get(i);
        if (v === undefined) b.pushNull();
        else b.pushValue(v);
      }
      cols.push(meta);
      columns.push(b.finish(n));
    }
    return new Table(this.key, cols, columns, n);
  }
}

/**
 * `pivot(rowKey:, columnKey:, valueColumn:)`: one output row per distinct row key, one column per
 * distinct column-key value (labels joined with `_`), holding `valueColumn` (the last value wins
 * for repeated cells; absent cells are null). Output columns: the input key columns not in the
 * column key, and the row key columns, in table order, then the pivoted columns in order of
 * first appearance. Key: the input key without the column key / value columns; inputs whose new
 * keys are equal merge (emitted in key order when the input ends).
 */
export const pivot: BuiltinSpec = {
  signature: '(<-tables: stream[A], rowKey: [string], columnKey: [string], valueColumn: string) => stream[B]',
  call(args) {
    const rowKey = args.strings('rowKey');
    const columnKey = args.strings('columnKey');
    const valueColumn = args.string('valueColumn');
    for (const c of rowKey) if (columnKey.includes(c)) throw new CallError(`column name found in both rowKey and colKey: ${c}`);
    const input = args.stream();
    const budget = args.ctx.budget;
    return streamValue(
      args.output(async function* () {
        const groups = new Map<string, PivotGroup>();
        for await (const t of input) pivotInto(groups, t, rowKey, columnKey, valueColumn, budget);
        const out = [...groups.values()].map((g) => g.build());
        yield* out.sort((a, b) => a.key.compare(b.key));
      }),
    );
  },
};

function pivotInto(
  groups: Map<string, PivotGroup>,
  t: Table,
  rowKey: readonly string[],
  columnKey: readonly string[],
  valueColumn: string,
  budget: MemoryBudget,
): void {
  const rowIdx = rowKey.map((l) => {
    const j = t.colIndex(l);
    if (j < 0) throw new CallError(`specified row key column does not exist in table: ${l}`);
    return j;
  });
  const vj = t.colIndex(valueColumn);
  if (vj < 0) throw new CallError(`specified value column does not exist in table: ${valueColumn}`);
  const colIdx = columnKey.map((l) => {
    const j = t.colIndex(l);
    if (j < 0) throw new CallError(`specified column does not exist in table: ${l}`);
    return j;
  });
  const keptIdx: number[] = [];
  t.cols.forEach((c, j) => {
    if (columnKey.includes(c.label) || c.label === valueColumn) return;
    if (t.key.has(c.label) || rowKey.includes(c.label)) keptIdx.push(j);
  });
  const keyCols = keptIdx.filter((j) => t.key.has(t.cols[j]!.label)).map((j) => t.cols[j]!);
  const key = new GroupKey(
    keyCols,
    keyCols.map((c) => t.key.value(c.label)!),
  );
  let g = groups.get(key.id);
  if (g === undefined) {
    g = new PivotGroup(key, keptIdx.map((j) => t.cols[j]!), budget);
    groups.set(key.id, g);
  }
  const valueCol = t.columns[vj]!;
  const valueType = t.cols[vj]!.type;
  for (let i = 0; i < t.length; i++) {
    let rk = '';
    for (const j of rowIdx) rk += `${cellLabel(t.columns[j]!, i)}\u0000`;
    let ck = '';
    colIdx.forEach((j, n) => (ck += (n > 0 ? '_' : '') + cellLabel(t.columns[j]!, i)));
    let pc = g.pivoted.get(ck);
    if (pc === undefined) {
      if (g.keptCols.some((c) => c.label === ck)) {
        throw new CallError(
          `value "${ck}" appears in a column key column, but a column named "${ck}" already exists; consider renaming "${ck}" to something else before pivoting`,
        );
      }
      pc = { meta: { label: ck, type: valueType }, cells: new Map() };
      g.pivoted.set(ck, pc);
    }
    let row = g.rows.get(rk);
    if (row === undefined) {
      row = g.rows.size;
      g.rows.set(rk, row);
      keptIdx.forEach((j, n) => g.kept[n]!.pushCell(t.columns[j]!, i));
    }
    pc.cells.set(row, columnValue(valueCol, i));
  }
}
