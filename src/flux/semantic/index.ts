/** Flux semantic checks that run on a cleanly parsed AST. */
export type { ScopeDescription } from './resolve-names.js';
export { forEachFreeReference, importName, packageExports, resolveNames } from './resolve-names.js';
export { checkAssignments } from './check-assignments.js';
