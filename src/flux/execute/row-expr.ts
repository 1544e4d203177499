import { compareMixedNumeric, compareStrings } from '../values/compare-values.js';
import type { ColumnType } from '../values/mono-type.js';
import { formatFloatDecimal } from '../values/format-float.js';
import { formatFixedTime } from '../values/format-value.js';
import { floatToInt, floatToUint, type Value } from '../values/value.js';
import { isValid, type ColumnData } from './column.js';
import type { RowPredicate } from './filter-table.js';
import type { ColumnKernel, OutputColumn } from './map-columns.js';
import type { Table } from './table.js';

/**
 * A small expression language over one row, for compiling the common bodies of row functions
 * (`filter(fn: (r) => r._value > 50.0 and r.host == "a")`, `map(fn: (r) => ({r with _value:
 * r._value * 2.0})`) into kernels over column arrays. The interpreter translates the AST subset it
 * recognises (member access on the row parameter, literals, operators, `exists`) and falls back
 * to evaluating the function per row when the translation or `compile*` returns undefined.
 *
 * Semantics follow the SPEC: arithmetic and comparisons with a null operand give null; `and`,
 * `or`, `not` use three-valued logic; `exists` is never null; `r.missing` is null; `if` evaluates
 * only the branch taken, and a null condition takes `else`. Arithmetic
 * needs operands of one type (int and uint wrap at 64 bits); comparisons also accept mixed
 * int/uint/float. Integer `/` and `%` (division by zero is an error) are not compiled.
 */
export type RowExpr =
  | { readonly kind: 'column'; readonly label: string }
  /** A field of the fold state (reduce's accumulator): see `compileFold`. */
  | { readonly kind: 'state'; readonly label: string }
  /**
   * `contains(value:, set:)` over a constant set: true when the value equals an element (as
   * compareValues does: NaN equals NaN, -0 equals 0), false for a null value; never null.
   */
  | { readonly kind: 'in'; readonly value: RowExpr; readonly set: readonly Value[] }
  /**
   * universe's `float(v:)`, `int(v:)`, `uint(v:)`, `string(v:)` of the operand: compiled only for
   * operand types whose conversion cannot fail (not from strings to numbers, say), as Flux does
   * them (a null converts to a null).
   */
  | { readonly kind: 'convert'; readonly to: 'float' | 'int' | 'uint' | 'string'; readonly operand: RowExpr }
  /** A builtin with a scalar form, its arguments in `kernel.params` order (see ScalarKernel). */
  | { readonly kind: 'call'; readonly kernel: ScalarKernel; readonly args: readonly RowExpr[] }
  | { readonly kind: 'literal'; readonly value: Value }
  | { readonly kind: 'unary'; readonly op: 'not' | '-' | 'exists'; readonly operand: RowExpr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: RowExpr; readonly right: RowExpr }
  | {
      readonly kind: 'conditional';
      readonly test: RowExpr;
      readonly consequent: RowExpr;
      readonly alternate: RowExpr;
    };

/**
 * A builtin's pure per-value form, which a builtin may declare (`BuiltinSpec.scalar`) when it
 * cannot fail for non-null arguments of these types: row functions calling it then compile to
 * kernels. Arguments are the parameters' values in `params` order (number for float, bigint for
 * int/uint/time, string, boolean), never null.
 */
