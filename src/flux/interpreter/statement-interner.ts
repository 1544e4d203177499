import type { Statement } from '../syntax/ast.js';

/**
 * Shares identical top-level statements between compiled programs. Thousands of tasks often run
 * the same query and differ only in `option task = {name: …}`: each task's program is cached
 * (with its compiled closures, which hang off the AST nodes), so without sharing every task keeps
 * its own copy of the same query's AST and closures (~30 KB a task). A statement is shared when
 * the whole source lines it spans are identical and it starts and ends at the same positions:
 * the Flux grammar parses a statement from its own text alone and the AST holds nothing else
 * (no comments, no file-level state), so such statements parse to equal, immutable ASTs, and any
 * of them can stand for the others (positions in error messages included).
 *
 * Weak: a statement no longer used by any cached program is collected, and its entry removed.
 */
export class StatementInterner {
  readonly #byKey = new Map<string, WeakRef<Statement>>();
  readonly #cleanup = new FinalizationRegistry<string>((key) => {
    if (this.#byKey.get(key)?.deref() === undefined) this.#byKey.delete(key);
  });

  /** Statements of `sourceLines` (the program's source split on '\n'), shared where seen before. */
  intern(statements: readonly Statement[], sourceLines: readonly string[], fileName: string): Statement[] {
    return statements.map((s) => {
      const { start, end } = s.loc;
      if (start.line < 1 || end.line < start.line || end.line > sourceLines.length) return s;
      const key = `${fileName}\u0000${start.line}:${start.column}-${end.line}:${end.column}\u0000${sourceLines.slice(start.line - 1, end.line).join('\n')}`;
      const shared = this.#byKey.get(key)?.deref();
      if (shared !== undefined && shared.kind === s.kind) return shared;
      this.#byKey.set(key, new WeakRef(s));
      this.#cleanup.register(s, key);
      return s;
    });
  }

  /** Distinct statements currently shared (for tests). */
  get size(): number {
    return this.#byKey.size;
  }
}
