import { formatRfc3339Nano } from '../../../../core/time.js';
import { ColumnBuilder } from '../../../execute/column-builder.js';
import { isValid, nullColumn, type ColMeta, type ColumnData } from '../../../execute/column.js';
import { GroupKey } from '../../../execute/group-key.js';
import type { MemoryBudget } from '../../../execute/memory-budget.js';
import { Table } from '../../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue } from '../../../values/value.js';

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

const NULL_KEY = Symbol('null');

/** A column's raw cell as a Map key: the value itself (number, bigint, string), or NULL_KEY. */
function rawCell(col: ColumnData, row: number): unknown {
  return isValid(col, row) ? col.values[row] : NULL_KEY;
}

/** A row-key for several columns: type-tagged raw values joined (distinct tuples, distinct keys). */
function rawTuple(cols: readonly ColumnData[], row: number): unknown {
  if (cols.length === 1) return rawCell(cols[0]!, row);
  let k = '';
  for (const c of cols) k += isValid(c, row) ? `${c.type[0]}${String(c.values[row])}\u0000` : '\u0001';
  return k;
}

/** One pivoted column: which source cell lands in which output row (later writes win). */
interface PivotColumn {
  readonly meta: ColMeta;
  readonly outRows: number[];
  readonly srcCols: ColumnData[];
  readonly srcRows: number[];
}

/**
 * A group whose tables so far each held one pivoted column, over the same strictly increasing,
 * null-free time (or int) row key: the usual `pivot(rowKey: ["_time"], columnKey: ["_field"])`
 * over one table per field. Whole columns are kept instead of cells copied row by row.
 */
interface ColumnarGroup {
  /** The row key column of the first table: the output rows, in order. */
  readonly rowKey: ColumnData;
  /** The first table's kept columns (group key and row key columns), whole. */
  readonly kept: readonly ColumnData[];
  /** Each pivoted column: the last table's value column for it (later writes win). */
  readonly pivoted: Map<string, { readonly meta: ColMeta; column: ColumnData }>;
}

/** One output table under construction. */
class PivotGroup {
  readonly kept: ColumnBuilder[];
  readonly rows = new Map<unknown, number>();
  readonly pivoted = new Map<string, PivotColumn>();
  /** Pivoted column label per raw column-key value (labels are formatted once per value). */
  readonly labels = new Map<unknown, string>();
  /** Set while every table fitted the columnar form (then `rows`, `kept`, `pivoted` are unused). */
  columnar: ColumnarGroup | undefined;

  constructor(
    readonly key: GroupKey,
    readonly keptCols: readonly ColMeta[],
    budget: MemoryBudget,
  ) {
    this.kept = keptCols.map((c) => new ColumnBuilder(c.type, budget));
  }

  /** Whether nothing has been pivoted into the group yet (columnar or not). */
  get empty(): boolean {
    return this.columnar === undefined && this.rows.size === 0 && this.pivoted.size === 0;
  }

  /** Leaves the columnar form: its rows, kept cells and pivoted cells as the general form's. */
  spill(): void {
    const c = this.columnar;
    if (c === undefined) return;
    this.columnar = undefined;
    const n = c.rowKey.length;
    const times = c.rowKey.values as BigInt64Array;
    for (let i = 0; i < n; i++) this.rows.set(times[i], i);
    c.kept.forEach((col, j) => this.kept[j]!.pushFrom(col));
    const identity = Array.from({ length: n }, (_, i) => i);
    for (const [label, { meta, column }] of c.pivoted) {
      this.pivoted.set(label, { meta, outRows: identity.slice(), srcCols: new Array<ColumnData>(n).fill(column), srcRows: identity.slice() });
    }
  }

  build(): Table {
    const c = this.columnar;
    if (c !== undefined) {
      const cols: ColMeta[] = [...this.keptCols];
      const columns = [...c.kept];
      for (const p of c.pivoted.values()) {
        cols.push(p.meta);
        columns.push(p.column);
      }
      return new Table(this.key, cols, columns, c.rowKey.length);
    }
    const n = this.rows.size;
    const cols: ColMeta[] = [...this.keptCols];
    const columns = this.kept.map((b) => b.finish(n));
    for (const pc of this.pivoted.values()) {
      cols.push(pc.meta);
      columns.push(scatter(pc, n));
    }
    return new Table(this.key, cols, columns, n);
  }
}

/** Whether a row key column is time or int, without nulls, strictly increasing (so distinct). */
function increasingWords(col: ColumnData, n: number): boolean {
  if ((col.type !== 'time' && col.type !== 'int') || col.valid !== null || n === 0) return false;
  const v = col.values;
  for (let i = 1; i < n; i++) if (!(v[i - 1]! < v[i]!)) return false;
  return true;
}

