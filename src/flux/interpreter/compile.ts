import type {
  Block,
  CallExpression,
  Expression,
  FunctionExpression,
  Property,
  SourceLocation,
  Statement,
} from '../syntax/ast.js';
import { functionType, T, type FunctionParameter } from '../values/mono-type.js';
import { dictValue } from '../values/dict-value.js';
import { formatFixedTime, stringOf } from '../values/format-value.js';
import {
  FALSE,
  NULL,
  TRUE,
  arrayValue,
  durationValue,
  floatValue,
  intValue,
  regexpValue,
  stringValue,
  timeValue,
  typeOf,
  type FunctionValue,
  type RecordValue,
  type Value,
} from '../values/value.js';
import { durationOfParts } from './duration-literal.js';
import { recordWithFields } from '../execute/row-record.js';
import { isLocatedFunction, pipeParameter } from './builtin.js';
import { CallError, FluxError, atCall } from './flux-error.js';
import { binaryOp, unaryOp } from './operators.js';
import { compileRegexp } from './regexp.js';
import { Scope } from './scope.js';
import { anchorShapes } from '../../core/shape-anchors.js';
import { parseExpression } from '../syntax/parser.js';

/**
 * The evaluator. Each AST node is compiled once into a JS closure `(scope) => value`, which is
 * then run as often as needed (a row function runs once per row). Evaluation is synchronous
 * unless something awaits (a builtin doing I/O, `tableFind` reading a stream): closures return
 * `Value | Promise<Value>` and only switch to promises where one actually appears, so row
 * functions over plain values never touch the microtask queue.
 */
export type MaybeValue = Value | Promise<Value>;
export type Compiled = (scope: Scope) => MaybeValue;

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return v instanceof Promise;
}

function then(v: MaybeValue, f: (v: Value) => MaybeValue): MaybeValue {
  return isPromise(v) ? v.then(f) : f(v);
}

/** Evaluates closures in order; synchronous while every result is. */
function evalAll(cs: readonly Compiled[], scope: Scope): Value[] | Promise<Value[]> {
  const out: Value[] = new Array<Value>(cs.length);
  for (let i = 0; i < cs.length; i++) {
    const v = cs[i]!(scope);
    if (isPromise(v)) return finishAsync(cs, scope, out, i, v);
    out[i] = v;
  }
  return out;
}

async function finishAsync(cs: readonly Compiled[], scope: Scope, out: Value[], i: number, pending: Promise<Value>): Promise<Value[]> {
  out[i] = await pending;
  for (let j = i + 1; j < cs.length; j++) out[j] = await cs[j]!(scope);
  return out;
}

function fail(message: string, loc: SourceLocation): never {
  throw new FluxError(message, { loc });
}

/** What a block or function body evaluates to: the value of its `return`. */
type BlockRunner = (scope: Scope) => MaybeValue;

/**
 * Compiles expressions to closures. Stateless: a compiled closure depends only on its AST node,
 * never on an execution, so one closure serves every execution of the same AST (see
 * `runStatements`, which caches them per node).
 */
export class Compiler {

