import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { T } from '../../values/mono-type.js';
import { dictGet, dictInsert, dictRemove, dictValue } from '../../values/dict-value.js';
import { typeOf, type Value } from '../../values/value.js';

/** `dict`: building and updating dictionaries (immutable: every update returns a new dict). */
const builtins: Record<string, BuiltinSpec> = {
  fromList: {
    signature: '(pairs: [{key: K, value: V}]) => [K:V]',
    call(args) {
      const pairs = args.array('pairs');
      const entries: [Value, Value][] = pairs.elements.map((p) => {
        const key = p.kind === 'record' ? p.fields.get('key') : undefined;
        const value = p.kind === 'record' ? p.fields.get('value') : undefined;
        if (key === undefined || value === undefined) throw new CallError('pairs must be records {key, value}');
        return [key, value];
      });
      const first = entries[0];
      return dictValue(first === undefined ? T.null : typeOf(first[0]), first === undefined ? T.null : typeOf(first[1]), entries);
    },
  },
  get: {
    signature: '(dict: [K:V], key: K, default: V) => V',
    call: (args) => dictGet(args.dict('dict'), args.value('key')) ?? args.value('default'),
  },
  insert: {
    signature: '(dict: [K:V], key: K, value: V) => [K:V]',
    call(args) {
      const d = args.dict('dict');
      const key = args.value('key');
      const value = args.value('value');
      const typed = d.entries.length === 0 ? { ...d, keyType: typeOf(key), valueType: typeOf(value) } : d;
      return dictInsert(typed, key, value);
    },
  },
  remove: {
    signature: '(dict: [K:V], key: K) => [K:V]',
    call: (args) => dictRemove(args.dict('dict'), args.value('key')),
  },
};

export const dictPackage: PackageDef = { path: 'dict', builtins };
