import { formatRfc3339Nano } from '../../../core/time.js';
import { CallError } from '../../interpreter/index.js';
import { displayValue, formatFluxDuration } from '../../values/format-value.js';
import type { Value } from '../../values/value.js';

/**
 * Flux values as JSON, byte for byte as Flux (Go's encoding/json) writes them: object keys
 * sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped, times as RFC3339 with the shortest
 * fraction, durations and regexps as their Flux text, bytes as base64, dict keys as displayed.
 */
export function encodeJson(v: Value): string {
  switch (v.kind) {
    case 'null':
      return 'null';
    case 'string':
      return quote(v.value);
    case 'bytes':
      return quote(Buffer.from(v.value).toString('base64'));
    case 'int':
    case 'uint':
      return v.value.toString();
    case 'float':
      return encodeFloat(v.value);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'time':
      return quote(formatRfc3339Nano(v.value));
    case 'duration':
      return quote(formatFluxDuration(v.value));
    case 'regexp':
      return quote(v.source);
    case 'array':
      return `[${v.elements.map(encodeJson).join(',')}]`;
    case 'record':
      return object([...v.fields].map(([k, fv]) => [k, encodeJson(fv)]));
    case 'dict':
      return object(v.entries.map(([k, dv]) => [displayValue(k), encodeJson(dv)]));
    case 'stream':
      throw new CallError('got table stream instead of array. Try using tableFind() or findRecord() to extract data from stream');
    case 'function':
      throw new CallError('cannot encode a function value');
  }
}

function object(entries: [string, string][]): string {
  // Go sorts map keys by their bytes; a later duplicate key wins (a map).
  const byKey = new Map(entries);
  const keys = [...byKey.keys()].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  return `{${keys.map((k) => `${quote(k)}:${byKey.get(k)!}`).join(',')}}`;
}

function encodeFloat(f: number): string {
  if (!Number.isFinite(f)) throw new CallError(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  if (Object.is(f, -0)) return '-0';
  // JS and Go agree: shortest digits, exponent form below 1e-6 and from 1e21.
  return String(f);
}

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return `${out}"`;
}
