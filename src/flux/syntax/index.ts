/** The Flux front end: source text → AST plus diagnostics in Flux's own format. */
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
