import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { T } from '../../values/mono-type.js';
import { NULL, arrayValue, boolValue, floatValue, recordValue, stringValue, typeOf, type Value } from '../../values/value.js';

/**
 * A JSON document as a Flux value: objects → records, arrays → arrays, numbers → float (JSON has
 * one number type), strings, booleans, null → null.
 */
export function jsonToValue(v: unknown): Value {
  if (v === null) return NULL;
  if (typeof v === 'number') return floatValue(v);
  if (typeof v === 'string') return stringValue(v);
  if (typeof v === 'boolean') return boolValue(v);
  if (Array.isArray(v)) {
    const elements = v.map(jsonToValue);
    return arrayValue(elements, elements.length === 0 ? T.null : typeOf(elements[0]!));
  }
  return recordValue(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, jsonToValue(x)] as const));
}

/** `experimental/json.parse(data:)`: decodes JSON bytes into a Flux value. */
const parse: BuiltinSpec = {
  signature: '(data: bytes) => A',
  call(args) {
    const data = args.value('data');
    if (data.kind !== 'bytes') throw new CallError(`argument data: expected bytes, got ${data.kind}`);
    let doc: unknown;
    try {
      doc = JSON.parse(Buffer.from(data.value).toString('utf8'));
    } catch (e) {
      throw new CallError(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    return jsonToValue(doc);
  },
};

export const experimentalJson: PackageDef = { path: 'experimental/json', builtins: { parse } };
