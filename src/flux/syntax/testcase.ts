import { invalid } from '../../core/errors.js';
import type { File, ImportDeclaration, Statement, TestCaseStatement } from './ast.js';
import { makeNode } from './ast.js';
import { formatDiagnostics } from './diagnostic.js';
import { parse } from './parser.js';

/** One `testcase` turned into a standalone `package main` program. */
export interface TestCaseProgram {
  /** The testcase's name (`difference` in `testcase difference { ... }`). */
  readonly name: string;
  readonly testcase: TestCaseStatement;
  readonly file: File;
}

/**
 * Reads the source of a file in a test module: `module` is the first component of an
 * `extends` path (`flux` in `flux/universe/x_test.case`), `path` the rest as a file path
 * (`universe/x_test.flux`). Returns undefined when the module is unknown.
 */
export type TestModuleReader = (module: string, path: string) => string | undefined;

/** `"flux/testing/testing_test.test_option"` → module `flux`, file `testing/testing_test.flux`, testcase `test_option`. */
export function splitExtendsPath(path: string): { module: string; file: string; testcase: string } {
  const parts = path.split('/');
  if (parts.length <= 1) throw invalid('testcase path must contain a module name');
  const last = parts[parts.length - 1]!;
  const dot = last.lastIndexOf('.');
  const testcase = dot < 0 ? '' : last.slice(dot + 1);
  parts[parts.length - 1] = dot < 0 ? last : last.slice(0, dot);
  return { module: parts[0]!, file: `${parts.slice(1).join('/')}.flux`, testcase };
}

/**
 * Expands a test file the way Flux's test runner does: each testcase becomes its own
 * `package main` whose body is every statement outside the testcases, in order, followed by the
 * testcase's own statements. For `testcase x extends "mod/path/file.parent"`, the parent file's
 * imports are merged in (by path), its preamble follows this file's, and a top-level `super()`
 * in the testcase is replaced by the parent testcase's statements.
 *
 * Throws SluiceError(invalid) when an `extends` path cannot be read or its file does not parse.
 */
export function expandTestCases(file: File, readModule?: TestModuleReader): TestCaseProgram[] {
  const preamble = file.body.filter((s) => s.kind !== 'TestCaseStatement');
  const programs: TestCaseProgram[] = [];
  for (const s of file.body) {
    if (s.kind !== 'TestCaseStatement') continue;
    let imports: readonly ImportDeclaration[] = file.imports;
    let body: Statement[] = [...preamble];
    if (s.extends === null) {
      body.push(...s.block.body);
    } else {
      const parent = readParent(s.extends.value, file.name, readModule);
      imports = mergeImports(file.imports, parent.imports);
      body = [...body, ...parent.preamble, ...replaceSuper(s.block.body, parent.statements)];
    }
    const pkg = file.package
      ? makeNode('PackageClause', file.package.loc, {
          attributes: file.package.attributes,
          name: makeNode('Identifier', file.package.name.loc, { name: 'main' }),
        })
      : null;
    programs.push({
      name: s.id.name,
      testcase: s,
      file: makeNode('File', file.loc, { name: file.name, package: pkg, imports, body }),
    });
  }
  return programs;
}

interface ParentTest {
  readonly imports: readonly ImportDeclaration[];
  readonly preamble: readonly Statement[];
  readonly statements: readonly Statement[];
}

function readParent(path: string, fileName: string, readModule: TestModuleReader | undefined): ParentTest {
  const target = splitExtendsPath(path);
  const source = readModule?.(target.module, target.file);
  if (source === undefined) throw invalid(`test module "${target.module}" not found`);
  const parsed = parse(source, fileName);
  if (parsed.diagnostics.length > 0) throw invalid(formatDiagnostics(parsed.diagnostics));
  const preamble: Statement[] = [];
  let statements: readonly Statement[] = [];
  for (const s of parsed.file.body) {
    if (s.kind !== 'TestCaseStatement') preamble.push(s);
    else if (s.id.name === target.testcase) statements = s.block.body;
  }
  return { imports: parsed.file.imports, preamble, statements };
}

function mergeImports(
  own: readonly ImportDeclaration[],
  parent: readonly ImportDeclaration[],
): ImportDeclaration[] {
  const paths = new Set(own.map((i) => i.path.value));
  return [...own, ...parent.filter((i) => !paths.has(i.path.value))];
}

/** Replaces the first top-level `super()` statement with the parent's statements. */
function replaceSuper(statements: readonly Statement[], parent: readonly Statement[]): Statement[] {
  const out: Statement[] = [];
  let found = false;
  for (const s of statements) {
    if (!found && isSuperCall(s)) {
      out.push(...parent);
      found = true;
    } else {
      out.push(s);
    }
  }
  return out;
}

function isSuperCall(s: Statement): boolean {
  if (s.kind !== 'ExpressionStatement' || s.expression.kind !== 'CallExpression') return false;
  const call = s.expression;
  return call.callee.kind === 'Identifier' && call.callee.name === 'super' && call.arguments === null;
}
