import { addDurationClamped, type Duration } from '../../core/duration.js';
import type { MonoType as AstMonoType, SourceLocation } from '../syntax/ast.js';
import { parse } from '../syntax/parser.js';
import type { ScalarKernel } from '../execute/row-expr.js';
import type { TableStream } from '../execute/table-stream.js';
import {
  T,
  arrayType,
  dictType,
  formatType,
  functionType,
  recordType,
  streamType,
  typeVariable,
  type FunctionParameter,
  type FunctionType,
  type MonoType,
} from '../values/mono-type.js';
import {
  typeOf,
  type ArrayValue,
  type DictValue,
  type FunctionValue,
  type RecordValue,
  type StreamValue,
  type Value,
} from '../values/value.js';
import type { ExecContext } from './context.js';
import { CallError, atCall } from './flux-error.js';
import { lazyStream } from './streams.js';

/**
 * A builtin function written in TypeScript. `signature` is the Flux type of the function, as
 * Flux's own stdlib declares it (`(<-tables: stream[A], fn: (r: A) => bool) => stream[A]`); it
 * gives the parameter names, which are optional (`?x`) and which receives the pipe (`<-x`), and
 * documents the types. The implementation reads arguments through `Args`.
 */
export interface BuiltinSpec {
  readonly signature: string;
  call(args: Args): Value | Promise<Value>;
  /**
   * The builtin's pure per-value form, when it cannot fail for non-null arguments: row functions
   * calling it compile to column kernels (see ScalarKernel). Must compute exactly what `call` does.
   */
  readonly scalar?: ScalarKernel;
  /**
   * A scalar form that depends on the execution (an option, such as `location` for the date
   * functions), asked for when a row function calling the builtin compiles; undefined when there
   * is none for the execution's state. Must compute exactly what `call` does without the
   * arguments the kernel omits.
   */
  readonly scalarIn?: (ctx: ExecContext) => ScalarKernel | undefined;
}

/** A builtin's function value, with its scalar form when it has one. */
export interface ScalarFunction extends FunctionValue {
  readonly scalar?: ScalarKernel;
}

/** A FunctionValue that can be told where it is called from (for error positions). */
export interface LocatedFunction extends FunctionValue {
  callAt(args: ReadonlyMap<string, Value>, loc: SourceLocation | undefined): Value | Promise<Value>;
}

export function isLocatedFunction(f: FunctionValue): f is LocatedFunction {
  return typeof (f as Partial<LocatedFunction>).callAt === 'function';
}

const signatureCache = new Map<string, FunctionType>();

/** Parses a Flux function type such as `(<-tables: stream[A], ?n: int) => stream[A]`. */
export function parseSignature(signature: string): FunctionType {
  const cached = signatureCache.get(signature);
  if (cached !== undefined) return cached;
  const { file, diagnostics } = parse(`builtin f : ${signature}`);
  const stmt = file.body[0];
  if (diagnostics.length > 0 || stmt === undefined || stmt.kind !== 'BuiltinStatement') {
    throw new Error(`bad builtin signature ${signature}: ${diagnostics.map((d) => d.message).join('; ')}`);
  }
  const t = toMonoType(stmt.type.monotype);
  if (t.kind !== 'function') throw new Error(`builtin signature is not a function type: ${signature}`);
  signatureCache.set(signature, t);
  return t;
}

function toMonoType(t: AstMonoType): MonoType {
  switch (t.kind) {
    case 'NamedType': {
      const n = t.name.name;
      return n in T ? T[n as keyof typeof T] : typeVariable(n);
    }
    case 'TvarType':
      return typeVariable(t.name.name);
    case 'ArrayType':
    case 'VectorType':
      return arrayType(toMonoType(t.element));
    case 'StreamType':
      return streamType(toMonoType(t.element));
    case 'DictType':
      return dictType(toMonoType(t.key), toMonoType(t.value));
    case 'DynamicType':
      return typeVariable('dynamic');
    case 'RecordType':
      return recordType(
        t.properties.map((p) => ({
          name: p.name.kind === 'Identifier' ? p.name.name : p.name.value,
          type: toMonoType(p.monotype),
        })),
        t.tvar?.name,
      );
    case 'FunctionType':
      return functionType(
        t.parameters.map(
          (p): FunctionParameter => ({
            name: p.name?.name ?? '<-',
            type: toMonoType(p.monotype),
            ...(p.mode === 'optional' ? { optional: true } : {}),
            ...(p.mode === 'pipe' ? { pipe: true } : {}),
          }),
        ),
        toMonoType(t.monotype),
      );
    default:
      return typeVariable('?');
  }
}

