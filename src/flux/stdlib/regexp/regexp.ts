import { CallError, compileRegexp, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { T } from '../../values/mono-type.js';
import { arrayValue, boolValue, intValue, regexpValue, stringValue } from '../../values/value.js';
import { findAll, findStringIndex, quoteMeta, replaceAll, split } from './go-regexp.js';

/** `regexp`: RE2 regular expressions with Go's match, replace and split semantics. */
const builtins: Record<string, BuiltinSpec> = {
  compile: {
    signature: '(v: string) => regexp',
    call(args) {
      const v = args.string('v');
      return regexpValue(v, compileRegexp(v));
    },
  },
  quoteMeta: { signature: '(v: string) => string', call: (args) => stringValue(quoteMeta(args.string('v'))) },
  findString: {
    signature: '(r: regexp, v: string) => string',
    call(args) {
      const v = args.string('v');
      const m = findAll(args.regexp('r'), v, 1)[0];
      return stringValue(m === undefined ? '' : v.slice(m.start, m.end));
    },
  },
  findStringIndex: {
    signature: '(r: regexp, v: string) => [int]',
    call: (args) =>
      arrayValue(
        findStringIndex(args.regexp('r'), args.string('v')).map((i) => intValue(BigInt(i))),
        T.int,
      ),
  },
  matchRegexpString: {
    signature: '(r: regexp, v: string) => bool',
    call: (args) => boolValue(findAll(args.regexp('r'), args.string('v'), 1).length > 0),
  },
  replaceAllString: {
    signature: '(r: regexp, v: string, t: string) => string',
    call: (args) => stringValue(replaceAll(args.regexp('r'), args.string('v'), args.string('t'))),
  },
  splitRegexp: {
    signature: '(r: regexp, v: string, i: int) => [string]',
    call(args) {
      const i = args.int('i');
      const n = i < 0n ? -1 : i > 1n << 40n ? 2 ** 40 : Number(i);
      return arrayValue(split(args.regexp('r'), args.string('v'), n).map(stringValue), T.string);
    },
  },
  getString: {
    signature: '(r: regexp) => string',
    call(args) {
      const r = args.value('r');
      if (r.kind !== 'regexp') throw new CallError(`argument r: expected regexp, got ${r.kind}`);
      return stringValue(r.source);
    },
  },
};

export const regexpPackage: PackageDef = { path: 'regexp', builtins };
