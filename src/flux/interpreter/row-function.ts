import type { RowExpr } from '../execute/row-expr.js';
import type { Expression } from '../syntax/ast.js';
import { durationOfParts } from './duration-literal.js';
import {
  FALSE,
  TRUE,
  durationValue,
  floatValue,
  intValue,
  regexpValue,
  stringValue,
  timeValue,
  type FunctionValue,
  type Value,
} from '../values/value.js';
import type { ScalarFunction } from './builtin.js';
import { Closure } from './compile.js';
import { compileRegexp } from './regexp.js';

/**
 * What a row function's body means, when it is simple enough to run as column kernels instead of
 * being evaluated per row: a row expression (`filter`), or a record of row expressions (`map`),
 * possibly extending the row (`{r with …}`).
 */
export type RowFunctionIR =
  | { readonly kind: 'expr'; readonly expr: RowExpr }
  | { readonly kind: 'record'; readonly fields: readonly { label: string; expr: RowExpr }[]; readonly extendsRow: boolean };

/**
 * Translates a Flux function `(r) => <body>` into the row-expression IR of src/flux/execute, or
 * undefined when the body uses anything the IR does not have (calls, records of records, …).
 * Free identifiers are read from the function's scope now (Flux variables are immutable).
 */
export function rowFunctionIR(fn: FunctionValue): RowFunctionIR | undefined {
  if (!(fn instanceof Closure) || fn.params.length !== 1) return undefined;
  const param = fn.params[0]!.name;
  const body = returnedExpression(fn);
  if (body === undefined) return undefined;
  const t = new Translator(param, fn);
  if (body.kind === 'RecordExpression') {
    if (body.with !== null && body.with.name !== param) return undefined;
    const fields = recordFields(body, t);
    return fields === undefined ? undefined : { kind: 'record', fields, extendsRow: body.with !== null };
  }
  const expr = t.expr(body);
  return expr === undefined ? undefined : { kind: 'expr', expr };
}

/** The expression a function returns: its body, or a block's only statement, unparenthesised. */
function returnedExpression(fn: Closure): Expression | undefined {
  let body = fn.node.body;
  if (body.kind === 'Block') {
    if (body.body.length !== 1 || body.body[0]!.kind !== 'ReturnStatement') return undefined;
    body = body.body[0].argument;
  }
  while (body.kind === 'ParenExpression') body = body.expression;
  return body;
}

/** A record expression's fields as row expressions, or undefined when one does not translate. */
function recordFields(body: Extract<Expression, { kind: 'RecordExpression' }>, t: Translator): { label: string; expr: RowExpr }[] | undefined {
  const fields: { label: string; expr: RowExpr }[] = [];
  for (const p of body.properties) {
    const label = p.key.kind === 'Identifier' ? p.key.name : p.key.value;
    const expr = t.expr(p.value ?? (p.key.kind === 'Identifier' ? p.key : undefined));
    if (expr === undefined) return undefined;
    fields.push({ label, expr });
  }
  return fields;
}

/**
 * `reduce`'s `(r, accumulator) => ({…})` as row expressions over the row and the accumulator's
 * fields (`accumulator.x` is a `state` read), one per field of the returned record (which may
 * extend the accumulator: `{accumulator with …}`); undefined when the body is anything else.
 */
export function reduceFunctionIR(fn: FunctionValue): { readonly fields: readonly { label: string; expr: RowExpr }[]; readonly extendsState: boolean } | undefined {
  if (!(fn instanceof Closure) || fn.params.length !== 2) return undefined;
  const names = fn.params.map((p) => p.name);
  if (!names.includes('r') || !names.includes('accumulator')) return undefined;
  const body = returnedExpression(fn);
  if (body?.kind !== 'RecordExpression') return undefined;
  if (body.with !== null && body.with.name !== 'accumulator') return undefined;
  const fields = recordFields(body, new Translator('r', fn, 'accumulator'));
  if (fields === undefined) return undefined;
  return { fields, extendsState: body.with !== null };
}

class Translator {
  constructor(
    readonly param: string,
    readonly fn: Closure,
    /** A second parameter whose members are `state` reads (reduce's accumulator). */
    readonly stateParam?: string,
  ) {}

  expr(e: Expression | undefined): RowExpr | undefined {
    if (e === undefined) return undefined;
    switch (e.kind) {
      case 'ParenExpression':
        return this.expr(e.expression);
      case 'MemberExpression': {
        if (e.object.kind === 'Identifier' && e.object.name === this.stateParam) {
          return { kind: 'state', label: e.property.kind === 'Identifier' ? e.property.name : e.property.value };
        }
        if (e.object.kind !== 'Identifier' || e.object.name !== this.param) return this.free(e);
        const label = e.property.kind === 'Identifier' ? e.property.name : e.property.value;
        return { kind: 'column', label };
      }
      case 'Identifier': {
        if (e.name === this.param || e.name === this.stateParam) return undefined;
        return this.free(e);
      }
      case 'IntegerLiteral':
        return lit(intValue(e.value));
      case 'FloatLiteral':
        return lit(floatValue(e.value));
      case 'StringLiteral':
        return lit(stringValue(e.value));
      case 'DurationLiteral':
        return lit(durationValue(durationOfParts(e.values)));
      case 'DateTimeLiteral':
        return lit(timeValue(e.value));
      case 'RegexpLiteral':
        try {
          return lit(regexpValue(e.value, compileRegexp(e.value)));
        } catch {
          return undefined;
        }
      case 'BinaryExpression': {
        if (e.operator === '%' || e.operator === '^' || e.operator === '<INVALID_OP>') return undefined;
        const left = this.expr(e.left);
        const right = this.expr(e.right);
        if (left === undefined || right === undefined) return undefined;
        return { kind: 'binary', op: e.operator, left, right };
      }
      case 'LogicalExpression': {
        const left = this.expr(e.left);
        const right = this.expr(e.right);
        if (left === undefined || right === undefined) return undefined;
        return { kind: 'binary', op: e.operator, left, right };
      }
      case 'UnaryExpression': {
        if (e.operator === '+') return this.expr(e.argument);
        const operand = this.expr(e.argument);
        return operand === undefined ? undefined : { kind: 'unary', op: e.operator, operand };
      }
      case 'CallExpression':
        return this.contains(e) ?? this.conversion(e) ?? this.scalarCall(e);
      case 'ConditionalExpression': {
        const test = this.expr(e.test);
        const consequent = this.expr(e.consequent);
        const alternate = this.expr(e.alternate);
        if (test === undefined || consequent === undefined || alternate === undefined) return undefined;
        return { kind: 'conditional', test, consequent, alternate };
      }
      default:
        return undefined;
    }
  }

