import type { RowExpr } from '../flux/execute/row-expr.js';
import { compareMixedNumeric, compareStrings } from '../flux/values/compare-values.js';
import { FieldType } from '../lineprotocol/point.js';
import { gatherColumn } from '../storage/read/gather-column.js';
import type { ColumnValues, SeriesBatch, ValueSelector } from '../storage/storage.js';

type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
type Literal = number | bigint | string | boolean;

/**
 * A filter conjunct `r._value <op> literal` (either operand order), applied to a storage read's
 * typed value arrays right after the read, before any table is built: a query such as
 * `filter(fn: (r) => r._field == "usage_user" and r._value > 90.0)` then builds tables of the
 * matching rows only, instead of materialising every row to drop most of them.
 *
 * Contract: for the value/literal type pairs `comparator` lists (`coversType`), it keeps exactly
 * the rows Flux's own comparison keeps (execute/row-expr.ts: IEEE NaN, exact int/float
 * comparison, Flux string order); a batch of any other type passes whole, and the caller runs
 * Flux's filter on it, so errors and every other case are Flux's own.
 */
export interface ValueFilter {
  readonly op: CompareOp;
  readonly literal: Literal;
  /** Whether the literal is the left operand (`90.0 < r._value`). */
  readonly literalLeft: boolean;
}

const FLIP: Record<CompareOp, CompareOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The value filter a conjunct expresses, if it is `r._value <op> literal` or `literal <op> r._value`. */
export function valueFilterOf(e: RowExpr): ValueFilter | undefined {
  if (e.kind !== 'binary' || !(e.op in FLIP)) return undefined;
  const op = e.op as CompareOp;
  const isValue = (x: RowExpr): boolean => x.kind === 'column' && x.label === '_value';
  let lit: RowExpr;
  let literalLeft: boolean;
  if (isValue(e.left)) {
    lit = e.right;
    literalLeft = false;
  } else if (isValue(e.right)) {
    lit = e.left;
    literalLeft = true;
  } else return undefined;
  if (lit.kind !== 'literal') return undefined;
  const v = lit.value;
  switch (v.kind) {
    case 'float':
    case 'int':
    case 'uint':
    case 'string':
    case 'bool':
      return { op, literal: v.value, literalLeft };
    default:
      return undefined;
  }
}

/** Whether every filter has an exact typed comparison for values of `type` (see `comparator`). */
export function coversType(type: FieldType, filters: readonly ValueFilter[]): boolean {
  return filters.every((f) => comparator(type, f) !== undefined);
}

/**
 * The storage read's side of the push-down: where `filters` cover a column's type
 * (`coversType`), the engine copies out only the positions they keep; any other column comes
 * whole (-1), for the caller to run Flux's own filter over.
 */
export function valueSelector(filters: readonly ValueFilter[]): ValueSelector {
  // Per field type, worked out once: storage asks for every series and every chunk it may skip,
  // and building the comparators there allocated closures per call.
  const covers = new Map<FieldType, boolean>();
  const ranges = new Map<FieldType, ((min: number | bigint, max: number | bigint) => boolean)[]>();
  const coversOnce = (type: FieldType): boolean => {
    let c = covers.get(type);
    if (c === undefined) covers.set(type, (c = coversType(type, filters)));
    return c;
  };
  return {
    select: (type, values, keep) => (coversOnce(type) ? selectPositions(type, values, filters, keep) : -1),
    mayKeep: (type, min, max) => {
      if (!coversOnce(type)) return false;
      let tests = ranges.get(type);
      if (tests === undefined) ranges.set(type, (tests = filters.map((f) => rangeTest(type, f))));
      for (const t of tests) if (!t(min, max)) return false;
      return true;
    },
  };
}

/**
 * The test whether some value of `type` in `[min, max]` (numeric stats: NaN skipped, NaN only when every
 * value is NaN) may pass `f`. Ordered comparisons look at the end that could pass: `> k` needs
 * `max > k`, `< k` needs `min < k`, `== k` needs `min <= k <= max`; all in the exact comparison
 * of `comparator`, so a NaN bound (every value NaN) passes none of them, as NaN values do not.
 * `!=` always may (a NaN value passes it whatever the bounds).
 */
function rangeTest(type: FieldType, f: ValueFilter): (min: number | bigint, max: number | bigint) => boolean {
  const op = f.literalLeft ? FLIP[f.op] : f.op;
  const at = (o: CompareOp): ((v: number | bigint) => boolean) => comparator(type, { op: o, literal: f.literal, literalLeft: false }) ?? (() => true);
  switch (op) {
    case '>':
    case '>=': {
      const t = at(op);
      return (_min, max) => t(max);
    }
    case '<':
    case '<=': {
      const t = at(op);
      return (min) => t(min);
    }
    case '==': {
      const ge = at('>=');
      const le = at('<=');
      return (min, max) => ge(max) && le(min);
    }
    case '!=':
      return () => true;
  }
}

/**
 * `b` without the rows some filter rejects (a new batch; `b` itself when nothing is dropped or
 * no filter applies to its type).
 */
export function filterBatchValues(b: SeriesBatch, filters: readonly ValueFilter[]): SeriesBatch {
  const n = b.timestampsNs.length;
  const at = new Uint32Array(n);
  const m = selectPositions(b.type, b.values, filters, at);
  if (m < 0 || m === n) return b;
  // The same gather as the storage read's pushed filter (64-bit columns copied as 32-bit halves).
  const kept = gatherColumn(b, at, m);
  return { measurement: b.measurement, tags: b.tags, field: b.field, type: b.type, timestampsNs: kept.timestampsNs, values: kept.values };
}

