import { ColumnBuilder } from '../../../execute/column-builder.js';
import { isValid, type ColMeta, type ColumnData } from '../../../execute/column.js';
import { GroupKey } from '../../../execute/group-key.js';
import type { MemoryBudget } from '../../../execute/memory-budget.js';
import { rowComparator, sortTableSteps } from '../../../execute/sort-table.js';
import { runStepsBreathing, type Breather } from '../../../execute/steps.js';
import { Table } from '../../../execute/table.js';
import { collectTables, type TableStream } from '../../../execute/table-stream.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { compareStrings, equalValues } from '../../../values/compare-values.js';
import { streamValue, type Value } from '../../../values/value.js';
import { mergeTables } from './per-table.js';

interface Side {
  readonly name: string;
  readonly tables: Table[];
}

/**
 * The universe `join(tables: {a: s1, b: s2}, on:, method: "inner")`: Flux's sort-merge join of
 * two streams (the side whose name sorts first is the left). Every left table is paired with
 * every right table that agrees on the `on` columns both streams have in their group keys;
 * each pair yields the rows whose `on` values are equal (left rows × right rows, ordered by the
 * `on` columns), and empty results are dropped. Output columns are sorted by label; a column
 * both sides have that is not in `on` becomes `<label>_<side>`. The output key is the union of
 * both keys (renamed the same way). Tables missing an `on` column take no part.
 */
export const join: BuiltinSpec = {
  signature: '(<-tables: A, ?method: string, ?on: [string]) => stream[B]',
  call(args) {
    const rec = args.record('tables');
    const on = args.optStrings('on');
    if (on === undefined) throw new CallError('missing required argument on');
    if (on.length === 0) throw new CallError("at least one column in 'on' column list is required");
    const method = args.stringOr('method', 'inner');
    if (!['inner', 'cross', 'left', 'right', 'full', 'outer'].includes(method)) {
      throw new CallError(`${method} is not a valid join type`);
    }
    if (method !== 'inner') throw new CallError(`join method "${method}" is not supported; use the join package`);
    const entries = [...rec.fields].sort((a, b) => compareStrings(a[0], b[0]));
    if (entries.length !== 2) throw new CallError('joins currently must only have two parents');
    const streams = entries.map(([name, v]) => {
      if (v.kind !== 'stream') throw new CallError(`expected "${name}" to be stream type`);
      return { name, tables: v.tables };
    });
    const ctx = args.ctx;
    const budget = ctx.budget;
    const breathe = (): Promise<void> | undefined => ctx.checkpoint();
    return streamValue(
      args.output(async function* () {
        const load = async (s: { name: string; tables: TableStream }): Promise<Side> => ({
          name: s.name,
          tables: (await collectTables(s.tables)).filter((t) => on.every((l) => t.colIndex(l) >= 0)),
        });
        const [left, right] = await Promise.all([load(streams[0]!), load(streams[1]!)]);
        yield* await joinSides(left, right, on, budget, breathe);
      }),
    );
  },
};

/**
 * The joined tables of both sides. `breathe` is asked after each table sorted, each pair joined
 * and each output table put together: joining two streams of many tables is one piece of work
 * from memory, which the query's time limit and its client going away must be able to stop.
 */
async function joinSides(left: Side, right: Side, on: readonly string[], budget: MemoryBudget, breathe: Breather): Promise<Table[]> {
  if (left.tables.length === 0 || right.tables.length === 0) return [];
  const onSet = new Set(on);
  // The on-columns both streams group by (taken from each stream's first table, as Flux does).
  const intersection = on.filter((l) => left.tables[0]!.key.has(l) && right.tables[0]!.key.has(l));
  const order = [...on].sort(compareStrings);
  const sorted = async (tables: readonly Table[]): Promise<Table[]> => {
    const out: Table[] = [];
    for (const t of tables) {
      if (nullOnKey(t, onSet)) continue;
      out.push(await runStepsBreathing(sortTableSteps(t, order, false, budget), breathe));
    }
    return out;
  };
  const sortedLeft = await sorted(left.tables);
  const sortedRight = await sorted(right.tables);
  const out = new Map<string, Table[]>();
  for (const l of sortedLeft) {
    for (const r of sortedRight) {
      if (!intersection.every((c) => equalValues(l.key.value(c)!, r.key.value(c)!))) continue;
      const t = joinPair(l, left.name, r, right.name, order, onSet, budget);
      const pause = breathe();
      if (pause !== undefined) await pause;
      if (t.length === 0) continue;
      const list = out.get(t.key.id);
      if (list === undefined) out.set(t.key.id, [t]);
      else list.push(t);
    }
  }
  const merged: Table[] = [];
  for (const list of out.values()) {
    merged.push(mergeTables(list, budget));
    const pause = breathe();
    if (pause !== undefined) await pause;
  }
  return merged.sort((a, b) => a.key.compare(b.key));
}

function nullOnKey(t: Table, on: ReadonlySet<string>): boolean {
  return t.key.cols.some((c, i) => on.has(c.label) && t.key.values[i]!.kind === 'null');
}

