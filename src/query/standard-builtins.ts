import type { BuiltinSpec, PackageDef } from '../flux/interpreter/index.js';
import { universeAggregates } from '../flux/stdlib/universe/aggregates/index.js';
import { universeRowFunctions } from '../flux/stdlib/universe/row-functions.js';
import { universeShape } from '../flux/stdlib/universe/shape/index.js';

const universeDefs: readonly PackageDef[] = [universeRowFunctions, ...universeShape, ...universeAggregates];

/**
 * The standard library's own implementation of a universe builtin: what the push-down layer
 * falls back to (and reuses to shape pushed-down results). Throws when it does not exist, which
 * is a wiring bug, not a user error.
 */
export function standardBuiltin(name: string): BuiltinSpec {
  for (const d of universeDefs) {
    const b = d.builtins?.[name];
    if (b !== undefined) return b;
  }
  throw new Error(`standard library has no universe builtin ${name}`);
}