/**
 * Writes to `at[0, m)` the ascending positions of `values` that every filter applying to `type`
 * keeps and returns `m`; -1 when no filter applies (everything passes). `at` has room for
 * `values.length` positions.
 */
export function selectPositions(type: FieldType, values: ColumnValues, filters: readonly ValueFilter[], at: Uint32Array): number {
  const n = values.length;
  // Positions of the rows kept so far, narrowed in place by each filter (m < 0: all, none written yet).
  let m = -1;
  for (const f of filters) {
    if (type === FieldType.Float && typeof f.literal === 'number') {
      // The common shape (`r._value > 90.0` on a float field): one typed loop, no call per value.
      const op = f.literalLeft ? FLIP[f.op] : f.op;
      // The first filter scans the values straight (no positions to go through yet).
      m = m < 0 ? selectFloat(values as Float64Array, op, f.literal, at) : narrowFloat(values as Float64Array, op, f.literal, at, m);
      continue;
    }
    const test = comparator(type, f);
    if (test === undefined) continue;
    let w = 0;
    if (m < 0) {
      for (let i = 0; i < n; i++) if (test(values[i]!)) at[w++] = i;
    } else {
      for (let r = 0; r < m; r++) {
        const i = at[r]!;
        if (test(values[i]!)) at[w++] = i;
      }
    }
    m = w;
  }
  return m;
}

/** Writes to `at` the positions i where `v[i] <op> k`; returns how many. */
function selectFloat(v: Float64Array, op: CompareOp, k: number, at: Uint32Array): number {
  const n = v.length;
  let w = 0;
  switch (op) {
    case '>':
      for (let i = 0; i < n; i++) if (v[i]! > k) at[w++] = i;
      break;
    case '>=':
      for (let i = 0; i < n; i++) if (v[i]! >= k) at[w++] = i;
      break;
    case '<':
      for (let i = 0; i < n; i++) if (v[i]! < k) at[w++] = i;
      break;
    case '<=':
      for (let i = 0; i < n; i++) if (v[i]! <= k) at[w++] = i;
      break;
    case '==':
      for (let i = 0; i < n; i++) if (v[i]! === k) at[w++] = i;
      break;
    case '!=':
      for (let i = 0; i < n; i++) if (v[i]! !== k) at[w++] = i;
      break;
  }
  return w;
}

/**
 * Keeps in `at[0, m)` the positions i where `v[i] <op> k` (JS comparisons are IEEE's, as Flux's);
 * returns how many are left.
 */
function narrowFloat(v: Float64Array, op: CompareOp, k: number, at: Uint32Array, m: number): number {
  let w = 0;
  switch (op) {
    case '>':
      for (let r = 0; r < m; r++) if (v[at[r]!]! > k) at[w++] = at[r]!;
      break;
    case '>=':
      for (let r = 0; r < m; r++) if (v[at[r]!]! >= k) at[w++] = at[r]!;
      break;
    case '<':
      for (let r = 0; r < m; r++) if (v[at[r]!]! < k) at[w++] = at[r]!;
      break;
    case '<=':
      for (let r = 0; r < m; r++) if (v[at[r]!]! <= k) at[w++] = at[r]!;
      break;
    case '==':
      for (let r = 0; r < m; r++) if (v[at[r]!]! === k) at[w++] = at[r]!;
      break;
    case '!=':
      for (let r = 0; r < m; r++) if (v[at[r]!]! !== k) at[w++] = at[r]!;
      break;
  }
  return w;
}

/**
 * The per-value test for a field type, following row-expr's comparison rules; undefined for
 * pairs Flux compares otherwise or not at all (the plain filter decides those).
 */
function comparator(type: FieldType, f: ValueFilter): ((v: number | bigint | string) => boolean) | undefined {
  const lit = f.literal;
  let cmp: (v: never) => number;
  switch (type) {
    case FieldType.Float:
      if (typeof lit === 'number') cmp = (v: number) => (v < lit ? -1 : v > lit ? 1 : v === lit ? 0 : NaN);
      else if (typeof lit === 'bigint') cmp = (v: number) => (Number.isNaN(v) ? NaN : compareMixedNumeric(v, lit));
      else return undefined;
      break;
    case FieldType.Integer:
    case FieldType.Unsigned:
      if (typeof lit === 'bigint') cmp = (v: bigint) => (v < lit ? -1 : v > lit ? 1 : 0);
      else if (typeof lit === 'number') cmp = (v: bigint) => (Number.isNaN(lit) ? NaN : compareMixedNumeric(v, lit));
      else return undefined;
      break;
    case FieldType.String:
      if (typeof lit !== 'string') return undefined;
      cmp = (v: string) => compareStrings(v, lit);
      break;
    case FieldType.Boolean:
      if (typeof lit !== 'boolean' || (f.op !== '==' && f.op !== '!=')) return undefined;
      cmp = (v: number) => ((v === 1) === lit ? 0 : 1);
      break;
  }
  // Compared as value <op'> literal: flip the operator when the literal was on the left.
  const op = f.literalLeft ? FLIP[f.op] : f.op;
  const c = cmp as (v: number | bigint | string) => number;
  switch (op) {
    case '==':
      return (v) => c(v) === 0;
    case '!=':
      return (v) => c(v) !== 0;
    case '<':
      return (v) => c(v) < 0;
    case '<=':
      return (v) => c(v) <= 0;
    case '>':
      return (v) => c(v) > 0;
    case '>=':
      return (v) => c(v) >= 0;
  }
}