  /**
   * `contains(value: e, set: s)` of universe's builtin (not a function of that name the script
   * defines), with `s` an array literal of literals or a free variable holding an array.
   */
  contains(e: Extract<Expression, { kind: 'CallExpression' }>): RowExpr | undefined {
    if (e.callee.kind !== 'Identifier' || e.callee.name !== 'contains' || e.arguments === null) return undefined;
    const callee = this.fn.scope.lookup('contains');
    if (callee === undefined || callee.kind !== 'function' || callee instanceof Closure || callee.name !== 'contains') return undefined;
    let valueArg: Expression | undefined;
    let setArg: Expression | undefined;
    for (const p of e.arguments.properties) {
      const label = p.key.kind === 'Identifier' ? p.key.name : p.key.value;
      const v = p.value ?? (p.key.kind === 'Identifier' ? p.key : undefined);
      if (label === 'value') valueArg = v;
      else if (label === 'set') setArg = v;
      else return undefined;
    }
    if (valueArg === undefined || setArg === undefined || e.arguments.with !== null) return undefined;
    const value = this.expr(valueArg);
    if (value === undefined) return undefined;
    let set: Value[];
    if (setArg.kind === 'ArrayExpression') {
      set = [];
      for (const x of setArg.elements) {
        const lit = this.expr(x);
        if (lit === undefined || lit.kind !== 'literal') return undefined;
        set.push(lit.value);
      }
    } else {
      const v = this.value(setArg);
      if (v === undefined || v.kind !== 'array') return undefined;
      set = [...v.elements];
    }
    return { kind: 'in', value, set };
  }

  /** `float(v: e)`, `int(v: e)`, `uint(v: e)` or `string(v: e)` of universe's builtins. */
  conversion(e: Extract<Expression, { kind: 'CallExpression' }>): RowExpr | undefined {
    if (e.callee.kind !== 'Identifier' || e.arguments === null || e.arguments.with !== null) return undefined;
    const to = e.callee.name;
    if (to !== 'float' && to !== 'int' && to !== 'uint' && to !== 'string') return undefined;
    const callee = this.fn.scope.lookup(to);
    if (callee === undefined || callee.kind !== 'function' || callee instanceof Closure || callee.name !== to) return undefined;
    const [p, ...rest] = e.arguments.properties;
    if (p === undefined || rest.length > 0) return undefined;
    if ((p.key.kind === 'Identifier' ? p.key.name : p.key.value) !== 'v') return undefined;
    const operand = this.expr(p.value ?? p.key);
    return operand === undefined ? undefined : { kind: 'convert', to, operand };
  }

  /** A call of a builtin with a scalar form (`strings.hasPrefix(v: r.host, prefix: "a")`). */
  scalarCall(e: Extract<Expression, { kind: 'CallExpression' }>): RowExpr | undefined {
    if (e.arguments === null || e.arguments.with !== null) return undefined;
    const callee = this.value(e.callee);
    const kernel = callee?.kind === 'function' ? (callee as ScalarFunction).scalar : undefined;
    if (kernel === undefined) return undefined;
    const given = new Map<string, Expression>();
    for (const p of e.arguments.properties) {
      const label = p.key.kind === 'Identifier' ? p.key.name : p.key.value;
      given.set(label, p.value ?? p.key);
    }
    if (given.size !== kernel.params.length) return undefined;
    const args: RowExpr[] = [];
    for (const name of kernel.params) {
      const x = given.get(name);
      const a = x === undefined ? undefined : this.expr(x);
      if (a === undefined) return undefined;
      args.push(a);
    }
    return { kind: 'call', kernel, args };
  }

  /** A free variable (or member of one): its current value, if it is a plain basic value. */
  free(e: Expression): RowExpr | undefined {
    const v = this.value(e);
    if (v === undefined) return undefined;
    switch (v.kind) {
      case 'int':
      case 'uint':
      case 'float':
      case 'string':
      case 'bool':
      case 'time':
      case 'duration':
      case 'regexp':
      case 'null':
        return lit(v);
      default:
        return undefined;
    }
  }

  value(e: Expression): Value | undefined {
    if (e.kind === 'Identifier') {
      if (e.name === 'true') return TRUE;
      if (e.name === 'false') return FALSE;
      return this.fn.scope.lookup(e.name);
    }
    if (e.kind === 'MemberExpression') {
      if (e.object.kind === 'Identifier' && (e.object.name === this.param || e.object.name === this.stateParam)) return undefined;
      const o = this.value(e.object);
      if (o === undefined || o.kind !== 'record') return undefined;
      return o.fields.get(e.property.kind === 'Identifier' ? e.property.name : e.property.value);
    }
    return undefined;
  }
}

const lit = (value: Value): RowExpr => ({ kind: 'literal', value });