export interface ScalarKernel {
  readonly params: readonly string[];
  readonly paramTypes: readonly ColumnType[];
  readonly result: ColumnType;
  readonly fn: (...args: (number | bigint | string | boolean)[]) => number | bigint | string | boolean;
  /**
   * For a test of a string (`strings.hasPrefix`): given the values of the arguments after the
   * first, all string literals, a pattern that a string first argument matches exactly when the
   * call returns true; undefined when there is none. A filter calling it on a series column can
   * then read only the series it keeps (a storage regex predicate: query/storage-predicate.ts).
   */
  readonly pattern?: (literals: readonly string[]) => RegExp | undefined;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~' | 'and' | 'or';

type Scalar = number | bigint | string | boolean | RegExp;

/** A compiled node: its static type ('null' when always null) and a per-row evaluator. */
interface Node {
  readonly type: ColumnType | 'null' | 'regexp';
  readonly eval: (row: number) => Scalar | null;
  /** Set when the node reads a column directly (for specialised kernels). */
  readonly column?: ColumnData;
  /** Set when the node is a non-null constant. */
  readonly constant?: Scalar;
}

const ALWAYS_NULL: Node = { type: 'null', eval: () => null };

/**
 * `filter`'s predicate for `expr` over `table`, or undefined when it cannot be compiled (the
 * expression is not boolean, or uses what the compiler does not handle). A null result keeps
 * the row out, as Flux's filter does.
 */
export function compileRowPredicate(table: Table, expr: RowExpr): RowPredicate | undefined {
  const node = compileNode(table, expr);
  if (node === undefined) return undefined;
  if (node.type === 'null') return () => false;
  if (node.type !== 'bool') return undefined;
  const ev = node.eval;
  return (row) => ev(row) === true;
}

/** A column kernel for `expr` over `table`, or undefined (not compilable, or always null). */
export function compileColumnKernel(table: Table, expr: RowExpr): ColumnKernel | undefined {
  const node = compileNode(table, expr);
  if (node === undefined || node.type === 'null' || node.type === 'regexp') return undefined;
  return { type: node.type, compute: node.eval } as ColumnKernel;
}

/**
 * `mapColumns` outputs for a record expression: `{r with l1: e1, ...}` when `extendsRow`
 * (every column kept, replaced ones in place, new ones after), or `{l1: e1, ...}` otherwise.
 * Undefined when a field cannot be compiled; a field that is a bare column is copied, not
 * recomputed.
 */
export function compileMapOutputs(
  table: Table,
  fields: readonly { readonly label: string; readonly expr: RowExpr }[],
  extendsRow: boolean,
): OutputColumn[] | undefined {
  const computed = new Map<string, OutputColumn>();
  for (const f of fields) {
    if (f.expr.kind === 'column' && table.colIndex(f.expr.label) >= 0) {
      computed.set(f.label, { label: f.label, from: f.expr.label });
      continue;
    }
    const kernel = compileColumnKernel(table, f.expr);
    if (kernel === undefined) return undefined;
    computed.set(f.label, { label: f.label, kernel });
  }
  const out: OutputColumn[] = [];
  if (extendsRow) {
    for (const c of table.cols) out.push(computed.get(c.label) ?? { label: c.label, from: c.label });
    for (const f of fields) if (table.colIndex(f.label) < 0) out.push(computed.get(f.label)!);
  } else {
    for (const f of fields) out.push(computed.get(f.label)!);
  }
  return out;
}

/** A fold's state while it runs over a table: one current value (null for a null) per field. */
export interface FoldState {
  readonly labels: readonly string[];
  readonly types: readonly ColumnType[];
  readonly values: (number | bigint | string | boolean | null)[];
}

/**
 * `reduce`'s step over `table`: the new state's fields, each an expression over the row and the
 * state's current values, or undefined when a field cannot be compiled or its type is not the
 * state field's (the interpreter then runs the function, and says why if that is an error).
 * `step(row)` computes every field from the current state, then replaces the state.
 */
export function compileFold(
  table: Table,
  state: FoldState,
  fields: readonly { readonly label: string; readonly expr: RowExpr }[],
): ((row: number) => void) | undefined {
  const evals: ((row: number) => Scalar | null)[] = [];
  const targets: number[] = [];
  for (const f of fields) {
    const k = state.labels.indexOf(f.label);
    if (k < 0 || targets.includes(k)) return undefined;
    const node = compileNode(table, f.expr, state);
    if (node === undefined || node.type !== state.types[k]) return undefined;
    evals.push(node.eval);
    targets.push(k);
  }
  const values = state.values;
  type Cell = number | bigint | string | boolean | null;
  // One or two fields (the usual sum/count): each call site sees one function, which V8 inlines.
  if (evals.length === 1) {
    const [e0] = evals as [(row: number) => Scalar | null];
    const [t0] = targets as [number];
    return (row) => {
      values[t0] = e0(row) as Cell;
    };
  }
  if (evals.length === 2) {
    const [e0, e1] = evals as [(row: number) => Scalar | null, (row: number) => Scalar | null];
    const [t0, t1] = targets as [number, number];
    return (row) => {
      const a = e0(row) as Cell;
      const b = e1(row) as Cell;
      values[t0] = a;
      values[t1] = b;
    };
  }
  const next: (Scalar | null)[] = new Array<Scalar | null>(evals.length).fill(null);
  return (row) => {
    for (let f = 0; f < evals.length; f++) next[f] = evals[f]!(row);
    for (let f = 0; f < evals.length; f++) values[targets[f]!] = next[f] as number | bigint | string | boolean | null;
  };
}

function compileNode(table: Table, e: RowExpr, state?: FoldState): Node | undefined {
  switch (e.kind) {
    case 'column':
      return columnNode(table, e.label);
    case 'state': {
      const k = state === undefined ? -1 : state.labels.indexOf(e.label);
      if (k < 0) return undefined;
      const values = state!.values;
      return { type: state!.types[k]!, eval: () => values[k]! };
    }
    case 'literal':
      return literalNode(e.value);
    case 'in':
      return inNode(compileNode(table, e.value, state), e.set);
    case 'convert':
      return convertNode(compileNode(table, e.operand, state), e.to);
    case 'call':
      return callNode(e.args.map((a) => compileNode(table, a, state)), e.kernel);
    case 'unary':
      return unaryNode(compileNode(table, e.operand, state), e.op);
    case 'conditional':
      return conditionalNode(compileNode(table, e.test, state), compileNode(table, e.consequent, state), compileNode(table, e.alternate, state));
    case 'binary': {
      const l = compileNode(table, e.left, state);
      const r = compileNode(table, e.right, state);
      if (l === undefined || r === undefined) return undefined;
      return binaryNode(e.op, l, r);
    }
  }
}

function columnNode(table: Table, label: string): Node {
  const j = table.colIndex(label);
  if (j < 0) return ALWAYS_NULL;
  const col = table.columns[j]!;
  const vals = col.values;
  if (col.type === 'bool') {
    const b = col.values;
    return col.valid === null
      ? { type: 'bool', eval: (i) => b[i] === 1 }
      : { type: 'bool', eval: (i) => (isValid(col, i) ? b[i] === 1 : null) };
  }
  const read = vals as ArrayLike<number | bigint | string>;
  return col.valid === null
    ? { type: col.type, eval: (i) => read[i]!, column: col }
    : { type: col.type, eval: (i) => (isValid(col, i) ? read[i]! : null), column: col };
}

function literalNode(v: Value): Node | undefined {
  switch (v.kind) {
    case 'null':
      return ALWAYS_NULL;
    case 'float':
    case 'int':
    case 'uint':
    case 'string':
    case 'bool':
    case 'time': {
      const x = v.value;
      return { type: v.kind, eval: () => x, constant: x };
    }
    case 'regexp': {
      const re = v.regex;
      return { type: 'regexp', eval: () => re };
    }
    default:
      return undefined;
  }
}

/**
 * Membership in a set of one basic type, the value's own (mixed types are left to the builtin).
 * JS Sets compare by SameValueZero, which is compareValues' equality for these types (NaN
 * equals NaN, -0 equals 0, bigints and strings by value).
 */
function inNode(n: Node | undefined, set: readonly Value[]): Node | undefined {
  if (n === undefined) return undefined;
  const elements = set.filter((v) => v.kind !== 'null');
  if (n.type === 'null') return { type: 'bool', eval: () => false };
  const kinds = new Set<string>(elements.map((v) => v.kind));
  if (kinds.size > 1 || (kinds.size === 1 && !kinds.has(n.type))) return undefined;
  if (!['string', 'float', 'int', 'uint', 'bool', 'time'].includes(n.type)) return undefined;
  const members = new Set(elements.map((v) => (v as { value: Scalar }).value));
  const ev = n.eval;
  return { type: 'bool', eval: (i) => {
    const v = ev(i);
    return v !== null && members.has(v);
  } };
}

/** The conversions `convertNode` compiles: target, then operand type → the scalar conversion. */
const CONVERSIONS: Record<'float' | 'int' | 'uint' | 'string', Partial<Record<ColumnType, (v: Scalar) => Scalar>>> = {
  float: {
    float: (v) => v,
    int: (v) => Number(v as bigint),
    uint: (v) => Number(v as bigint),
    bool: (v) => (v === true ? 1 : 0),
  },
  int: {
    int: (v) => v,
    uint: (v) => BigInt.asIntN(64, v as bigint),
    time: (v) => BigInt.asIntN(64, v as bigint),
    float: (v) => floatToInt(v as number),
    bool: (v) => (v === true ? 1n : 0n),
  },
  uint: {
    uint: (v) => v,
    int: (v) => BigInt.asUintN(64, v as bigint),
    time: (v) => BigInt.asUintN(64, v as bigint),
    float: (v) => floatToUint(v as number),
    bool: (v) => (v === true ? 1n : 0n),
  },
  string: {
    string: (v) => v,
    int: (v) => (v as bigint).toString(),
    uint: (v) => (v as bigint).toString(),
    float: (v) => formatFloatDecimal(v as number),
    bool: (v) => (v === true ? 'true' : 'false'),
    // string(v: time) prints all nine fraction digits (Flux's values.Time.String).
    time: (v) => formatFixedTime(v as bigint),
  },
};

/**
 * A scalar builtin over arguments that can never be null (constants, and columns without a
 * validity bitmap), of its parameter types: a null argument is the builtin's error, which only
 * the builtin gives, so anything that could be null is left to it.
 */
function callNode(args: readonly (Node | undefined)[], kernel: ScalarKernel): Node | undefined {
  const evals: ((row: number) => Scalar | null)[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === undefined || a.type !== kernel.paramTypes[k]) return undefined;
    const nonNull = a.constant !== undefined || (a.column !== undefined && a.column.valid === null);
    if (!nonNull) return undefined;
    evals.push(a.eval);
  }
  const f = kernel.fn;
  if (evals.length === 1) {
    const [a0] = evals as [(row: number) => Scalar];
    return { type: kernel.result, eval: (i) => f(a0(i) as number | bigint | string | boolean) };
  }
  if (evals.length === 2) {
    const [a0, a1] = evals as [(row: number) => Scalar, (row: number) => Scalar];
    return { type: kernel.result, eval: (i) => f(a0(i) as number | bigint | string | boolean, a1(i) as number | bigint | string | boolean) };
  }
  return { type: kernel.result, eval: (i) => f(...evals.map((e) => e(i) as number | bigint | string | boolean)) };
}

