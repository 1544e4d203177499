import { invalid } from '../core/errors.js';
import { ExternalKey } from '../flux/interpreter/index.js';
import {
  FALSE,
  TRUE,
  arrayValue,
  floatValue,
  intValue,
  recordValue,
  stringValue,
  type RecordValue,
  type Value,
} from '../flux/values/value.js';

/** The request's `params` object, seen by the program as the record `params`. */
export const QUERY_PARAMS = new ExternalKey<RecordValue>('query parameters');

export const EMPTY_PARAMS: RecordValue = recordValue([]);

/**
 * Converts the JSON `params` of a query request to a Flux record: strings, booleans, integers
 * (int), other numbers (float), arrays of one kind, nested objects (records). `null` members are
 * left out (Flux records have no untyped null fields).
 */
export function paramsRecord(json: unknown): RecordValue {
  if (json === undefined || json === null) return EMPTY_PARAMS;
  if (typeof json !== 'object' || Array.isArray(json)) throw invalid('invalid params: expected an object');
  return objectRecord(json as Record<string, unknown>, 'params');
}

function objectRecord(o: Record<string, unknown>, path: string): RecordValue {
  const fields: [string, Value][] = [];
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined) continue;
    fields.push([k, toValue(v, `${path}.${k}`)]);
  }
  return recordValue(fields);
}

function toValue(v: unknown, path: string): Value {
  switch (typeof v) {
    case 'string':
      return stringValue(v);
    case 'boolean':
      return v ? TRUE : FALSE;
    case 'number':
      return Number.isSafeInteger(v) ? intValue(BigInt(v)) : floatValue(v);
    case 'object': {
      if (Array.isArray(v)) {
        const elements = v.map((e, i) => toValue(e, `${path}[${i}]`));
        if (elements.some((e) => e.kind !== elements[0]!.kind)) throw invalid(`invalid params: ${path} mixes element types`);
        return arrayValue(elements);
      }
      return objectRecord(v as Record<string, unknown>, path);
    }
    default:
      throw invalid(`invalid params: ${path} has an unsupported type`);
  }
}
