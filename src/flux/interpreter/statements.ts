import type { Expression, Statement } from '../syntax/ast.js';
import type { Value } from '../values/value.js';
import { Compiler, type Compiled } from './compile.js';
import type { ExecContext } from './context.js';
import { FluxError } from './flux-error.js';
import type { Scope } from './scope.js';

export interface StatementHooks {
  /** True for a program's main file: expression statements yielding streams become results. */
  readonly topLevel: boolean;
  /** Binds a top-level definition (a package member, or a variable of the main file). */
  readonly define: (name: string, value: Value) => void;
  /** The implementation of a `builtin name : type` statement, for package sources. */
  readonly builtin?: (name: string) => Value;
}

/**
 * Compiled closures by AST node, shared by every execution. A closure depends only on its node
 * (never on an execution's context, scope or options), and ASTs are immutable and cached (the
 * query service's compiled programs, the registry's package sources), so a task's script and the
 * universe package are compiled to closures once, not once per run. Weak keys: an AST no longer
 * cached anywhere frees its closures.
 */
const COMPILED = new WeakMap<Expression, Compiled>();
const COMPILER = new Compiler();

function compiled(node: Expression): Compiled {
  let c = COMPILED.get(node);
  if (c === undefined) {
    c = COMPILER.expr(node);
    COMPILED.set(node, c);
  }
  return c;
}

/**
 * Runs the statements of a file block in order. Options replace the value where it is defined
 * (`option now = …` replaces the universe's `now` for this execution); `option pkg.x = …`
 * replaces a member of an imported package.
 */
export async function runStatements(body: readonly Statement[], scope: Scope, ctx: ExecContext, hooks: StatementHooks): Promise<void> {
  for (const st of body) {
    ctx.checkCanceled();
    switch (st.kind) {
      case 'VariableAssignment':
        hooks.define(st.id.name, await compiled(st.init)(scope));
        break;
      case 'OptionStatement': {
        const a = st.assignment;
        if (a.kind === 'VariableAssignment') {
          const v = await compiled(a.init)(scope);
          if (scope.lookup(a.id.name) !== undefined) scope.assignOption(a.id.name, v);
          else hooks.define(a.id.name, v);
        } else {
          const target = await compiled(a.member.object)(scope);
          const pkg = target.kind === 'record' ? ctx.packageOf(target) : undefined;
          const name = a.member.property.kind === 'Identifier' ? a.member.property.name : a.member.property.value;
          if (pkg === undefined) throw new FluxError(`option ${name}: can only set options of imported packages`, { loc: a.loc });
          pkg.scope.set(name, await compiled(a.init)(scope));
        }
        break;
      }
      case 'BuiltinStatement': {
        if (hooks.builtin === undefined) {
          throw new FluxError(`builtin statements are only allowed in packages of the standard library`, { loc: st.loc });
        }
        hooks.builtin(st.id.name);
        break;
      }
      case 'ExpressionStatement': {
        const v = await compiled(st.expression)(scope);
        if (hooks.topLevel && v.kind === 'stream' && !ctx.yielded.has(v)) {
          ctx.yielded.add(v);
          ctx.results.push({ name: '_result', stream: v });
        }
        break;
      }
      case 'TestCaseStatement':
        // Test cases run only under the test runner, which lifts their blocks to the top level.
        break;
      case 'ReturnStatement':
        throw new FluxError('return not valid in file block', { loc: st.loc });
      case 'BadStatement':
        throw new FluxError(`invalid statement: ${st.text}`, { loc: st.loc });
    }
  }
}