  expr(node: Expression): Compiled {
    switch (node.kind) {
      case 'Identifier': {
        const name = node.name;
        const loc = node.loc;
        return (s) => s.lookup(name) ?? fail(`undefined identifier ${name}`, loc);
      }
      case 'IntegerLiteral': {
        const v = intValue(node.value);
        return () => v;
      }
      case 'FloatLiteral': {
        const v = floatValue(node.value);
        return () => v;
      }
      case 'StringLiteral': {
        const v = stringValue(node.value);
        return () => v;
      }
      case 'StringExpression': {
        const parts = node.parts.map((p): Compiled => {
          if (p.kind === 'TextPart') {
            const v = stringValue(p.value);
            return () => v;
          }
          const inner = this.expr(p.expression);
          const loc = p.loc;
          return (s) =>
            then(inner(s), (v) => {
              if (v.kind === 'null') return stringValue('');
              // Times interpolate with all nine fraction digits, as Flux prints them.
              if (v.kind === 'time') return stringValue(formatFixedTime(v.value));
              try {
                return stringValue(stringOf(v));
              } catch {
                return fail(`expected a stringable value in string interpolation, got ${v.kind}`, loc);
              }
            });
        });
        return (s) => {
          const vs = evalAll(parts, s);
          const join = (xs: Value[]): Value => stringValue(xs.map((x) => (x as { value: string }).value).join(''));
          return isPromise(vs) ? vs.then(join) : join(vs);
        };
      }
      case 'RegexpLiteral': {
        let v: Value;
        try {
          v = regexpValue(node.value, compileRegexp(node.value));
        } catch (e) {
          return fail((e as Error).message, node.loc);
        }
        return () => v;
      }
      case 'DurationLiteral': {
        const v = durationValue(durationOfParts(node.values));
        return () => v;
      }
      case 'DateTimeLiteral': {
        const v = timeValue(node.value);
        return () => v;
      }
      case 'ArrayExpression': {
        const elems = node.elements.map((e) => this.expr(e));
        const loc = node.loc;
        return (s) => {
          const vs = evalAll(elems, s);
          const make = (xs: Value[]): Value => {
            checkHomogeneous(xs, loc);
            return arrayValue(xs);
          };
          return isPromise(vs) ? vs.then(make) : make(vs);
        };
      }
      case 'DictExpression': {
        const keys = node.elements.map((e) => this.expr(e.key));
        const vals = node.elements.map((e) => this.expr(e.value));
        const loc = node.loc;
        return (s) => {
          const all = evalAll([...keys, ...vals], s);
          const make = (xs: Value[]): Value => {
            const n = keys.length;
            const entries: [Value, Value][] = [];
            for (let i = 0; i < n; i++) entries.push([xs[i]!, xs[n + i]!]);
            try {
              const k0 = entries[0];
              return dictValue(k0 === undefined ? T.null : typeOf(k0[0]), k0 === undefined ? T.null : typeOf(k0[1]), entries);
            } catch (e) {
              return fail((e as Error).message, loc);
            }
          };
          return isPromise(all) ? all.then(make) : make(all);
        };
      }
      case 'RecordExpression':
        return this.#record(node.with === null ? null : this.expr(node.with), node.properties, node.with?.loc);
      case 'FunctionExpression':
        return this.#function(node);
      case 'CallExpression':
        return this.#call(node, null);
      case 'PipeExpression':
        return this.#call(node.call, this.expr(node.argument));
      case 'MemberExpression': {
        const obj = this.expr(node.object);
        const name = node.property.kind === 'Identifier' ? node.property.name : node.property.value;
        const loc = node.loc;
        return (s) => then(obj(s), (o) => member(o, name, loc));
      }
      case 'IndexExpression': {
        const arr = this.expr(node.array);
        const idx = this.expr(node.index);
        const loc = node.loc;
        return (s) =>
          then(arr(s), (a) =>
            then(idx(s), (i) => {
              if (a.kind !== 'array') return fail(`cannot index into a value of type ${a.kind}`, loc);
              if (i.kind !== 'int') return fail(`array index must be an int, got ${i.kind}`, loc);
              const n = Number(i.value);
              if (n < 0 || n >= a.elements.length) {
                return fail(`cannot access element ${n} of array of length ${a.elements.length}`, loc);
              }
              return a.elements[n]!;
            }),
          );
      }
      case 'BinaryExpression': {
        const l = this.expr(node.left);
        const r = this.expr(node.right);
        const op = node.operator;
        const loc = node.loc;
        const apply = (a: Value, b: Value): Value => {
          try {
            return binaryOp(op, a, b);
          } catch (e) {
            return fail((e as Error).message, loc);
          }
        };
        return (s) => {
          const a = l(s);
          const b = r(s);
          if (isPromise(a) || isPromise(b)) return Promise.all([a, b]).then(([x, y]) => apply(x, y));
          return apply(a, b);
        };
      }
      case 'UnaryExpression': {
        const arg = this.expr(node.argument);
        const op = node.operator;
        const loc = node.loc;
        return (s) =>
          then(arg(s), (v) => {
            try {
              return unaryOp(op, v);
            } catch (e) {
              return fail((e as Error).message, loc);
            }
          });
      }
      case 'LogicalExpression': {
        // Three-valued logic, as Flux: null and false = false, null or true = true, otherwise a
        // null operand gives null. The right side is evaluated only when it can decide.
        const l = this.expr(node.left);
        const r = this.expr(node.right);
        const isAnd = node.operator === 'and';
        const loc = node.loc;
        const check = (v: Value, side: string): Value => {
          if (v.kind !== 'null' && v.kind !== 'bool') return fail(`${side} operand of "${node.operator}" must be bool, got ${v.kind}`, loc);
          return v;
        };
        const decisive = isAnd ? FALSE : TRUE;
        return (s) =>
          then(l(s), (a) => {
            check(a, 'left');
            if (a === decisive || (a.kind === 'bool' && a.value === !isAnd)) return decisive;
            return then(r(s), (b) => {
              check(b, 'right');
              if (b.kind === 'bool' && b.value === !isAnd) return decisive;
              return a.kind === 'null' || b.kind === 'null' ? NULL : b;
            });
          });
      }
      case 'ConditionalExpression': {
        const test = this.expr(node.test);
        const yes = this.expr(node.consequent);
        const no = this.expr(node.alternate);
        const loc = node.test.loc;
        return (s) =>
          then(test(s), (t) => {
            if (t.kind === 'null') return no(s);
            if (t.kind !== 'bool') return fail(`if condition must be bool, got ${t.kind}`, loc);
            return t.value ? yes(s) : no(s);
          });
      }
      case 'ParenExpression':
        return this.expr(node.expression);
      case 'LabelLiteral': {
        const v = stringValue(node.value);
        return () => v;
      }
      case 'PipeLiteral':
        return fail('pipe literal "<-" is only allowed as a parameter default', node.loc);
      case 'BadExpression':
        return fail(`invalid expression: ${node.text}`, node.loc);
    }
  }

