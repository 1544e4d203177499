import type { RowExpr } from '../../execute/row-expr.js';
import { CallError } from '../../interpreter/index.js';
import { rowFunctionIR } from '../../interpreter/row-function.js';
import type { FunctionValue } from '../../values/value.js';
import type { SeriesPredicate } from './series-source.js';

/**
 * A `predicate: (r) => ...` argument (cardinality, and filter push-down) as a series predicate:
 * comparisons of `r.<tag>`, `r._measurement` or `r._field` with string literals or regexps,
 * combined with and/or/not. Anything else (value or time conditions, calls) cannot be evaluated
 * on series keys and is rejected, as InfluxDB rejects it for storage predicates.
 */
export function predicateOf(fn: FunctionValue): SeriesPredicate {
  const ir = rowFunctionIR(fn);
  const p = ir?.kind === 'expr' ? toPredicate(ir.expr) : undefined;
  if (p === undefined) throw new CallError('predicate must compare tags, _measurement or _field with strings or regular expressions');
  return p;
}

/** The series predicate of a row expression, or undefined when it is not one. */
export function toPredicate(e: RowExpr): SeriesPredicate | undefined {
  switch (e.kind) {
    case 'literal':
      return e.value.kind === 'bool' && e.value.value ? { kind: 'true' } : undefined;
    case 'unary': {
      if (e.op !== 'not') return undefined;
      const operand = toPredicate(e.operand);
      return operand === undefined ? undefined : { kind: 'not', operand };
    }
    case 'binary': {
      if (e.op === 'and' || e.op === 'or') {
        const left = toPredicate(e.left);
        const right = toPredicate(e.right);
        return left === undefined || right === undefined ? undefined : { kind: e.op, left, right };
      }
      const [col, lit] = e.left.kind === 'column' ? [e.left, e.right] : [e.right, e.left];
      if (col.kind !== 'column' || lit.kind !== 'literal' || col.label === '_value' || col.label === '_time') return undefined;
      const v = lit.value;
      if ((e.op === '==' || e.op === '!=') && v.kind === 'string') return { kind: 'compare', key: col.label, op: e.op, value: v.value };
      if ((e.op === '=~' || e.op === '!~') && v.kind === 'regexp' && e.left === col) {
        return { kind: 'regex', key: col.label, op: e.op, pattern: v.regex };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
