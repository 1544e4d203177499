import type { RowExpr } from '../flux/execute/row-expr.js';
import { compareMixedNumeric, compareStrings } from '../flux/values/compare-values.js';
import { FieldType } from '../lineprotocol/point.js';
import type { ColumnValues, SeriesBatch } from '../storage/storage.js';

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
 * `b` without the rows some filter rejects (a new batch; `b` itself when nothing is dropped or
 * no filter applies to its type).
 */
export function filterBatchValues(b: SeriesBatch, filters: readonly ValueFilter[]): SeriesBatch {
  const n = b.timestampsNs.length;
  let keep: Uint8Array | undefined;
  for (const f of filters) {
    if (b.type === FieldType.Float && typeof f.literal === 'number') {
      // The common shape (`r._value > 90.0` on a float field): one typed loop, no call per value.
      keep ??= new Uint8Array(n).fill(1);
      floatVersusFloat(b.values as Float64Array, f.literalLeft ? FLIP[f.op] : f.op, f.literal, keep);
      continue;
    }
    const test = comparator(b.type, f);
    if (test === undefined) continue;
    keep ??= new Uint8Array(n).fill(1);
    const values = b.values;
    for (let i = 0; i < n; i++) if (keep[i] === 1 && !test(values[i]!)) keep[i] = 0;
  }
  if (keep === undefined) return b;
  let m = 0;
  for (let i = 0; i < n; i++) m += keep[i]!;
  if (m === n) return b;
  const ts = new BigInt64Array(m);
  const values = compactValues(b.values, keep, m);
  for (let i = 0, w = 0; i < n; i++) if (keep[i] === 1) ts[w++] = b.timestampsNs[i]!;
  return { measurement: b.measurement, tags: b.tags, field: b.field, type: b.type, timestampsNs: ts, values };
}

/** Clears `keep[i]` where `v[i] <op> k` is false (JS comparisons are IEEE's, as Flux's). */
function floatVersusFloat(v: Float64Array, op: CompareOp, k: number, keep: Uint8Array): void {
  const n = v.length;
  switch (op) {
    case '>':
      for (let i = 0; i < n; i++) if (!(v[i]! > k)) keep[i] = 0;
      break;
    case '>=':
      for (let i = 0; i < n; i++) if (!(v[i]! >= k)) keep[i] = 0;
      break;
    case '<':
      for (let i = 0; i < n; i++) if (!(v[i]! < k)) keep[i] = 0;
      break;
    case '<=':
      for (let i = 0; i < n; i++) if (!(v[i]! <= k)) keep[i] = 0;
      break;
    case '==':
      for (let i = 0; i < n; i++) if (!(v[i]! === k)) keep[i] = 0;
      break;
    case '!=':
      for (let i = 0; i < n; i++) if (!(v[i]! !== k)) keep[i] = 0;
      break;
  }
}

function compactValues(values: ColumnValues, keep: Uint8Array, m: number): ColumnValues {
  if (Array.isArray(values)) return values.filter((_, i) => keep[i] === 1);
  const out = new (values.constructor as new (n: number) => Float64Array)(m);
  const src = values as Float64Array;
  for (let i = 0, w = 0; i < keep.length; i++) if (keep[i] === 1) out[w++] = src[i]!;
  return out as ColumnValues;
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