function convertNode(n: Node | undefined, to: 'float' | 'int' | 'uint' | 'string'): Node | undefined {
  if (n === undefined) return undefined;
  if (n.type === 'null') return ALWAYS_NULL;
  const f = CONVERSIONS[to][n.type as ColumnType];
  if (f === undefined) return undefined;
  const ev = n.eval;
  return { type: to, eval: (i) => {
    const v = ev(i);
    return v === null ? null : f(v);
  } };
}

function unaryNode(n: Node | undefined, op: 'not' | '-' | 'exists'): Node | undefined {
  if (n === undefined) return undefined;
  const ev = n.eval;
  if (op === 'exists') return { type: 'bool', eval: (i) => ev(i) !== null };
  if (n.type === 'null') return ALWAYS_NULL;
  if (op === 'not') {
    if (n.type !== 'bool') return undefined;
    return { type: 'bool', eval: (i) => {
      const v = ev(i);
      return v === null ? null : !v;
    } };
  }
  if (n.type === 'float') return { type: 'float', eval: (i) => {
    const v = ev(i) as number | null;
    return v === null ? null : -v;
  } };
  if (n.type === 'int') return { type: 'int', eval: (i) => {
    const v = ev(i) as bigint | null;
    return v === null ? null : BigInt.asIntN(64, -v);
  } };
  return undefined;
}

