import { ErrorCode, SluiceError } from '../../core/errors.js';
import { checkFile } from '../semantic/check-file.js';
import { checkPackageMembers } from './check-members.js';
import type { File } from '../syntax/ast.js';
import { formatDiagnostics, type Diagnostic } from '../syntax/diagnostic.js';
import { parse } from '../syntax/parser.js';
import { Args } from './builtin.js';
import { ExecContext, type ExecContextInit, type ProgramResult } from './context.js';
import { bindImports, PackageRegistry } from './packages.js';
import { Scope } from './scope.js';
import { runStatements } from './statements.js';
import { StatementInterner } from './statement-interner.js';
import { anchorShapes } from '../../core/shape-anchors.js';

/** A program that did not compile: every diagnostic, formatted as Flux prints them. */
export class FluxCompileError extends SluiceError {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(ErrorCode.Invalid, formatDiagnostics(diagnostics));
    this.name = 'FluxCompileError';
  }
}

/**
 * Parses and checks a program before anything runs: syntax errors, then undefined identifiers,
 * unknown import paths, assignment rules and call arguments, all reported at once with positions.
 */
export function compileProgram(source: string, registry: PackageRegistry, fileName = ''): File {
  const { file, diagnostics } = parse(source, fileName);
  if (diagnostics.length > 0) throw new FluxCompileError(diagnostics);
  const semantic = [
    ...checkFile(file, { names: registry.scopeDescription(), signatures: registry.signatureScope() }),
    ...checkPackageMembers(file, registry, fileName),
  ];
  if (semantic.length > 0) throw new FluxCompileError(semantic);
  // Checked as parsed; only then are statements swapped for equal ones other programs share.
  return Object.freeze({ ...file, body: Object.freeze(STATEMENTS.intern(file.body, source.split('\n'), fileName)) });
}

/** Shared by every compiled program of this process (see StatementInterner). */
const STATEMENTS = new StatementInterner();

// One context per program run, and an Args per builtin call: one of each kept alive keeps their
// maps (shape-anchors.ts).
const EXEMPLAR_CONTEXT = new ExecContext({ registry: new PackageRegistry() });
anchorShapes(EXEMPLAR_CONTEXT, new Args('exemplar', new Map(), EXEMPLAR_CONTEXT, undefined));

export interface ProgramRun {
  /** The named results, in the order they were yielded. Streams run when read. */
  readonly results: readonly ProgramResult[];
  readonly ctx: ExecContext;
}

/**
 * Runs a program's statements. Streams are lazy: the returned results do their work when a
 * consumer (annotated CSV encoder, test runner, task executor) reads them.
 */
export async function runProgram(program: string | File, init: ExecContextInit): Promise<ProgramRun> {
  const file = typeof program === 'string' ? compileProgram(program, init.registry) : program;
  const ctx = new ExecContext(init);
  const universe = await ctx.importPackage('universe');
  const imports = await bindImports(file, ctx, universe.scope);
  const main = new Scope(imports);
  await runStatements(file.body, main, ctx, { topLevel: true, define: (name, v) => main.set(name, v) });
  return { results: ctx.results, ctx };
}
