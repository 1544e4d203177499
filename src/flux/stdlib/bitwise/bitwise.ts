import type { BuiltinSpec, PackageDef } from '../../interpreter/index.js';
import { CallError } from '../../interpreter/index.js';
import { intValue, uintValue, wrapInt, wrapUint } from '../../values/value.js';

/**
 * `bitwise` (and its old path `experimental/bitwise`): Go's integer bit operations on 64-bit
 * ints (two's complement, arithmetic right shift) and uints. Shifting by 64 or more gives 0 (or
 * -1 for a negative int shifted right); a negative shift count is an error, as in Go.
 */

const u2 = (f: (a: bigint, b: bigint) => bigint): BuiltinSpec => ({
  signature: '(a: uint, b: uint) => uint',
  call(args) {
    const a = args.value('a');
    const b = args.value('b');
    if (a.kind !== 'uint' || b.kind !== 'uint') throw new CallError('arguments a and b must be uint');
    return uintValue(wrapUint(f(a.value, b.value)));
  },
});

const s2 = (f: (a: bigint, b: bigint) => bigint): BuiltinSpec => ({
  signature: '(a: int, b: int) => int',
  call: (args) => intValue(wrapInt(f(args.int('a'), args.int('b')))),
});

function shiftCount(b: bigint): bigint {
  if (b < 0n) throw new CallError('negative shift amount');
  return b > 64n ? 64n : b;
}

const builtins: Record<string, BuiltinSpec> = {
  uand: u2((a, b) => a & b),
  uor: u2((a, b) => a | b),
  uxor: u2((a, b) => a ^ b),
  uclear: u2((a, b) => a & ~b),
  ulshift: u2((a, b) => a << shiftCount(b)),
  urshift: u2((a, b) => a >> shiftCount(b)),
  unot: {
    signature: '(a: uint) => uint',
    call(args) {
      const a = args.value('a');
      if (a.kind !== 'uint') throw new CallError('argument a must be uint');
      return uintValue(wrapUint(~a.value));
    },
  },
  sand: s2((a, b) => a & b),
  sor: s2((a, b) => a | b),
  sxor: s2((a, b) => a ^ b),
  sclear: s2((a, b) => a & ~b),
  slshift: s2((a, b) => a << shiftCount(b)),
  srshift: s2((a, b) => a >> shiftCount(b)),
  snot: { signature: '(a: int) => int', call: (args) => intValue(wrapInt(~args.int('a'))) },
};

export const bitwisePackage: PackageDef = { path: 'bitwise', builtins };
export const experimentalBitwisePackage: PackageDef = { path: 'experimental/bitwise', builtins };