/** The name of the parameter that receives the pipe argument, if any. */
export function pipeParameter(type: FunctionType): string | undefined {
  return type.parameters.find((p) => p.pipe === true)?.name;
}

/** Makes the FunctionValue of a builtin for one execution. */
export function makeBuiltin(name: string, spec: BuiltinSpec, ctx: ExecContext): LocatedFunction {
  const type = parseSignature(spec.signature);
  const fn: LocatedFunction & ScalarFunction = {
    kind: 'function',
    name,
    type,
    call: (args) => fn.callAt(args, undefined),
    callAt(args, loc) {
      checkArguments(name, type, args);
      return spec.call(new Args(name, args, ctx, loc));
    },
    ...(spec.scalar === undefined ? {} : { scalar: spec.scalar }),
  };
  const scalarIn = spec.scalarIn;
  if (scalarIn !== undefined) {
    // Read when a row function compiles, after the script's options are set.
    Object.defineProperty(fn, 'scalar', { get: () => scalarIn(ctx), enumerable: true });
  }
  return fn;
}

/** Flux's checks of named arguments against a signature (reported at the call). */
export function checkArguments(name: string, type: FunctionType, args: ReadonlyMap<string, Value>): void {
  for (const key of args.keys()) {
    if (!type.parameters.some((p) => p.name === key)) {
      throw new CallError(`function "${name}" does not take an argument "${key}"`);
    }
  }
  for (const p of type.parameters) {
    if (p.optional !== true && !args.has(p.name)) {
      throw new CallError(p.pipe === true ? `missing required argument ${p.name} (pipe argument)` : `missing required argument ${p.name}`);
    }
  }
}

/**
 * The arguments of one builtin call, with typed accessors that fail with a clear message naming
 * the argument. `loc` is the call's position (when known) for errors raised later, while the
 * returned stream is being read.
 */
export class Args {
  constructor(
    readonly fnName: string,
    readonly map: ReadonlyMap<string, Value>,
    readonly ctx: ExecContext,
    readonly loc: SourceLocation | undefined,
  ) {}

  has(name: string): boolean {
    const v = this.map.get(name);
    return v !== undefined;
  }

  /** The argument, or undefined when not given. An explicit `null` counts as given. */
  get(name: string): Value | undefined {
    return this.map.get(name);
  }

  value(name: string): Value {
    const v = this.map.get(name);
    if (v === undefined) throw new CallError(`missing required argument ${name}`);
    return v;
  }

  error(message: string): CallError {
    return new CallError(message);
  }

