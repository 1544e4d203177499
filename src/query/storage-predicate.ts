import type { RowExpr, ScalarKernel } from '../flux/execute/row-expr.js';
import type { Value } from '../flux/values/value.js';
import type { Predicate } from '../storage/storage.js';

/**
 * Translates a filter body (in the interpreter's row-expression IR) to a storage predicate, or
 * undefined when it reads anything storage cannot test per series: `_value`, `_time`, other
 * `_`-columns, non-string literals, arithmetic, conditionals.
 *
 * Supported: `r.k == "v"`, `!=`, `=~ /re/`, `!~ /re/` (either operand order for `==`/`!=`),
 * `contains(value: r.k, set: ["v1", …])` (Grafana's multi-value variables), `and`, `or`, `not`,
 * `true`, where `k` is `_measurement`, `_field` or a tag key; and, outside any `not`, a string test
 * of `_measurement` or `_field` with a pattern form (`strings.hasSuffix(v: r._field, suffix:
 * "_user")`, `hasPrefix`, `containsStr`: see ScalarKernel.pattern) when the pattern does not
 * match "". Those two columns are never null, so the regex is exact.
 *
 * Semantics note: storage compares a missing tag as "" (InfluxDB's push-down behaviour), while a
 * plain Flux filter sees null there (`null != "x"` drops the row). The two agree whenever the
 * tags a filter names exist on the series it reads, which is how InfluxDB behaves too.
 */
export function storagePredicate(e: RowExpr): Predicate | undefined {
  return translate(e, false, undefined);
}

/**
 * For a filter body `storagePredicate` cannot translate: a predicate keeping at least every series
 * the body can keep a row of (or fail on), when it narrows the read at all, else undefined. The
 * filter itself must still run over the series read. It adds string tests of tags: a tag's
 * pattern or the tag missing (Flux's call fails on the null a missing tag gives, and so must the
 * filter here), e.g. `strings.hasPrefix(v: r.host, prefix: "web")` → `host =~ /^web/ or host == ""`.
 */
export function narrowingPredicate(e: RowExpr): Predicate | undefined {
  const widened = { used: false };
  const p = translate(e, false, widened);
  return widened.used ? p : undefined;
}

/**
 * `negated`: whether `e` is under an odd number of `not`s (where a superset would turn into a
 * subset: no widened test there). `widen`: allows string tests of tags, as a superset; set `used`.
 */
function translate(e: RowExpr, negated: boolean, widen: { used: boolean } | undefined): Predicate | undefined {
  switch (e.kind) {
    case 'literal':
      return e.value.kind === 'bool' && e.value.value ? { kind: 'true' } : undefined;
    case 'unary': {
      if (e.op !== 'not') return undefined;
      const operand = translate(e.operand, !negated, widen);
      return operand === undefined ? undefined : { kind: 'not', operand };
    }
    case 'binary':
      return binary(e.op, e.left, e.right, negated, widen);
    case 'in':
      return membership(e.value, e.set);
    case 'call':
      return negated ? undefined : stringTest(e.kernel, e.args, widen);
    default:
      return undefined;
  }
}

/** A string test of a series column against literals, as the regex its kernel gives (see above). */
function stringTest(kernel: ScalarKernel, args: readonly RowExpr[], widen: { used: boolean } | undefined): Predicate | undefined {
  const [subject, ...rest] = args;
  if (kernel.pattern === undefined || kernel.result !== 'bool' || subject === undefined) return undefined;
  const key = seriesColumn(subject);
  if (key === undefined) return undefined;
  const literals: string[] = [];
  for (const a of rest) {
    if (a.kind !== 'literal' || a.value.kind !== 'string') return undefined;
    literals.push(a.value.value);
  }
  const pattern = kernel.pattern(literals);
  if (pattern === undefined || pattern.test('')) return undefined;
  const matches: Predicate = { kind: 'regex', key, op: '=~', pattern };
  if (key === '_measurement' || key === '_field') return matches;
  if (widen === undefined) return undefined;
  widen.used = true;
  return { kind: 'or', left: matches, right: { kind: 'compare', key, op: '==', value: '' } };
}

function binary(op: string, left: RowExpr, right: RowExpr, negated: boolean, widen: { used: boolean } | undefined): Predicate | undefined {
  if (op === 'and' || op === 'or') {
    const l = translate(left, negated, widen);
    const r = translate(right, negated, widen);
    return l === undefined || r === undefined ? undefined : { kind: op, left: l, right: r };
  }
  if (op === '==' || op === '!=') {
    let col = seriesColumn(left);
    let lit = right;
    if (col === undefined) {
      col = seriesColumn(right);
      lit = left;
    }
    if (col === undefined || lit.kind !== 'literal' || lit.value.kind !== 'string') return undefined;
    return { kind: 'compare', key: col, op, value: lit.value.value };
  }
  if (op === '=~' || op === '!~') {
    const col = seriesColumn(left);
    if (col === undefined || right.kind !== 'literal' || right.value.kind !== 'regexp') return undefined;
    return { kind: 'regex', key: col, op, pattern: right.value.regex };
  }
  return undefined;
}

/**
 * `contains(value: r.k, set: [...])` of strings: `r.k == s1 or r.k == s2 …`. Not with "" in the
 * set (storage reads a missing tag as "", Flux as null, which is in no set) nor an empty set.
 */
function membership(value: RowExpr, set: readonly Value[]): Predicate | undefined {
  const key = seriesColumn(value);
  if (key === undefined || set.length === 0) return undefined;
  const equalities: Predicate[] = [];
  for (const v of set) {
    if (v.kind === 'null') continue;
    if (v.kind !== 'string' || v.value === '') return undefined;
    equalities.push({ kind: 'compare', key, op: '==', value: v.value });
  }
  return anyOf(equalities, 0, equalities.length);
}

/** `ps[from] or … or ps[to - 1]` as a balanced tree: a set of thousands stays shallow. */
function anyOf(ps: readonly Predicate[], from: number, to: number): Predicate | undefined {
  if (to - from <= 0) return undefined;
  if (to - from === 1) return ps[from];
  const mid = (from + to) >>> 1;
  return { kind: 'or', left: anyOf(ps, from, mid)!, right: anyOf(ps, mid, to)! };
}

/** The label when `e` reads a column that identifies a series (measurement, field, tag). */
function seriesColumn(e: RowExpr): string | undefined {
  if (e.kind !== 'column') return undefined;
  const l = e.label;
  if (l === '_measurement' || l === '_field') return l;
  return l.startsWith('_') ? undefined : l;
}

/**
 * Splits a filter body into its top-level `and` conjuncts, so the translatable ones can be
 * pushed down even when another one (`r._value > 1.0`) cannot.
 */
export function conjuncts(e: RowExpr): RowExpr[] {
  if (e.kind === 'binary' && e.op === 'and') return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}