/** Whether two word columns hold the same `n` values. */
function sameWords(a: ColumnData, b: ColumnData, n: number): boolean {
  if (a === b) return true;
  if (a.length !== n || b.length !== n) return false;
  const x = a.values as BigInt64Array;
  const y = b.values as BigInt64Array;
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Builds a pivoted column of `n` rows: null where no source cell landed. */
function scatter(pc: PivotColumn, n: number): ColumnData {
  const type = pc.meta.type;
  const out = nullColumn(type, n) as ColumnData & { values: { [i: number]: unknown }; valid: Uint8Array };
  const valid = out.valid;
  for (let k = 0; k < pc.outRows.length; k++) {
    const r = pc.outRows[k]!;
    const src = pc.srcCols[k]!;
    const i = pc.srcRows[k]!;
    if (isValid(src, i)) {
      out.values[r] = src.values[i];
      valid[r >>> 3]! |= 1 << (r & 7);
    } else {
      valid[r >>> 3]! &= ~(1 << (r & 7));
    }
  }
  return out;
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
        const p = new Pivot(rowKey, columnKey, valueColumn, budget);
        for await (const t of input) p.add(t);
        yield* p.finish();
      }),
    );
  },
};

/**
 * A pivot's state: tables go in with `add`, the output tables come out of `finish` (in key
 * order). `columnar: false` turns off the whole-column form (tests compare the two).
 */
export class Pivot {
  readonly #groups = new Map<string, PivotGroup>();

  constructor(
    readonly rowKey: readonly string[],
    readonly columnKey: readonly string[],
    readonly valueColumn: string,
    readonly budget: MemoryBudget,
    readonly columnar = true,
  ) {}

  add(t: Table): void {
    pivotInto(this.#groups, t, this.rowKey, this.columnKey, this.valueColumn, this.budget, this.columnar);
  }

  finish(): Table[] {
    return [...this.#groups.values()].map((g) => g.build()).sort((a, b) => a.key.compare(b.key));
  }
}

function pivotInto(
  groups: Map<string, PivotGroup>,
  t: Table,
  rowKey: readonly string[],
  columnKey: readonly string[],
  valueColumn: string,
  budget: MemoryBudget,
  columnar: boolean,
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
  let found = groups.get(key.id);
  if (found === undefined) {
    found = new PivotGroup(key, keptIdx.map((j) => t.cols[j]!), budget);
    groups.set(key.id, found);
  }
  const g = found;
  const valueCol = t.columns[vj]!;
  const valueType = t.cols[vj]!.type;
  const rowCols = rowIdx.map((j) => t.columns[j]!);
  const colCols = colIdx.map((j) => t.columns[j]!);
  // The usual input has one table per field: when the column key is part of the table's group
  // key, every row pivots into the same column, resolved once for the table.
  const constantColumn = columnKey.every((l) => t.key.has(l));
  /** The pivoted column label of row i (formatted once per raw value; checked against kept). */
  const labelOf = (i: number): string => {
    const raw = rawTuple(colCols, i);
    let ck = g.labels.get(raw);
    if (ck === undefined) {
      ck = colCols.map((c) => cellLabel(c, i)).join('_');
      g.labels.set(raw, ck);
    }
    return ck;
  };
  const collision = (ck: string): CallError =>
    new CallError(
      `value "${ck}" appears in a column key column, but a column named "${ck}" already exists; consider renaming "${ck}" to something else before pivoting`,
    );
  const typeClash = (label: string, type: string): CallError =>
    new CallError(`pivot: column "${label}" has values of types ${type} and ${valueType}`);

  // The columnar form: one pivoted column for the whole table, over the rows the group has.
  const n = t.length;
  if (n === 0) return; // no rows, no pivoted column: only the group exists
  if (columnar && constantColumn && rowCols.length === 1 && (g.empty || g.columnar !== undefined)) {
    const rk = rowCols[0]!;
    const c = g.columnar;
    if (c === undefined ? increasingWords(rk, n) : rk.type === c.rowKey.type && rk.valid === null && sameWords(c.rowKey, rk, n)) {
      const ck = labelOf(0);
      if (g.keptCols.some((k) => k.label === ck)) throw collision(ck);
      const target = c ?? { rowKey: rk, kept: keptIdx.map((j) => t.columns[j]!), pivoted: new Map() };
      const prev = target.pivoted.get(ck);
      if (prev !== undefined && prev.meta.type !== valueType) throw typeClash(ck, prev.meta.type);
      if (prev !== undefined) prev.column = valueCol;
      else target.pivoted.set(ck, { meta: { label: ck, type: valueType }, column: valueCol });
      g.columnar = target;
      return;
    }
  }
  g.spill();

  let fixed: PivotColumn | undefined;
  const columnFor = (i: number): PivotColumn => {
    if (fixed !== undefined) return fixed;
    const ck = labelOf(i);
    let pc = g.pivoted.get(ck);
    if (pc === undefined) {
      if (g.keptCols.some((c) => c.label === ck)) throw collision(ck);
      pc = { meta: { label: ck, type: valueType }, outRows: [], srcCols: [], srcRows: [] };
      g.pivoted.set(ck, pc);
    }
    if (constantColumn) fixed = pc;
    return pc;
  };
  for (let i = 0; i < n; i++) {
    const pc = columnFor(i);
    if (pc.meta.type !== valueType) throw typeClash(pc.meta.label, pc.meta.type);
    const rk = rawTuple(rowCols, i);
    let row = g.rows.get(rk);
    if (row === undefined) {
      row = g.rows.size;
      g.rows.set(rk, row);
      keptIdx.forEach((j, k) => g.kept[k]!.pushCell(t.columns[j]!, i));
    }
    pc.outRows.push(row);
    pc.srcCols.push(valueCol);
    pc.srcRows.push(i);
  }
}
