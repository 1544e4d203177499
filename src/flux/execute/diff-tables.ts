import { invalid } from '../../core/errors.js';
import { isValid, type ColMeta, type ColumnData } from './column.js';
import { GroupKey } from './group-key.js';
import { Table } from './table.js';
import { TableBuilder } from './table-builder.js';

/** Floats closer than this are equal, as in Flux's `testing.diff` (its epsilon is fixed). */
export const DIFF_FLOAT_EPSILON = 1e-6;

export interface TablesDiff {
  /** True when every key's tables hold the same rows. */
  readonly equal: boolean;
  /**
   * One table per differing key, sorted by key: a `_diff` string column first (`-` a row only in
   * `want`, `+` a row only in `got`, `` a row in both) then the union of both sides' columns.
   * What `testing.diff` yields to `errorOutput`.
   */
  readonly tables: readonly Table[];
}

/**
 * Compares two sets of tables with Flux's `testing.diff` rules: tables are matched by group key
 * (a key on one side only is compared with an empty table, so an empty table equals a missing
 * one); rows are compared in order; columns are matched by label, in any order; a column missing
 * on one side reads as null; floats within 1e-6 are equal and NaN equals NaN; other types must be
 * exactly equal. A column with different types on the two sides throws `invalid`
 * (`column "x" has different types`).
 *
 * Differing rows are reported as the common prefix and suffix unchanged and the middle as
 * `want` rows (`-`) then `got` rows (`+`) — Flux documents its own layout as unstable.
 */
export function diffTables(want: readonly Table[], got: readonly Table[]): TablesDiff {
  const byKey = new Map<string, { key: GroupKey; want?: Table; got?: Table }>();
  for (const t of want) byKey.set(t.key.id, { key: t.key, want: t });
  for (const t of got) {
    const e = byKey.get(t.key.id);
    if (e === undefined) byKey.set(t.key.id, { key: t.key, got: t });
    else e.got = t;
  }
  const out: Table[] = [];
  for (const { key, want: w, got: g } of byKey.values()) {
    const d = diffPair(key, w ?? Table.empty(key), g ?? Table.empty(key));
    if (d !== null) out.push(d);
  }
  out.sort((a, b) => a.key.compare(b.key));
  return { equal: out.length === 0, tables: out };
}

function diffPair(key: GroupKey, want: Table, got: Table): Table | null {
  const cols: ColMeta[] = [...want.cols];
  for (const c of got.cols) {
    const j = want.colIndex(c.label);
    if (j < 0) cols.push(c);
    else if (want.cols[j]!.type !== c.type) throw invalid(`column "${c.label}" has different types`);
  }
  const wc = cols.map((c) => want.column(c.label));
  const gc = cols.map((c) => got.column(c.label));
  const same = (i: number, k: number): boolean => {
    for (let j = 0; j < cols.length; j++) if (!cellsEqual(wc[j], i, gc[j], k)) return false;
    return true;
  };
  const n = want.length;
  const m = got.length;
  let prefix = 0;
  while (prefix < n && prefix < m && same(prefix, prefix)) prefix++;
  if (prefix === n && prefix === m) return null;
  let suffix = 0;
  while (suffix < n - prefix && suffix < m - prefix && same(n - 1 - suffix, m - 1 - suffix)) suffix++;

  const b = new TableBuilder(key);
  const diffCol = b.addColumn('_diff', 'string');
  const idx = cols.map((c) => b.addColumn(c.label, c.type));
  const emit = (mark: string, t: Table, row: number): void => {
    b.column(diffCol).pushString(mark);
    for (let j = 0; j < cols.length; j++) {
      const src = t.column(cols[j]!.label);
      if (src !== undefined) b.column(idx[j]!).pushFrom(src, [row], 1);
    }
    b.endRow();
  };
  for (let i = 0; i < prefix; i++) emit('', want, i);
  for (let i = prefix; i < n - suffix; i++) emit('-', want, i);
  for (let k = prefix; k < m - suffix; k++) emit('+', got, k);
  for (let i = n - suffix; i < n; i++) emit('', want, i);
  return reorderDiffFirst(b.build());
}

/** The builder put key columns first; `_diff` leads the output like Flux's diff. */
function reorderDiffFirst(t: Table): Table {
  const j = t.colIndex('_diff');
  const order = [j, ...t.cols.map((_, k) => k).filter((k) => k !== j)];
  return new Table(
    t.key,
    order.map((k) => t.cols[k]!),
    order.map((k) => t.columns[k]!),
    t.length,
  );
}

function cellsEqual(a: ColumnData | undefined, i: number, b: ColumnData | undefined, k: number): boolean {
  const va = a !== undefined && isValid(a, i);
  const vb = b !== undefined && isValid(b, k);
  if (!va || !vb) return va === vb;
  const x = a.values[i]!;
  const y = b.values[k]!;
  if (a.type === 'float') {
    const f = x as number;
    const g = y as number;
    if (Number.isNaN(f) || Number.isNaN(g)) return Number.isNaN(f) && Number.isNaN(g);
    return f === g || Math.abs(f - g) <= DIFF_FLOAT_EPSILON;
  }
  return x === y;
}
