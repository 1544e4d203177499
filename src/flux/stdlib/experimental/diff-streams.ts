import { columnValue } from '../../execute/column.js';
import type { ColMeta } from '../../execute/column.js';
import { Table } from '../../execute/table.js';
import { TableBuilder } from '../../execute/table-builder.js';
import { equalValues } from '../../values/compare-values.js';
import { nullValue, stringValue, type Value } from '../../values/value.js';
import { columnMonoType } from '../../values/mono-type.js';

/** Above this many cells the LCS table is not built: the tables are reported as all removed/added. */
const MAX_LCS_CELLS = 4_000_000;

/**
 * experimental.diff's algorithm: tables are paired by group key (a missing table counts as
 * empty); a pair whose rows are equal produces nothing; otherwise one table with a leading
 * `_diff` column holds a line diff of the rows (longest common subsequence): `""` for rows of
 * both, `-` for rows only in `want`, `+` for rows only in `got`, removals before additions
 * within each changed run.
 */
export function diffStreams(want: readonly Table[], got: readonly Table[]): Table[] {
  const gotByKey = new Map(got.map((t) => [t.key.id, t]));
  const out: Table[] = [];
  const seen = new Set<string>();
  for (const w of want) {
    seen.add(w.key.id);
    const d = diffPair(w, gotByKey.get(w.key.id));
    if (d !== undefined) out.push(d);
  }
  for (const g of got) {
    if (seen.has(g.key.id)) continue;
    const d = diffPair(undefined, g);
    if (d !== undefined) out.push(d);
  }
  return out;
}

function diffPair(want: Table | undefined, got: Table | undefined): Table | undefined {
  const cols: ColMeta[] = [];
  for (const t of [want, got]) {
    for (const c of t?.cols ?? []) if (!cols.some((x) => x.label === c.label)) cols.push(c);
  }
  const rowsOf = (t: Table | undefined): Value[][] =>
    Array.from({ length: t?.length ?? 0 }, (_, i) =>
      cols.map((c) => {
        const j = t!.colIndex(c.label);
        return j < 0 || t!.cols[j]!.type !== c.type ? nullValue(columnMonoType(c.type)) : columnValue(t!.columns[j]!, i);
      }),
    );
  const a = rowsOf(want);
  const b = rowsOf(got);
  const same = (x: Value[], y: Value[]): boolean => x.every((v, k) => equalValues(v, y[k]!));
  if (a.length === b.length && a.every((r, i) => same(r, b[i]!))) return undefined;
  const key = (want ?? got)!.key;
  const builder = new TableBuilder(key);
  builder.addColumn('_diff', 'string');
  for (const c of cols) builder.addColumn(c.label, c.type);
  const emit = (mark: string, row: Value[]): void => builder.appendRow([stringValue(mark), ...row]);
  for (const [mark, row] of lineDiff(a, b, same)) emit(mark, row);
  return builder.build();
}

/** The rows of a and b aligned by their longest common subsequence. */
function lineDiff<R>(a: R[], b: R[], same: (x: R, y: R) => boolean): [string, R][] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_LCS_CELLS) return [...a.map((r) => ['-', r] as [string, R]), ...b.map((r) => ['+', r] as [string, R])];
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = same(a[i]!, b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: [string, R][] = [];
  let i = 0;
  let j = 0;
  const removed: R[] = [];
  const added: R[] = [];
  const flush = (): void => {
    for (const r of removed) out.push(['-', r]);
    for (const r of added) out.push(['+', r]);
    removed.length = 0;
    added.length = 0;
  };
  while (i < n || j < m) {
    if (i < n && j < m && same(a[i]!, b[j]!)) {
      flush();
      out.push(['', a[i]!]);
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      removed.push(a[i++]!);
    } else {
      added.push(b[j++]!);
    }
  }
  flush();
  return out;
}
