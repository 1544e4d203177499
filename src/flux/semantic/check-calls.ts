import type {
  CallExpression,
  Expression,
  File,
  FunctionExpression,
  Node,
  SourceLocation,
  TypeExpression,
} from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostic.js';
import { walk } from '../syntax/walk.js';
import { importName } from './resolve-names.js';

/** The parameters of a function, as far as a call's arguments are concerned. */
export interface FunctionSignature {
  /** Parameters without a default (the pipe parameter excluded). */
  readonly required: readonly string[];
  /** Parameters with a default (the pipe parameter excluded). */
  readonly optional: readonly string[];
  /** The pipe parameter (`tables=<-`, `<-tables: stream[A]`), or null. */
  readonly pipe: string | null;
}

/** Known function signatures: the prelude's, and each importable package's by import path. */
export interface SignatureScope {
  readonly universe: ReadonlyMap<string, FunctionSignature>;
  readonly packages?: ReadonlyMap<string, ReadonlyMap<string, FunctionSignature>>;
}

/** The signature of a function literal. */
export function signatureOfFunction(fn: FunctionExpression): FunctionSignature {
  const required: string[] = [];
  const optional: string[] = [];
  let pipe: string | null = null;
  for (const p of fn.params) {
    const name = p.key.kind === 'Identifier' ? p.key.name : p.key.value;
    if (p.value?.kind === 'PipeLiteral') pipe = name;
    else if (p.value === null) required.push(name);
    else optional.push(name);
  }
  return { required, optional, pipe };
}

/** The signature a builtin's type declares, or null when it is not a function type. */
export function signatureOfType(type: TypeExpression): FunctionSignature | null {
  if (type.monotype.kind !== 'FunctionType') return null;
  const required: string[] = [];
  const optional: string[] = [];
  let pipe: string | null = null;
  for (const p of type.monotype.parameters) {
    const name = p.name?.name ?? '<-';
    if (p.mode === 'pipe') pipe = name;
    else if (p.mode === 'optional') optional.push(name);
    else required.push(name);
  }
  return { required, optional, pipe };
}

/** Signatures of a package file's top-level functions: builtins and function-literal assignments. */
export function signaturesOf(file: File): Map<string, FunctionSignature> {
  const out = new Map<string, FunctionSignature>();
  for (const s of file.body) {
    if (s.kind === 'BuiltinStatement') {
      const sig = signatureOfType(s.type);
      if (sig !== null) out.set(s.id.name, sig);
    }
    const assignment = s.kind === 'OptionStatement' ? s.assignment : s.kind === 'VariableAssignment' ? s : null;
    if (assignment?.kind === 'VariableAssignment') {
      const fn = functionLiteral(assignment.init);
      if (fn !== null) out.set(assignment.id.name, signatureOfFunction(fn));
    }
  }
  return out;
}

function functionLiteral(e: Expression): FunctionExpression | null {
  if (e.kind === 'FunctionExpression') return e;
  if (e.kind === 'ParenExpression') return functionLiteral(e.expression);
  return null;
}

/** What a name is bound to: a known function, an imported package, or something else. */
type Binding = { readonly fn: FunctionSignature } | { readonly pkg: string } | null;

/**
 * Checks the arguments of every call whose callee is known (a function literal bound by name in
 * scope, a prelude function, or `pkg.fn` of an imported package), in Flux's words:
 * `found unexpected argument x (Expected one of `a` or `b`)` at the argument and
 * `missing required argument a` at the call. Arguments are named, so a call through `|>`
 * needs no argument for the pipe parameter; calling a function with a pipe parameter without
 * `|>` and without naming it is `missing pipe argument`.
 *
 * Names bound to anything else (parameters, non-function variables) shadow known functions, so
 * a call through them is not checked.
 */
export function checkCalls(file: File, scope: SignatureScope, fileName = file.name): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: string, message: string, loc: SourceLocation): void => {
    out.push({ code, message, loc, file: fileName });
  };
  const scopes: Map<string, Binding>[] = [new Map()];
  for (const [name, fn] of scope.universe) scopes[0]!.set(name, { fn });
  const fileScope = new Map<string, Binding>();
  for (const imp of file.imports) fileScope.set(importName(imp.path.value, imp.alias?.name ?? null), { pkg: imp.path.value });
  scopes.push(fileScope, new Map());

  const lookup = (name: string): Binding => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const b = scopes[i]!.get(name);
      if (b !== undefined) return b;
    }
    return null;
  };
  const bind = (name: string, b: Binding): void => {
    scopes[scopes.length - 1]!.set(name, b);
  };
  const signatureOfCallee = (callee: Expression): FunctionSignature | null => {
    if (callee.kind === 'Identifier') {
      const b = lookup(callee.name);
      return b !== null && 'fn' in b ? b.fn : null;
    }
    if (callee.kind === 'MemberExpression' && callee.object.kind === 'Identifier') {
      const b = lookup(callee.object.name);
      if (b === null || !('pkg' in b)) return null;
      const member = callee.property.kind === 'Identifier' ? callee.property.name : callee.property.value;
      return scope.packages?.get(b.pkg)?.get(member) ?? null;
    }
    return null;
  };

  const piped = new Set<CallExpression>();
  const checkCall = (call: CallExpression): void => {
    const sig = signatureOfCallee(call.callee);
    if (sig === null) return;
    const given = new Map<string, Node>();
    for (const p of call.arguments?.properties ?? []) {
      given.set(p.key.kind === 'Identifier' ? p.key.name : p.key.value, p.value ?? p.key);
    }
    const known = new Set([...sig.required, ...sig.optional, ...(sig.pipe !== null ? [sig.pipe] : [])]);
    const unmatched = [...sig.required, ...sig.optional].filter((n) => !given.has(n)).sort();
    for (const [name, at] of given) {
      if (!known.has(name)) report('unexpected-argument', `found unexpected argument ${name}${expected(unmatched)}`, at.loc);
    }
    for (const name of sig.required) {
      if (!given.has(name)) report('missing-argument', `missing required argument ${name}`, call.loc);
    }
    if (sig.pipe !== null && !piped.has(call) && !given.has(sig.pipe)) {
      report('missing-pipe-argument', 'missing pipe argument', call.loc);
    }
  };

  walk(
    file,
    (n) => {
      switch (n.kind) {
        case 'FunctionExpression':
          scopes.push(new Map(n.params.map((p) => [p.key.kind === 'Identifier' ? p.key.name : p.key.value, null])));
          break;
        case 'TestCaseStatement':
          scopes.push(new Map());
          break;
        case 'PipeExpression':
          piped.add(n.call);
          break;
        case 'CallExpression':
          checkCall(n);
          break;
        default:
          break;
      }
      return true;
    },
    (n) => {
      if (n.kind === 'FunctionExpression' || n.kind === 'TestCaseStatement') scopes.pop();
      if (n.kind === 'VariableAssignment') {
        const fn = functionLiteral(n.init);
        bind(n.id.name, fn === null ? null : { fn: signatureOfFunction(fn) });
      }
      if (n.kind === 'BuiltinStatement') {
        const sig = signatureOfType(n.type);
        bind(n.id.name, sig === null ? null : { fn: sig });
      }
    },
  );
  return out;
}

/** ` (Expected `a`)`, ` (Expected one of `a`, `b` or `c`)`, or nothing. */
function expected(names: readonly string[]): string {
  if (names.length === 0) return '';
  const list = names.map((n, i) => `${i === 0 ? '' : i === names.length - 1 ? ' or ' : ', '}\`${n}\``).join('');
  return ` (Expected${names.length > 1 ? ' one of' : ''} ${list})`;
}
