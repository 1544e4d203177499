import type { BuiltinSpec } from '../../../interpreter/index.js';
export const holtWintersBuiltins: Record<string, BuiltinSpec> = {};
