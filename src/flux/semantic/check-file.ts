import type { File } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostic.js';
import { checkAssignments } from './check-assignments.js';
import type { SignatureScope } from './check-calls.js';
import { checkCalls } from './check-calls.js';
import { checkOperators } from './check-operators.js';
import { checkStructure } from './check-structure.js';
import type { ScopeDescription } from './resolve-names.js';
import { resolveNames } from './resolve-names.js';

export interface CheckOptions {
  /** Names the file can see without defining them (see resolveNames). */
  readonly names: ScopeDescription;
  /** Known function signatures; omitted, calls are not checked. */
  readonly signatures?: SignatureScope;
}

/**
 * All semantic checks on a file that parsed cleanly, in one call: shape rules (pipe literals,
 * function blocks), assignment rules, undefined
 * identifiers and import paths, operands without an operator, then call arguments. Diagnostics are in Flux's format (format
 * them with formatDiagnostics); empty means the file is fit to run.
 */
export function checkFile(file: File, options: CheckOptions): Diagnostic[] {
  return [
    ...checkStructure(file),
    ...checkAssignments(file),
    ...resolveNames(file, options.names),
    ...checkOperators(file),
    ...(options.signatures ? checkCalls(file, options.signatures) : []),
  ];
}