  #typed<K extends Value['kind']>(name: string, kind: K): Extract<Value, { kind: K }> {
    const v = this.value(name);
    if (v.kind !== kind) throw this.#wrongType(name, kind, v);
    return v as Extract<Value, { kind: K }>;
  }

  #wrongType(name: string, want: string, v: Value): CallError {
    return new CallError(`argument ${name}: expected ${want}, got ${formatType(typeOf(v))}`);
  }

  string(name: string): string {
    return this.#typed(name, 'string').value;
  }
  optString(name: string): string | undefined {
    const v = this.map.get(name);
    return v === undefined || v.kind === 'null' ? undefined : this.string(name);
  }
  stringOr(name: string, fallback: string): string {
    return this.optString(name) ?? fallback;
  }

  int(name: string): bigint {
    return this.#typed(name, 'int').value;
  }
  optInt(name: string): bigint | undefined {
    const v = this.map.get(name);
    return v === undefined || v.kind === 'null' ? undefined : this.int(name);
  }
  intOr(name: string, fallback: bigint): bigint {
    return this.optInt(name) ?? fallback;
  }

  float(name: string): number {
    return this.#typed(name, 'float').value;
  }
  optFloat(name: string): number | undefined {
    const v = this.map.get(name);
    return v === undefined || v.kind === 'null' ? undefined : this.float(name);
  }

  /** An int, uint or float argument as a JS number. */
  number(name: string): number {
    const v = this.value(name);
    if (v.kind === 'float') return v.value;
    if (v.kind === 'int' || v.kind === 'uint') return Number(v.value);
    throw this.#wrongType(name, 'number', v);
  }

  bool(name: string): boolean {
    return this.#typed(name, 'bool').value;
  }
  boolOr(name: string, fallback: boolean): boolean {
    const v = this.map.get(name);
    return v === undefined || v.kind === 'null' ? fallback : this.bool(name);
  }

  duration(name: string): Duration {
    return this.#typed(name, 'duration').value;
  }
  optDuration(name: string): Duration | undefined {
    const v = this.map.get(name);
    return v === undefined || v.kind === 'null' ? undefined : this.duration(name);
  }

  /**
   * A time argument. As in Flux's `range`, a duration is relative to `now()`; an int is
   * nanoseconds since the epoch.
   */
  time(name: string): bigint {
    const v = this.value(name);
    switch (v.kind) {
      case 'time':
        return v.value;
      case 'duration':
        return addDurationClamped(this.ctx.now(), v.value);
      case 'int':
        return v.value;
      default:
        throw this.#wrongType(name, 'time', v);
    }
  }
  optTime(name: string): bigint | undefined {
    const v = this.map.get(name);
    return v === undefined || v.kind === 'null' ? undefined : this.time(name);
  }

  fn(name: string): FunctionValue {
    return this.#typed(name, 'function');
  }
  optFn(name: string): FunctionValue | undefined {
    const v = this.map.get(name);
    return v === undefined || v.kind === 'null' ? undefined : this.fn(name);
  }

  array(name: string): ArrayValue {
    return this.#typed(name, 'array');
  }

  /** An array of strings (column lists: `columns: ["a", "b"]`). */
  strings(name: string): string[] {
    return this.array(name).elements.map((e, i) => {
      if (e.kind !== 'string') throw new CallError(`argument ${name}[${i}]: expected string, got ${formatType(typeOf(e))}`);
      return e.value;
    });
  }
  optStrings(name: string): string[] | undefined {
    const v = this.map.get(name);
    return v === undefined || v.kind === 'null' ? undefined : this.strings(name);
  }

  record(name: string): RecordValue {
    return this.#typed(name, 'record');
  }

  dict(name: string): DictValue {
    return this.#typed(name, 'dict');
  }

  regexp(name: string): RegExp {
    return this.#typed(name, 'regexp').regex;
  }

  streamValue(name = 'tables'): StreamValue {
    return this.#typed(name, 'stream');
  }

  stream(name = 'tables'): TableStream {
    return this.streamValue(name).tables;
  }

  /**
   * A re-iterable output stream for this call: `produce` runs once per consumer, and an error
   * it raises is reported at this call's position with this function's name. After each table
   * it passes on, the execution's checkpoint: cancellation is seen between any two tables of
   * any step, and long work from memory lets the event loop in (ExecContext.checkpoint).
   */
  output(produce: () => TableStream): TableStream {
    const loc = this.loc;
    const fn = this.fnName;
    const ctx = this.ctx;
    return lazyStream(async function* () {
      try {
        ctx.checkCanceled();
        for await (const table of produce()) {
          yield table;
          const pause = ctx.checkpoint();
          if (pause !== undefined) await pause;
        }
      } catch (e) {
        throw loc === undefined ? e : atCall(e, loc, fn);
      }
    });
  }
}