function joinPair(
  l: Table,
  lName: string,
  r: Table,
  rName: string,
  order: readonly string[],
  on: ReadonlySet<string>,
  budget: MemoryBudget,
): Table {
  const shared = new Set(l.cols.filter((c) => r.colIndex(c.label) >= 0).map((c) => c.label));
  const rename = (label: string, side: string): string => (shared.has(label) && !on.has(label) ? `${label}_${side}` : label);
  // Output schema: every renamed column once, sorted by label.
  const byLabel = new Map<string, ColMeta>();
  for (const c of l.cols) byLabel.set(rename(c.label, lName), { label: rename(c.label, lName), type: c.type });
  for (const c of r.cols) {
    const label = rename(c.label, rName);
    if (!byLabel.has(label)) byLabel.set(label, { label, type: c.type });
  }
  const cols = [...byLabel.values()].sort((a, b) => compareStrings(a.label, b.label));
  const index = new Map(cols.map((c, j) => [c.label, j]));
  const builders = cols.map((c) => new ColumnBuilder(c.type, budget));
  // Sources of each output column: [side table, column index] (left wins for on-columns).
  const sources: (readonly [Table, number] | undefined)[] = cols.map(() => undefined);
  l.cols.forEach((c, j) => (sources[index.get(rename(c.label, lName))!] = [l, j]));
  r.cols.forEach((c, j) => {
    const k = index.get(rename(c.label, rName))!;
    if (sources[k] === undefined) sources[k] = [r, j];
  });
  const lOn = order.map((c) => l.columns[l.colIndex(c)]!);
  const rOn = order.map((c) => r.columns[r.colIndex(c)]!);
  const cmp = (i: number, k: number): number => compareOnRows(lOn, i, rOn, k);
  const lRuns = runs(lOn, l.length);
  const rRuns = runs(rOn, r.length);
  // The matched pairs' rows on each side, in output order.
  let lRows: Int32Array = new Int32Array(Math.max(16, Math.min(l.length, r.length)));
  let rRows: Int32Array = new Int32Array(lRows.length);
  let n = 0;
  let a = 0;
  let b = 0;
  while (a < lRuns.length - 1 && b < rRuns.length - 1) {
    const c = cmp(lRuns[a]!, rRuns[b]!);
    if (c < 0) a++;
    else if (c > 0) b++;
    else if (hasNull(lOn, lRuns[a]!)) {
      // null != null in a join (Flux's EqualTrueNulls): a run with a null on-value matches nothing.
      a++;
      b++;
    } else {
      for (let i = lRuns[a]!; i < lRuns[a + 1]!; i++) {
        for (let k = rRuns[b]!; k < rRuns[b + 1]!; k++) {
          if (n === lRows.length) {
            lRows = grown(lRows);
            rRows = grown(rRows);
          }
          lRows[n] = i;
          rRows[n] = k;
          n++;
        }
      }
      a++;
      b++;
    }
  }
  // Each output column gathered at once from its side's matched rows.
  sources.forEach((src, j) => {
    const [t, col] = src!;
    builders[j]!.pushFrom(t.columns[col]!, t === l ? lRows : rRows, n);
  });
  const columns: ColumnData[] = builders.map((bd) => bd.finish(n));
  const keyCols: ColMeta[] = [];
  const keyValues: Value[] = [];
  const addKey = (t: Table, side: string): void =>
    t.key.cols.forEach((c, i) => {
      const label = rename(c.label, side);
      if (keyCols.some((k) => k.label === label)) return;
      keyCols.push({ label, type: c.type });
      keyValues.push(t.key.values[i]!);
    });
  addKey(l, lName);
  addKey(r, rName);
  const perm = keyCols.map((_, i) => i).sort((x, y) => compareStrings(keyCols[x]!.label, keyCols[y]!.label));
  const key = new GroupKey(
    perm.map((i) => keyCols[i]!),
    perm.map((i) => keyValues[i]!),
  );
  return new Table(key, cols, columns, n);
}

/** The array with twice the room, its rows kept. */
function grown(rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length * 2);
  out.set(rows);
  return out;
}

/** Start rows of the runs of equal on-values in a sorted table, plus the length at the end. */
function runs(cols: readonly ColumnData[], length: number): number[] {
  const cmps = cols.map((c) => rowComparator(c));
  const starts: number[] = [];
  for (let i = 0; i < length; i++) {
    if (i === 0 || cmps.some((f) => f(i - 1, i) !== 0)) starts.push(i);
  }
  starts.push(length);
  return starts;
}

function hasNull(cols: readonly ColumnData[], row: number): boolean {
  return cols.some((c) => !isValid(c, row));
}

/** Orders a left row against a right row by their on-values (nulls first; used for ordering only). */
function compareOnRows(lc: readonly ColumnData[], i: number, rc: readonly ColumnData[], k: number): number {
  for (let j = 0; j < lc.length; j++) {
    const x = lc[j]!;
    const y = rc[j]!;
    const vx = isValid(x, i);
    const vy = isValid(y, k);
    if (!vx || !vy) {
      if (vx === vy) continue;
      return vx ? 1 : -1;
    }
    const a = x.values[i]!;
    const b = y.values[k]!;
    if (a < b) return -1;
    if (a > b) return 1;
  }
  return 0;
}
