import type {
  Block,
  Expression,
  File,
  Identifier,
  Property,
  SourceLocation,
  Statement,
} from '../syntax/ast.js';
import { visit } from '../syntax/ast.js';
import type { Visitor } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostic.js';

/**
 * What a file can see besides its own definitions. The caller owns this description (the
 * interpreter knows which packages exist); nothing here is hard-wired.
 */
export interface ScopeDescription {
  /**
   * Names visible everywhere without an import: the prelude (universe builtins and definitions,
   * and `true`/`false`, which Flux defines as builtins of internal/boolean).
   */
  readonly universe: Iterable<string>;
  /**
   * Import paths that exist, each with the names it exports. When given, importing a path not
   * in the map is reported as `invalid import path`. Omitted: every import is accepted.
   */
  readonly packages?: ReadonlyMap<string, Iterable<string>>;
}

/**
 * Resolves every identifier reference in a parsed file and reports, in Flux's words:
 * `undefined identifier x` (at each use), `invalid import path p` and `return not valid in file
 * block`. Run it on a file that parsed without diagnostics.
 *
 * Scoping follows the SPEC and Flux's checker: the universe, then the file's imports (named by
 * alias or by the last path segment), then the package block, then one block per function body
 * and testcase. Within a block, names are visible from the statement that assigns them onwards
 * (Flux checks statements in order). Function parameters are visible in the body; defaults are
 * resolved in the enclosing scope. Property keys, member names and labels are not references;
 * shorthand properties (`{a}`, `f(a)`) are.
 */
export function resolveNames(file: File, scope: ScopeDescription, fileName = file.name): Diagnostic[] {
  return new Resolver(scope, fileName).file(file);
}

/**
 * The top-level names a package file defines (variables, options, builtins), for building a
 * ScopeDescription from stdlib sources.
 */
export function packageExports(file: File): string[] {
  const names: string[] = [];
  for (const s of file.body) {
    if (s.kind === 'VariableAssignment' || s.kind === 'BuiltinStatement') names.push(s.id.name);
    if (s.kind === 'OptionStatement' && s.assignment.kind === 'VariableAssignment') {
      names.push(s.assignment.id.name);
    }
  }
  return names;
}

/**
 * Calls `f` for every identifier in `e` that refers to a name bound neither in `bound` nor inside
 * `e` itself (by a function parameter or a block assignment), in source order.
 */
export function forEachFreeReference(e: Expression, bound: Iterable<string>, f: (id: Identifier) => void): void {
  new Resolver({ universe: bound }, '', f).expressionOnly(e);
}

/** The name an import binds: its alias, else the last segment of its path. */
export function importName(path: string, alias: string | null): string {
  return alias ?? path.slice(path.lastIndexOf('/') + 1);
}

class Scope {
  private readonly names = new Set<string>();

  constructor(private readonly parent: Scope | null) {}

  define(name: string): void {
    this.names.add(name);
  }

  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }

  child(): Scope {
    return new Scope(this);
  }
}

class Resolver {
  private readonly out: Diagnostic[] = [];
  private scope: Scope;

  /**
   * `onFree` receives each reference to a name not visible at that point; by default it is
   * reported as an undefined identifier.
   */
  constructor(
    private readonly description: ScopeDescription,
    private readonly fileName: string,
    private readonly onFree?: (id: Identifier) => void,
  ) {
    this.scope = new Scope(null);
    for (const name of description.universe) this.scope.define(name);
  }

  /** Walks one expression in a fresh block scope. */
  expressionOnly(e: Expression): void {
    this.withScope(() => this.expression(e));
  }

  private report(code: string, message: string, loc: SourceLocation): void {
    this.out.push({ code, message, loc, file: this.fileName });
  }

  file(f: File): Diagnostic[] {
    this.scope = this.scope.child(); // file block: imports
    for (const imp of f.imports) {
      const path = imp.path.value;
      if (this.description.packages !== undefined && !this.description.packages.has(path)) {
        this.report('invalid-import-path', `invalid import path ${path}`, imp.loc);
      }
      this.scope.define(importName(path, imp.alias?.name ?? null));
    }
    this.scope = this.scope.child(); // package block
    for (const s of f.body) {
      if (s.kind === 'ReturnStatement') this.report('invalid-return', 'return not valid in file block', s.loc);
      this.statement(s);
    }
    return this.out;
  }

  private withScope(f: () => void): void {
    const saved = this.scope;
    this.scope = saved.child();
    try {
      f();
    } finally {
      this.scope = saved;
    }
  }

