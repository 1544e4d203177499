import { CallError, type Args, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { T } from '../../values/mono-type.js';
import { arrayValue, boolValue, intValue, stringValue } from '../../values/value.js';
import { quoteMeta } from '../regexp/go-regexp.js';
import * as gs from './go-strings.js';

/** `strings`: Go's strings functions (byte offsets for indexes, code points for lengths). */

// These cannot fail for strings: each declares its scalar form, so row functions calling it
// compile to column kernels.
const str1 = (f: (v: string) => string): BuiltinSpec => ({
  signature: '(v: string) => string',
  call: (args) => stringValue(f(args.string('v'))),
  scalar: { params: ['v'], paramTypes: ['string'], result: 'string', fn: (v) => f(v as string) },
});

const str2 = (p: string, f: (v: string, x: string) => string): BuiltinSpec => ({
  signature: `(v: string, ${p}: string) => string`,
  call: (args) => stringValue(f(args.string('v'), args.string(p))),
  scalar: { params: ['v', p], paramTypes: ['string', 'string'], result: 'string', fn: (v, x) => f(v as string, x as string) },
});

/** `pattern`: see ScalarKernel.pattern (given the second argument's literal). */
const bool2 = (p: string, f: (v: string, x: string) => boolean, pattern?: (x: string) => RegExp): BuiltinSpec => ({
  signature: `(v: string, ${p}: string) => bool`,
  call: (args) => boolValue(f(args.string('v'), args.string(p))),
  scalar: {
    params: ['v', p],
    paramTypes: ['string', 'string'],
    result: 'bool',
    fn: (v, x) => f(v as string, x as string),
    ...(pattern === undefined ? {} : { pattern: ([x]: readonly string[]) => (x === undefined ? undefined : pattern(x)) }),
  },
});

const int2 = (p: string, f: (v: string, x: string) => number): BuiltinSpec => ({
  signature: `(v: string, ${p}: string) => int`,
  call: (args) => intValue(BigInt(f(args.string('v'), args.string(p)))),
});

/** isDigit & co.: Flux takes exactly one byte and classifies it as ASCII. */
const isByte = (re: RegExp): BuiltinSpec => ({
  signature: '(v: string) => bool',
  call(args) {
    const v = args.string('v');
    if (gs.utf8Offset(v, v.length) !== 1) throw new CallError('"v" is not a valid argument: argument length is not equal to 1');
    return boolValue(re.test(v));
  },
});

const split = (after: boolean, withN: boolean): BuiltinSpec => ({
  signature: withN ? '(v: string, t: string, i: int) => [string]' : '(v: string, t: string) => [string]',
  call: (args) =>
    arrayValue(
      gs.splitN(args.string('v'), args.string('t'), withN ? count(args, 'i') : -1, after).map(stringValue),
      T.string,
    ),
});

/** The longest string V8 makes (UTF-16 code units). */
const MAX_STRING_UNITS = 536_870_888n;

/** An int argument as a JS number (counts beyond 2^53 behave as "all"). */
function count(args: Args, name: string): number {
  const n = args.int(name);
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n < -1n ? -1n : n);
}

const builtins: Record<string, BuiltinSpec> = {
  title: str1(gs.title),
  toUpper: str1(gs.toUpper),
  toLower: str1(gs.toLower),
  toTitle: str1(gs.toTitle),
  trim: str2('cutset', gs.trim),
  trimLeft: str2('cutset', gs.trimLeft),
  trimRight: str2('cutset', gs.trimRight),
  trimSpace: str1(gs.trimSpace),
  trimPrefix: str2('prefix', (v, p) => (v.startsWith(p) ? v.slice(p.length) : v)),
  trimSuffix: str2('suffix', (v, s) => (s !== '' && v.endsWith(s) ? v.slice(0, v.length - s.length) : v)),
  hasPrefix: bool2('prefix', (v, p) => v.startsWith(p), (p) => new RegExp(`^${quoteMeta(p)}`)),
  hasSuffix: bool2('suffix', (v, s) => v.endsWith(s), (s) => new RegExp(`${quoteMeta(s)}$`)),
  containsStr: bool2('substr', (v, s) => v.includes(s), (s) => new RegExp(quoteMeta(s))),
  containsAny: bool2('chars', gs.containsAny),
  equalFold: bool2('t', gs.equalFold),
  compare: int2('t', gs.compare),
  countStr: int2('substr', gs.count),
  index: int2('substr', gs.index),
  indexAny: int2('chars', gs.indexAny),
  lastIndex: int2('substr', gs.lastIndex),
  lastIndexAny: int2('chars', gs.lastIndexAny),
  isDigit: isByte(/^[0-9]$/),
  isLetter: isByte(/^[A-Za-z]$/),
  isLower: isByte(/^[a-z]$/),
  isUpper: isByte(/^[A-Z]$/),
  repeat: {
    signature: '(v: string, i: int) => string',
    call(args) {
      const i = args.int('i');
      if (i < 0n) throw new CallError('strings: negative Repeat count');
      const v = args.string('v');
      // Beyond what a JS string can hold (Go panics on overflow; we fail the call instead).
      if (BigInt(v.length) * i > MAX_STRING_UNITS) throw new CallError('strings: Repeat output length overflow');
      return stringValue(v.repeat(Number(i)));
    },
  },
  replace: {
    signature: '(v: string, t: string, u: string, i: int) => string',
    call: (args) => stringValue(gs.replace(args.string('v'), args.string('t'), args.string('u'), count(args, 'i'))),
  },
  replaceAll: {
    signature: '(v: string, t: string, u: string) => string',
    call: (args) => stringValue(gs.replace(args.string('v'), args.string('t'), args.string('u'), -1)),
  },
  split: split(false, false),
  splitAfter: split(true, false),
  splitN: split(false, true),
  splitAfterN: split(true, true),
  joinStr: {
    signature: '(arr: [string], v: string) => string',
    call(args) {
      const parts = args.array('arr').elements.map((e) => {
        if (e.kind !== 'string') throw new CallError(`argument arr: expected [string], got an element of type ${e.kind}`);
        return e.value;
      });
      return stringValue(parts.join(args.string('v')));
    },
  },
  strlen: { signature: '(v: string) => int', call: (args) => intValue(BigInt(gs.runeCount(args.string('v')))) },
  substring: {
    signature: '(v: string, start: int, end: int) => string',
    call(args) {
      const clamp = (n: bigint): number => Number(n < -1n ? -1n : n > 1n << 40n ? 1n << 40n : n);
      return stringValue(gs.substring(args.string('v'), clamp(args.int('start')), clamp(args.int('end'))));
    },
  },
};

export const stringsPackage: PackageDef = { path: 'strings', builtins };
