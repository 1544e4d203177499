import type { PackageDef } from '../interpreter/index.js';

/** The value packages (strings, math, regexp, date, timezone, types, dict, json, runtime, system, array). */
export const basicPackages: PackageDef[] = [];
