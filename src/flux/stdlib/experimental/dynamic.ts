import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { boolValue, bytesValue, type Value } from '../../values/value.js';
import { encodeJson } from '../json/json-encode.js';
import { jsonToValue } from './json-parse.js';

/**
 * experimental/dynamic, with dynamic values represented by the values themselves.
 *
 * Flux's `dynamic` type exists for its static type checker: it lets a value of unknown shape
 * (parsed JSON) flow through typed code. This engine checks types at run time only, so wrapping
 * is the identity and every runtime behaviour follows from the wrapped value: member access on
 * a non-record fails with `cannot access property`, a missing field reads as null, casts go
 * through universe's conversions. Known difference (needs a Value kind of its own, a contract
 * change in src/flux/values): `display()` shows the bare value, not `dynamic(...)`, and arrays
 * mixing element types cannot be built in Flux source.
 */
const dynamic: BuiltinSpec = {
  signature: '(v: A) => dynamic',
  call: (args) => args.value('v'),
};

const asArray: BuiltinSpec = {
  signature: '(<-v: dynamic) => [dynamic]',
  call(args) {
    const v = args.value('v');
    if (v.kind !== 'array') throw new CallError(`unable to convert ${v.kind} to an array`);
    return v;
  },
};

/** isType's names for value kinds. */
const TYPE_NAMES: Partial<Record<Value['kind'], string>> = {
  string: 'string',
  bytes: 'bytes',
  int: 'int',
  uint: 'uint',
  float: 'float',
  bool: 'bool',
  time: 'time',
  duration: 'duration',
  regexp: 'regexp',
  array: 'array',
  record: 'object',
  function: 'function',
  dict: 'dictionary',
};

const isType: BuiltinSpec = {
  signature: '(v: dynamic, type: string) => bool',
  call(args) {
    const v = args.value('v');
    return boolValue(v.kind !== 'null' && TYPE_NAMES[v.kind] === args.string('type'));
  },
};

const jsonParse: BuiltinSpec = {
  signature: '(data: bytes) => dynamic',
  call(args) {
    const data = args.value('data');
    if (data.kind !== 'bytes') throw new CallError(`argument data: expected bytes, got ${data.kind}`);
    try {
      return jsonToValue(JSON.parse(Buffer.from(data.value).toString('utf8')));
    } catch (e) {
      if (e instanceof CallError) throw e;
      throw new CallError(`unable to parse JSON: ${(e as Error).message}`);
    }
  },
};

const jsonEncode: BuiltinSpec = {
  signature: '(v: dynamic) => bytes',
  call: (args) => bytesValue(Buffer.from(encodeJson(args.value('v')), 'utf8')),
};

export const experimentalDynamic: PackageDef = {
  path: 'experimental/dynamic',
  builtins: { dynamic, asArray, isType, jsonParse, jsonEncode },
  source: '_isNotDistinct = (a, b) => display(v: a) == display(v: b)\n',
};
