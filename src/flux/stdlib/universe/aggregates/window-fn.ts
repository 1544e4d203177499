import { Closure, parseSignature, type BuiltinSpec } from '../../../interpreter/index.js';
import type { Expression, Property } from '../../../syntax/ast.js';
import type { FunctionValue } from '../../../values/value.js';
import { quantileKernel, type AggregateKernel } from './aggregate-kernels.js';
import { DEFAULT_COMPRESSION, quantile } from './quantile.js';

/**
 * aggregateWindow's `fn` when it is a known aggregate wrapped in a function of the column —
 * `(column, tables=<-) => tables |> quantile(q: 0.99, column: column)`, what Grafana's percentile
 * panels send, or `tables |> mean(column: column)` — as that aggregate's kernel; undefined for
 * anything else (which then runs as a Flux function per window, as before).
 *
 * Recognised: a function of exactly `column` and `tables=<-` whose body is `tables |> f(…)` (or
 * a block returning it), `f` being universe's builtin (the very function value, not a script's
 * own of that name), called with `column: column` and, for `quantile`, a float literal `q` in
 * [0, 1], an optional `method: "estimate_tdigest"` or `"exact_mean"` and an optional positive float
 * literal `compression` with the t-digest. Anything that could make the call fail or select rows
 * (`exact_selector`) is left to Flux, so errors stay its own.
 */
export function wrappedAggregate(fn: FunctionValue, aggregates: ReadonlyMap<string, { spec: BuiltinSpec; kernel: AggregateKernel }>): AggregateKernel | undefined {
  if (!(fn instanceof Closure)) return undefined;
  const params = fn.node.params;
  if (params.length !== 2) return undefined;
  const byName = new Map(params.map((p) => [labelOf(p), p]));
  const columnParam = byName.get('column');
  const tablesParam = byName.get('tables');
  if (columnParam === undefined || columnParam.value !== null || tablesParam?.value?.kind !== 'PipeLiteral') return undefined;
  let body: Expression | undefined = fn.node.body.kind === 'Block' ? undefined : fn.node.body;
  if (fn.node.body.kind === 'Block') {
    const stmts = fn.node.body.body;
    if (stmts.length === 1 && stmts[0]!.kind === 'ReturnStatement') body = stmts[0].argument;
  }
  while (body?.kind === 'ParenExpression') body = body.expression;
  if (body?.kind !== 'PipeExpression' || body.argument.kind !== 'Identifier' || body.argument.name !== 'tables') return undefined;
  const call = body.call;
  if (call.callee.kind !== 'Identifier' || call.arguments === null || call.arguments.with !== null) return undefined;
  const name = call.callee.name;
  const callee = fn.scope.lookup(name);
  if (callee === undefined || callee.kind !== 'function' || callee instanceof Closure) return undefined;
  const args = new Map(call.arguments.properties.map((p) => [labelOf(p), p.value]));
  const column = args.get('column');
  if (column?.kind !== 'Identifier' || column.name !== 'column') return undefined;
  args.delete('column');
  if (name === 'quantile') {
    if (callee.type !== parseSignature(quantile.signature)) return undefined;
    const q = args.get('q');
    const method = args.get('method');
    const compression = args.get('compression');
    args.delete('q');
    args.delete('method');
    args.delete('compression');
    if (args.size > 0 || q?.kind !== 'FloatLiteral' || !(q.value >= 0 && q.value <= 1)) return undefined;
    const m = method === undefined ? 'estimate_tdigest' : method?.kind === 'StringLiteral' ? method.value : undefined;
    if (m !== 'estimate_tdigest' && m !== 'exact_mean') return undefined;
    if (compression !== undefined && (m !== 'estimate_tdigest' || compression?.kind !== 'FloatLiteral' || !(compression.value > 0))) return undefined;
    const c = compression?.kind === 'FloatLiteral' ? compression.value : DEFAULT_COMPRESSION;
    return quantileKernel(q.value, m, c);
  }
  const a = aggregates.get(name);
  if (a === undefined || args.size > 0 || callee.type !== parseSignature(a.spec.signature)) return undefined;
  return a.kernel;
}

function labelOf(p: Property): string {
  return p.key.kind === 'Identifier' ? p.key.name : p.key.value;
}
