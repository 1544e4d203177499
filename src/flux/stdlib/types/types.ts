import type { BuiltinSpec, PackageDef } from '../../interpreter/index.js';
import { boolValue } from '../../values/value.js';

/** The basic types `isType` recognises, by their Flux name (a value's `kind` here). */
const BASIC = new Set(['string', 'bytes', 'int', 'uint', 'float', 'bool', 'time', 'duration', 'regexp']);

const isType: BuiltinSpec = {
  signature: '(v: A, type: string) => bool',
  call(args) {
    const v = args.value('v');
    // A null is not of any type here (its nature is null in Flux).
    return boolValue(BASIC.has(v.kind) && v.kind === args.string('type'));
  },
};

/** `types`: runtime type tests of basic values. */
export const typesPackage: PackageDef = {
  path: 'types',
  builtins: { isType },
  source: `
isNumeric = (v) => isType(v: v, type: "int") or isType(v: v, type: "uint") or isType(v: v, type: "float")
`,
};