const NUMERIC = new Set(['float', 'int', 'uint']);

function binaryNode(op: BinaryOp, l: Node, r: Node): Node | undefined {
  if (op === 'and' || op === 'or') return logicalNode(op, l, r);
  if (op === '=~' || op === '!~') {
    if (r.type !== 'regexp' || (l.type !== 'string' && l.type !== 'null')) return undefined;
    if (l.type === 'null') return { type: 'bool', eval: () => null };
    const le = l.eval;
    const re = r.eval(0) as RegExp;
    const want = op === '=~';
    return { type: 'bool', eval: (i) => {
      const s = le(i) as string | null;
      if (s === null) return null;
      re.lastIndex = 0;
      return re.test(s) === want;
    } };
  }
  if (l.type === 'regexp' || r.type === 'regexp') return undefined;
  const comparison = op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=';
  if (l.type === 'null' || r.type === 'null') {
    if (comparison) return { type: 'bool', eval: () => null };
    const t = l.type === 'null' ? r.type : l.type;
    return { type: t as ColumnType | 'null', eval: () => null };
  }
  if (comparison) return comparisonNode(op, l, r);
  return arithmeticNode(op, l, r);
}

function comparisonNode(op: '==' | '!=' | '<' | '<=' | '>' | '>=', l: Node, r: Node): Node | undefined {
  const fast = columnVersusConstant(op, l, r);
  if (fast !== undefined) return fast;
  const le = l.eval;
  const re = r.eval;
  let cmp: (a: Scalar, b: Scalar) => number;
  if (l.type === r.type) {
    if (l.type === 'string') cmp = (a, b) => compareStrings(a as string, b as string);
    else if (l.type === 'bool') {
      if (op !== '==' && op !== '!=') return undefined;
      cmp = (a, b) => (a === b ? 0 : 1);
    } else cmp = (a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : a === b ? 0 : NaN);
  } else if (NUMERIC.has(l.type) && NUMERIC.has(r.type)) {
    if (l.type !== 'float' && r.type !== 'float') {
      cmp = (a, b) => ((a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0);
    } else {
      cmp = (a, b) =>
        Number.isNaN(typeof a === 'number' ? a : (b as number)) ? NaN : compareMixedNumeric(a as number | bigint, b as number | bigint);
    }
  } else return undefined;
  // NaN (a float NaN operand) makes every comparison false but `!=`, as IEEE-754 does.
  const test: (c: number) => boolean =
    op === '==' ? (c) => c === 0
    : op === '!=' ? (c) => c !== 0
    : op === '<' ? (c) => c < 0
    : op === '<=' ? (c) => c <= 0
    : op === '>' ? (c) => c > 0
    : (c) => c >= 0;
  return { type: 'bool', eval: (i) => {
    const a = le(i);
    if (a === null) return null;
    const b = re(i);
    if (b === null) return null;
    return test(cmp(a, b));
  } };
}

/**
 * `r.col <op> constant` on a number-like column of the constant's type: one typed-array read
 * and one comparison per row (the shape of most filters).
 */
function columnVersusConstant(op: '==' | '!=' | '<' | '<=' | '>' | '>=', l: Node, r: Node): Node | undefined {
  const col = l.column;
  const c = r.constant;
  if (col === undefined || c === undefined || l.type !== r.type) return undefined;
  if (col.type !== 'float' && col.type !== 'int' && col.type !== 'uint' && col.type !== 'time') return undefined;
  const v = col.values as unknown as { readonly [i: number]: number };
  const k = c as number;
  const valid = col.valid;
  let test: (i: number) => boolean;
  switch (op) {
    case '>':
      test = (i) => v[i]! > k;
      break;
    case '>=':
      test = (i) => v[i]! >= k;
      break;
    case '<':
      test = (i) => v[i]! < k;
      break;
    case '<=':
      test = (i) => v[i]! <= k;
      break;
    case '==':
      test = (i) => v[i]! === k;
      break;
    case '!=':
      test = (i) => v[i]! !== k;
      break;
  }
  if (valid === null) return { type: 'bool', eval: test };
  return { type: 'bool', eval: (i) => ((valid[i >>> 3]! & (1 << (i & 7))) === 0 ? null : test(i)) };
}

function arithmeticNode(op: '+' | '-' | '*' | '/', l: Node, r: Node): Node | undefined {
  if (l.type !== r.type) return undefined;
  const le = l.eval;
  const re = r.eval;
  const lift = <T extends Scalar>(f: (a: T, b: T) => T): Node['eval'] => (i) => {
    const a = le(i);
    if (a === null) return null;
    const b = re(i);
    return b === null ? null : f(a as T, b as T);
  };
  switch (l.type) {
    case 'float':
      if (l.column !== undefined && r.constant !== undefined) return floatColumnArithmetic(op, l.column, r.constant as number);
      return {
        type: 'float',
        eval:
          op === '+' ? lift<number>((a, b) => a + b)
          : op === '-' ? lift<number>((a, b) => a - b)
          : op === '*' ? lift<number>((a, b) => a * b)
          : lift<number>((a, b) => a / b),
      };
    case 'int':
    case 'uint': {
      if (op === '/') return undefined;
      const wrap = l.type === 'int' ? (x: bigint) => BigInt.asIntN(64, x) : (x: bigint) => BigInt.asUintN(64, x);
      return {
        type: l.type,
        eval:
          op === '+' ? lift<bigint>((a, b) => wrap(a + b))
          : op === '-' ? lift<bigint>((a, b) => wrap(a - b))
          : lift<bigint>((a, b) => wrap(a * b)),
      };
    }
    case 'string':
      return op === '+' ? { type: 'string', eval: lift<string>((a, b) => a + b) } : undefined;
    default:
      return undefined;
  }
}

/** `r.col <op> constant` on a float column: a typed-array read and one operation per row. */
function floatColumnArithmetic(op: '+' | '-' | '*' | '/', col: ColumnData, k: number): Node {
  const v = col.values as Float64Array;
  const valid = col.valid;
  const f: (i: number) => number =
    op === '+' ? (i) => v[i]! + k : op === '-' ? (i) => v[i]! - k : op === '*' ? (i) => v[i]! * k : (i) => v[i]! / k;
  if (valid === null) return { type: 'float', eval: f };
  return { type: 'float', eval: (i) => ((valid[i >>> 3]! & (1 << (i & 7))) === 0 ? null : f(i)) };
}

/** `if test then a else b`: only the taken branch is evaluated; a null test takes `else`. */
function conditionalNode(test: Node | undefined, a: Node | undefined, b: Node | undefined): Node | undefined {
  if (test === undefined || a === undefined || b === undefined) return undefined;
  if (test.type !== 'bool' && test.type !== 'null') return undefined;
  if (a.type === 'regexp' || b.type === 'regexp') return undefined;
  if (a.type !== b.type && a.type !== 'null' && b.type !== 'null') return undefined;
  const type = a.type === 'null' ? b.type : a.type;
  const te = test.eval;
  const ae = a.eval;
  const be = b.eval;
  return { type, eval: (i) => (te(i) === true ? ae(i) : be(i)) };
}

function logicalNode(op: 'and' | 'or', l: Node, r: Node): Node | undefined {
  const okType = (n: Node): boolean => n.type === 'bool' || n.type === 'null';
  if (!okType(l) || !okType(r)) return undefined;
  const le = l.eval;
  const re = r.eval;
  if (op === 'and') {
    return { type: 'bool', eval: (i) => {
      const a = le(i);
      if (a === false) return false; // short-circuit: the right side is not evaluated
      const b = re(i);
      if (b === false) return false;
      return a === null || b === null ? null : true;
    } };
  }
  return { type: 'bool', eval: (i) => {
    const a = le(i);
    if (a === true) return true;
    const b = re(i);
    if (b === true) return true;
    return a === null || b === null ? null : false;
  } };
}
