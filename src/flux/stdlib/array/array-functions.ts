import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { arrayValue, type FunctionValue, type Value } from '../../values/value.js';

/** `array.concat`, `array.map`, `array.filter`: functions over array values (not streams). */

/** Calls `fn(x: v)`, awaiting only when the function is asynchronous. */
async function callEach(elements: readonly Value[], fn: FunctionValue): Promise<Value[]> {
  const out: Value[] = new Array<Value>(elements.length);
  for (let i = 0; i < elements.length; i++) {
    const r = fn.call(new Map([['x', elements[i]!]]));
    out[i] = r instanceof Promise ? await r : r;
  }
  return out;
}

const builtins: Record<string, BuiltinSpec> = {
  concat: {
    signature: '(<-arr: [A], v: [A]) => [A]',
    call(args) {
      const a = args.array('arr');
      const b = args.array('v');
      const elementType = a.elements.length > 0 ? a.elementType : b.elementType;
      return arrayValue([...a.elements, ...b.elements], elementType);
    },
  },
  map: {
    signature: '(<-arr: [A], fn: (x: A) => B) => [B]',
    async call(args) {
      const out = await callEach(args.array('arr').elements, args.fn('fn'));
      return arrayValue(out);
    },
  },
  filter: {
    signature: '(<-arr: [A], fn: (x: A) => bool) => [A]',
    async call(args) {
      const a = args.array('arr');
      const keep = await callEach(a.elements, args.fn('fn'));
      return arrayValue(
        a.elements.filter((_, i) => {
          const k = keep[i]!;
          if (k.kind === 'null') return false;
          if (k.kind !== 'bool') throw new CallError(`filter function must return a bool, got ${k.kind}`);
          return k.value;
        }),
        a.elementType,
      );
    },
  },
};

export const arrayFunctions: PackageDef = { path: 'array', builtins };