  #record(base: Compiled | null, props: readonly Property[], baseLoc: SourceLocation | undefined): Compiled {
    const names = props.map((p) => (p.key.kind === 'Identifier' ? p.key.name : p.key.value));
    const values = props.map((p) => (p.value === null ? this.expr(p.key as Expression) : this.expr(p.value)));
    const unique = new Set(names).size === names.length;
    const make = (b: Value | null, xs: Value[]): Value => {
      if (b !== null && b.kind !== 'record') return fail(`cannot extend a value of type ${b.kind} with "with"`, baseLoc!);
      // `{r with …}` over a table row: keep the row by reference and override only the new labels
      // (no copy of every column per row); `names` is the same array for every row.
      if (b !== null && unique) return recordWithFields(b, names, xs);
      const fields = b === null ? new Map<string, Value>() : new Map(b.fields);
      for (let i = 0; i < names.length; i++) fields.set(names[i]!, xs[i]!);
      return { kind: 'record', fields };
    };
    return (s) => {
      const b = base === null ? null : base(s);
      const xs = evalAll(values, s);
      if (isPromise(b) || isPromise(xs)) return Promise.all([b, xs]).then(([bb, xx]) => make(bb, xx));
      return make(b, xs);
    };
  }

  #function(node: FunctionExpression): Compiled {
    const params = node.params.map((p) => {
      const name = p.key.kind === 'Identifier' ? p.key.name : p.key.value;
      const isPipe = p.value !== null && p.value.kind === 'PipeLiteral';
      return { name, pipe: isPipe, fallback: p.value === null || isPipe ? null : this.expr(p.value) };
    });
    const body: BlockRunner = node.body.kind === 'Block' ? this.block(node.body) : this.expr(node.body);
    const type = functionType(
      params.map(
        (p): FunctionParameter => ({
          name: p.name,
          type: T.null,
          ...(p.fallback !== null ? { optional: true } : {}),
          ...(p.pipe ? { pipe: true } : {}),
        }),
      ),
      T.null,
    );
    return (scope) => new Closure(params, body, scope, type, node);
  }

  #call(node: CallExpression, pipe: Compiled | null): Compiled {
    const callee = this.expr(node.callee);
    const props = node.arguments?.properties ?? [];
    const names = props.map((p) => (p.key.kind === 'Identifier' ? p.key.name : p.key.value));
    const values = props.map((p) => (p.value === null ? this.expr(p.key as Expression) : this.expr(p.value)));
    const loc = node.loc;
    const calleeName = node.callee.kind === 'Identifier' ? node.callee.name : node.callee.kind === 'MemberExpression' ? (node.callee.property.kind === 'Identifier' ? node.callee.property.name : node.callee.property.value) : '';
    const invoke = (f: Value, piped: Value | null, xs: Value[]): MaybeValue => {
      if (f.kind !== 'function') return fail(`cannot call a value of type ${f.kind}`, loc);
      const args = new Map<string, Value>();
      for (let i = 0; i < names.length; i++) args.set(names[i]!, xs[i]!);
      if (piped !== null) {
        const p = pipeParameter(f.type);
        if (p === undefined) return fail(`function "${f.name || calleeName}" does not take a pipe argument`, loc);
        args.set(p, piped);
      }
      const name = f.name || calleeName;
      let r: MaybeValue;
      try {
        r = isLocatedFunction(f) ? f.callAt(args, loc) : f.call(args);
      } catch (e) {
        throw atCall(e, loc, name);
      }
      return isPromise(r) ? r.catch((e: unknown) => Promise.reject(atCall(e, loc, name))) : r;
    };
    return (s) => {
      const piped = pipe === null ? null : pipe(s);
      const f = callee(s);
      const xs = evalAll(values, s);
      if (isPromise(piped) || isPromise(f) || isPromise(xs)) {
        return Promise.all([f, piped, xs]).then(([ff, pp, xx]) => invoke(ff, pp, xx));
      }
      return invoke(f, piped, xs);
    };
  }

  /** Compiles a function body block: runs its statements, returns the `return` value. */
  block(node: Block): BlockRunner {
    const steps = node.body.map((st) => this.#blockStatement(st));
    return (outer) => {
      const scope = outer;
      const run = (i: number): MaybeValue => {
        for (; i < steps.length; i++) {
          const r = steps[i]!(scope);
          if (r === undefined) continue;
          if (isPromise(r)) {
            const next = i + 1;
            return r.then((v) => (v === CONTINUE ? run(next) : v));
          }
          if (r !== CONTINUE) return r;
        }
        return fail('function body has no return statement', node.loc);
      };
      return run(0);
    };
  }

  #blockStatement(st: Statement): (scope: Scope) => MaybeValue | undefined {
    switch (st.kind) {
      case 'ReturnStatement':
        return this.expr(st.argument);
      case 'VariableAssignment': {
        const init = this.expr(st.init);
        const name = st.id.name;
        return (s) => {
          const v = init(s);
          if (isPromise(v)) {
            return v.then((x) => {
              s.set(name, x);
              return CONTINUE;
            });
          }
          s.set(name, v);
          return undefined;
        };
      }
      case 'ExpressionStatement': {
        const e = this.expr(st.expression);
        return (s) => {
          const v = e(s);
          return isPromise(v) ? v.then(() => CONTINUE) : undefined;
        };
      }
      default:
        return fail(`${st.kind} is not allowed in a function body`, st.loc);
    }
  }
}

