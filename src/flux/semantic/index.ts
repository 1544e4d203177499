/** Flux semantic checks that run on a cleanly parsed AST. */
export type { ScopeDescription } from './resolve-names.js';
export { forEachFreeReference, importName, packageExports, resolveNames } from './resolve-names.js';
export { checkAssignments } from './check-assignments.js';
export type { FunctionSignature, SignatureScope } from './check-calls.js';
export { checkCalls, signatureOfFunction, signatureOfType, signaturesOf } from './check-calls.js';
export type { CheckOptions } from './check-file.js';
export { checkFile } from './check-file.js';
export { checkOperators } from './check-operators.js';
export { checkStructure } from './check-structure.js';
