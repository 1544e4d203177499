/**
 * The Flux front end: source text → AST plus diagnostics in Flux's own format.
 *
 *     const { file, diagnostics } = parse(source, 'query.flux');
 *     if (diagnostics.length > 0) throw diagnosticsError(diagnostics); // "error @1:5-1:6: ..."
 *     for (const stmt of file.body) visit(stmt, evaluator);            // Visitor<R>: one handler per kind
 *
 * Then run the semantic checks (src/flux/semantic: checkFile) before evaluating. Testcase files
 * expand to one program per testcase with expandTestCases.
 */
export * from './ast.js';
export { children, walk } from './walk.js';
export type { Diagnostic } from './diagnostic.js';
export { diagnosticsError, formatDiagnostic, formatDiagnostics } from './diagnostic.js';
export type { ExpressionParseResult, ParseResult } from './parser.js';
export { parse, parseExpression } from './parser.js';
export { print } from './printer.js';
export { astToJson } from './ast-json.js';
export type { TestCaseProgram, TestModuleReader } from './testcase.js';
export { expandTestCases, splitExtendsPath } from './testcase.js';
export { durationOfParts } from './literals.js';