/** Marker: a block statement finished asynchronously without returning. */
const CONTINUE: Value = Object.freeze({ kind: 'null', type: T.null }) as Value;

interface Param {
  readonly name: string;
  readonly pipe: boolean;
  readonly fallback: Compiled | null;
}

/** A Flux function literal closed over its defining scope. */
export class Closure implements FunctionValue {
  readonly kind = 'function';
  name = '';

  constructor(
    readonly params: readonly Param[],
    readonly body: BlockRunner,
    readonly scope: Scope,
    readonly type: FunctionValue['type'],
    /** The literal it was made from: lets filter/map compile simple bodies into column kernels. */
    readonly node: FunctionExpression,
  ) {}

  call(args: ReadonlyMap<string, Value>): MaybeValue {
    const s = new Scope(this.scope);
    for (const key of args.keys()) {
      if (!this.params.some((p) => p.name === key)) throw new CallError(`function does not take an argument "${key}"`);
    }
    let pending: Promise<void> | undefined;
    for (const p of this.params) {
      const v = args.get(p.name);
      if (v !== undefined) {
        s.set(p.name, v);
      } else if (p.fallback !== null) {
        if (pending !== undefined) {
          const fb = p.fallback;
          pending = pending.then(async () => s.set(p.name, await fb(s)));
          continue;
        }
        const d = p.fallback(s);
        if (isPromise(d)) pending = d.then((x) => s.set(p.name, x));
        else s.set(p.name, d);
      } else {
        throw new CallError(p.pipe ? `missing required argument ${p.name} (pipe argument)` : `missing required argument ${p.name}`);
      }
    }
    return pending === undefined ? this.body(s) : pending.then(() => this.body(s));
  }
}

/**
 * One closure (and its scope) kept alive keeps their maps (core/shape-anchors.ts): Flux function
 * literals (`fn: (r) => …`) become closures that live only while a query runs. Made from a parsed
 * literal by the compiler, as queries make them.
 */
function closureExemplar(): Closure {
  const made = new Compiler().expr(parseExpression('(r) => r').expression)(new Scope(null));
  if (!(made instanceof Closure)) throw new Error('unreachable: a function literal compiles to a Closure');
  return made;
}
anchorShapes(closureExemplar());

function member(o: Value, name: string, loc: SourceLocation): Value {
  if (o.kind === 'record') return o.fields.get(name) ?? NULL;
  return fail(`cannot access property "${name}" of a value of type ${o.kind}`, loc);
}

function checkHomogeneous(xs: readonly Value[], loc: SourceLocation): void {
  let kind: string | undefined;
  for (const x of xs) {
    if (x.kind === 'null') continue;
    if (kind === undefined) kind = x.kind;
    else if (x.kind !== kind) fail(`array elements must all have the same type: found ${kind} and ${x.kind}`, loc);
  }
}

/** Reads a record's field, for builtins (null when missing). */
export function field(r: RecordValue, name: string): Value {
  return r.fields.get(name) ?? NULL;
}