  private statement(s: Statement): void {
    switch (s.kind) {
      case 'VariableAssignment':
        this.expression(s.init);
        this.scope.define(s.id.name);
        return;
      case 'OptionStatement':
        if (s.assignment.kind === 'VariableAssignment') {
          this.expression(s.assignment.init);
          this.scope.define(s.assignment.id.name);
        } else {
          this.expression(s.assignment.member.object);
          this.expression(s.assignment.init);
        }
        return;
      case 'BuiltinStatement':
        this.scope.define(s.id.name);
        return;
      case 'ExpressionStatement':
        this.expression(s.expression);
        return;
      case 'ReturnStatement':
        this.expression(s.argument);
        return;
      case 'TestCaseStatement':
        this.withScope(() => {
          // `super()` stands for the parent testcase's body in an extending testcase.
          if (s.extends !== null) this.scope.define('super');
          this.block(s.block);
        });
        return;
      case 'BadStatement':
        return;
    }
  }

  private block(b: Block): void {
    for (const s of b.body) this.statement(s);
  }

  private reference(id: Identifier): void {
    if (this.scope.has(id.name)) return;
    if (this.onFree) this.onFree(id);
    else this.report('undefined-identifier', `undefined identifier ${id.name}`, id.loc);
  }

  private properties(props: readonly Property[]): void {
    for (const p of props) {
      if (p.value !== null) this.expression(p.value);
      else if (p.key.kind === 'Identifier') this.reference(p.key);
    }
  }

  private expression(e: Expression): void {
    visit(e, this.expressions);
  }

  private readonly none = (): void => undefined;

  /** Only expression kinds are reached; the rest cannot occur inside an expression. */
  private readonly expressions: Visitor<void> = {
    Identifier: (n) => this.reference(n),
    IntegerLiteral: this.none,
    FloatLiteral: this.none,
    StringLiteral: this.none,
    StringExpression: (n) => {
      for (const p of n.parts) if (p.kind === 'InterpolatedPart') this.expression(p.expression);
    },
    RegexpLiteral: this.none,
    DurationLiteral: this.none,
    DateTimeLiteral: this.none,
    PipeLiteral: this.none,
    LabelLiteral: this.none,
    ArrayExpression: (n) => n.elements.forEach((x) => this.expression(x)),
    DictExpression: (n) =>
      n.elements.forEach((x) => {
        this.expression(x.key);
        this.expression(x.value);
      }),
    RecordExpression: (n) => {
      if (n.with !== null) this.reference(n.with);
      this.properties(n.properties);
    },
    FunctionExpression: (n) => {
      for (const p of n.params) if (p.value !== null) this.expression(p.value);
      this.withScope(() => {
        for (const p of n.params) if (p.key.kind === 'Identifier') this.scope.define(p.key.name);
        if (n.body.kind === 'Block') this.block(n.body);
        else this.expression(n.body);
      });
    },
    CallExpression: (n) => {
      this.expression(n.callee);
      if (n.arguments !== null) this.properties(n.arguments.properties);
    },
    PipeExpression: (n) => {
      this.expression(n.argument);
      this.expression(n.call);
    },
    MemberExpression: (n) => this.expression(n.object),
    IndexExpression: (n) => {
      this.expression(n.array);
      this.expression(n.index);
    },
    BinaryExpression: (n) => {
      this.expression(n.left);
      this.expression(n.right);
    },
    UnaryExpression: (n) => this.expression(n.argument),
    LogicalExpression: (n) => {
      this.expression(n.left);
      this.expression(n.right);
    },
    ConditionalExpression: (n) => {
      this.expression(n.test);
      this.expression(n.consequent);
      this.expression(n.alternate);
    },
    ParenExpression: (n) => this.expression(n.expression),
    BadExpression: this.none,
    File: this.none,
    PackageClause: this.none,
    ImportDeclaration: this.none,
    Attribute: this.none,
    Block: (n) => this.block(n),
    OptionStatement: (n) => this.statement(n),
    BuiltinStatement: (n) => this.statement(n),
    VariableAssignment: (n) => this.statement(n),
    MemberAssignment: this.none,
    ExpressionStatement: (n) => this.statement(n),
    ReturnStatement: (n) => this.statement(n),
    TestCaseStatement: (n) => this.statement(n),
    BadStatement: this.none,
    TextPart: this.none,
    InterpolatedPart: (n) => this.expression(n.expression),
    Property: (n) => this.properties([n]),
    TypeExpression: this.none,
    TypeConstraint: this.none,
    NamedType: this.none,
    TvarType: this.none,
    ArrayType: this.none,
    StreamType: this.none,
    VectorType: this.none,
    DictType: this.none,
    DynamicType: this.none,
    RecordType: this.none,
    PropertyType: this.none,
    FunctionType: this.none,
    ParameterType: this.none,
  };
}
