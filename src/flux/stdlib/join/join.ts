import { columnValue, isValid, type ColumnData } from '../../execute/column.js';
import { RowRecordFields } from '../../execute/row-record.js';
import { sortOrder } from '../../execute/sort-table.js';
import type { GroupKey } from '../../execute/group-key.js';
import { collectTables } from '../../execute/table-stream.js';
import type { Table } from '../../execute/table.js';
import { TableBuilder } from '../../execute/table-builder.js';
import { CallError, Closure, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import type { Expression } from '../../syntax/ast.js';
import { compareBigints, compareFloats, compareStrings, compareValues } from '../../values/compare-values.js';
import { columnMonoType } from '../../values/mono-type.js';
import { nullValue, recordValue, streamValue, type FunctionValue, type RecordValue, type Value } from '../../values/value.js';

type Method = 'inner' | 'left' | 'right' | 'full';
const METHODS: readonly string[] = ['inner', 'left', 'right', 'full'];

/** One `l.a == r.b` of the `on` function: the left and right column labels. */
interface JoinPair {
  readonly left: string;
  readonly right: string;
}

/**
 * The column pairs of `on: (l, r) => l.a == r.b and ...`. Flux accepts only a conjunction of
 * equalities between a property of `l` and a property of `r` (either order).
 */
export function joinPairs(on: FunctionValue): JoinPair[] {
  if (!(on instanceof Closure) || on.params.length !== 2) throw new CallError('on must be a function of (l, r)');
  const [l, r] = [on.params[0]!.name, on.params[1]!.name];
  let body = on.node.body;
  if (body.kind === 'Block') {
    const only = body.body[0];
    if (body.body.length !== 1 || only?.kind !== 'ReturnStatement') throw new CallError('on function body must be a single expression');
    body = only.argument;
  }
  const pairs: JoinPair[] = [];
  const visit = (e: Expression): void => {
    while (e.kind === 'ParenExpression') e = e.expression;
    if (e.kind === 'LogicalExpression' && e.operator === 'and') {
      visit(e.left);
      visit(e.right);
      return;
    }
    if (e.kind === 'BinaryExpression' && e.operator === '==') {
      const a = property(e.left);
      const b = property(e.right);
      if (a !== undefined && b !== undefined) {
        if (a.object === l && b.object === r) return void pairs.push({ left: a.label, right: b.label });
        if (a.object === r && b.object === l) return void pairs.push({ left: b.label, right: a.label });
      }
    }
    throw new CallError('join predicate must be a conjunction of equality comparisons between properties of l and r');
  };
  visit(body);
  return pairs;
}

function property(e: Expression): { object: string; label: string } | undefined {
  if (e.kind !== 'MemberExpression' || e.object.kind !== 'Identifier') return undefined;
  return { object: e.object.name, label: e.property.kind === 'Identifier' ? e.property.name : e.property.value };
}

/** Compares row a of one side with row b of another (or the same) on their join columns. */
type RowCompare = (a: number, b: number) => number;

interface Side {
  readonly table: Table | undefined;
  /** Row indices sorted by join key (stable). */
  readonly order: ArrayLike<number>;
  /** The join columns, in `on` order (an empty side may lack them). */
  readonly columns: readonly ColumnData[];
}

function side(table: Table | undefined, labels: readonly string[], what: string): Side {
  if (table === undefined) return { table, order: [], columns: [] };
  const keyCols = labels.map((l) => table.colIndex(l));
  const missing = labels.find((_, k) => keyCols[k]! < 0);
  if (missing !== undefined && table.length > 0) throw new CallError(`${what} table is missing column "${missing}" used in the join predicate`);
  if (table.length === 0) return { table, order: [], columns: [] };
  // sortTable's order (nulls first, NaN last, -0 equal to 0, strings by code point, stable) is
  // compareValues' on each column: a radix sort instead of a comparator over cell values.
  const order = sortOrder(table, labels) ?? Uint32Array.from({ length: table.length }, (_, i) => i);
  return { table, order, columns: keyCols.map((j) => table.columns[j]!) };
}

/** Row a of `x` against row b of `y`, as compareValues orders their cells. */
function cellComparator(x: ColumnData, y: ColumnData): RowCompare {
  const nulls = (a: number, b: number): number | undefined => {
    const va = isValid(x, a);
    const vb = isValid(y, b);
    return va && vb ? undefined : va === vb ? 0 : va ? 1 : -1;
  };
  const by = <T>(xv: ArrayLike<T>, yv: ArrayLike<T>, cmp: (p: T, q: T) => number): RowCompare => (a, b) => nulls(a, b) ?? cmp(xv[a]!, yv[b]!);
  if (x.type === y.type) {
    switch (x.type) {
      case 'float':
        return by(x.values, (y as typeof x).values, compareFloats);
      case 'string':
        return by(x.values, (y as typeof x).values, compareStrings);
      case 'time':
      case 'int':
      case 'uint':
        return by<bigint>(x.values, (y as typeof x).values, compareBigints);
      case 'bool':
        return by(x.values, (y as typeof x).values, (p, q) => p - q);
    }
  }
  return (a, b) => compareValues(columnValue(x, a), columnValue(y, b));
}

/** Row a of `x` against row b of `y` on every join column, first column first. */
function keyComparator(x: Side, y: Side): RowCompare {
  const cmps = x.columns.map((c, k) => cellComparator(c, y.columns[k]!));
  if (cmps.length === 1) return cmps[0]!;
  return (a, b) => {
    for (const cmp of cmps) {
      const c = cmp(a, b);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** A row as the record `on`/`as` see: its cells, read on demand. */
function rowRecord(t: Table, i: number): RecordValue {
  return { kind: 'record', fields: new RowRecordFields(t, i) };
}

/** The default record: the table's columns, all null but the group key's. */
function defaultRecord(t: Table | undefined, key: GroupKey): RecordValue {
  const fields: [string, Value][] = [];
  for (const c of t?.cols ?? []) {
    const kv = key.value(c.label);
    fields.push([c.label, kv ?? nullValue(columnMonoType(c.type))]);
  }
  for (const [i, c] of key.cols.entries()) if (!fields.some(([l]) => l === c.label)) fields.push([c.label, key.values[i]!]);
  return recordValue(fields);
}

/**
 * Sort-merge join of two tables with one group key: both sides sorted by their join columns,
 * then merged; equal keys give the cross product (left-major), unmatched rows pair with the
 * other side's default record when the method keeps them.
 */
async function joinPair(
  key: GroupKey,
  lt: Table | undefined,
  rt: Table | undefined,
  pairs: readonly JoinPair[],
  method: Method,
  as: FunctionValue,
  out: TableBuilder,
): Promise<void> {
  const L = side(lt, pairs.map((p) => p.left), 'left');
  const R = side(rt, pairs.map((p) => p.right), 'right');
  const keepLeft = method === 'left' || method === 'full';
  const keepRight = method === 'right' || method === 'full';
  const emit = async (l: RecordValue, r: RecordValue): Promise<void> => {
    let v = as.call(new Map([['l', l], ['r', r]]));
    if (v instanceof Promise) v = await v;
    if (v.kind !== 'record') throw new CallError('as must return a record');
    out.appendRecord(v);
  };
  const lr = L.order.length > 0 && R.order.length > 0 ? keyComparator(L, R) : () => 0;
  const ll = L.order.length > 0 ? keyComparator(L, L) : () => 0;
  const rr = R.order.length > 0 ? keyComparator(R, R) : () => 0;
  const nullKey = (row: number): boolean => L.columns.some((c) => !isValid(c, row));
  let i = 0;
  let j = 0;
  while (i < L.order.length || j < R.order.length) {
    const c = i >= L.order.length ? 1 : j >= R.order.length ? -1 : lr(L.order[i]!, R.order[j]!);
    if (c < 0) {
      if (keepLeft) await emit(rowRecord(lt!, L.order[i]!), defaultRecord(rt, key));
      i++;
    } else if (c > 0) {
      if (keepRight) await emit(defaultRecord(lt, key), rowRecord(rt!, R.order[j]!));
      j++;
    } else {
      let i2 = i + 1;
      while (i2 < L.order.length && ll(L.order[i]!, L.order[i2]!) === 0) i2++;
      let j2 = j + 1;
      while (j2 < R.order.length && rr(R.order[j]!, R.order[j2]!) === 0) j2++;
      const unmatched = nullKey(L.order[i]!);
      for (let a = i; a < i2; a++) {
        if (unmatched) {
          // null never equals null in a join predicate: unmatched on both sides.
          if (keepLeft) await emit(rowRecord(lt!, L.order[a]!), defaultRecord(rt, key));
          continue;
        }
        for (let b = j; b < j2; b++) await emit(rowRecord(lt!, L.order[a]!), rowRecord(rt!, R.order[b]!));
      }
      if (unmatched && keepRight) for (let b = j; b < j2; b++) await emit(defaultRecord(lt, key), rowRecord(rt!, R.order[b]!));
      i = i2;
      j = j2;
    }
  }
}

const tables: BuiltinSpec = {
  signature: '(<-left: stream[L], right: stream[R], on: (l: L, r: R) => bool, as: (l: L, r: R) => A, method: string) => stream[A]',
  call(args) {
    const method = args.string('method');
    if (!METHODS.includes(method)) throw new CallError(`invalid join method "${method}": must be one of inner, left, right, full`);
    const pairs = joinPairs(args.fn('on'));
    const as = args.fn('as');
    const left = args.stream('left');
    const right = args.stream('right');
    const budget = args.ctx.budget;
    return streamValue(
      args.output(async function* () {
        const [ls, rs] = await Promise.all([collectTables(left), collectTables(right)]);
        const rightByKey = new Map(rs.map((t) => [t.key.id, t]));
        const used = new Set<string>();
        for (const lt of ls) {
          const rt = rightByKey.get(lt.key.id);
          used.add(lt.key.id);
          if (rt === undefined && (method === 'inner' || method === 'right')) continue;
          const out = new TableBuilder(lt.key, budget);
          await joinPair(lt.key, lt, rt, pairs, method as Method, as, out);
          if (out.length > 0) yield out.build();
        }
        if (method === 'right' || method === 'full') {
          for (const rt of rs) {
            if (used.has(rt.key.id)) continue;
            const out = new TableBuilder(rt.key, budget);
            await joinPair(rt.key, undefined, rt, pairs, method, as, out);
            if (out.length > 0) yield out.build();
          }
        }
      }),
    );
  },
};

// The method-specific entry points, in our own Flux over `tables`.
const source = `
time = (left=<-, right, as, method="inner") =>
    tables(left: left, right: right, on: (l, r) => l._time == r._time, as: as, method: method)
inner = (left=<-, right, on, as) => tables(left: left, right: right, on: on, as: as, method: "inner")
left = (left=<-, right, on, as) => tables(left: left, right: right, on: on, as: as, method: "left")
right = (left=<-, right, on, as) => tables(left: left, right: right, on: on, as: as, method: "right")
full = (left=<-, right, on, as) => tables(left: left, right: right, on: on, as: as, method: "full")
`;

export const joinPackage: PackageDef = { path: 'join', builtins: { tables }, source };

