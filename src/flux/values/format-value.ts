import { formatDuration, type Duration } from '../../core/duration.js';
import { invalid } from '../../core/errors.js';
import { formatRfc3339Nano } from '../../core/time.js';
import { formatFloatDecimal, formatFloatGeneral } from './format-float.js';
import { formatType } from './mono-type.js';
import { typeOf, type Value } from './value.js';

/** A duration as Flux prints it: the literal form, and `0ns` for zero. */
export function formatFluxDuration(d: Duration): string {
  return d.months === 0 && d.nanoseconds === 0n ? '0ns' : formatDuration(d);
}

/** A time as Flux's `display()` prints it: UTC with all nine fraction digits. */
export function formatFixedTime(timeNs: bigint): string {
  const s = formatRfc3339Nano(timeNs);
  const dot = s.indexOf('.');
  if (dot < 0) return `${s.slice(0, -1)}.000000000Z`;
  return `${s.slice(0, dot + 1)}${s.slice(dot + 1, -1).padEnd(9, '0')}Z`;
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Flux's `display()` text of a value: strings unquoted, `<null>`, records with keys sorted,
 * composites with more than three elements spread over indented lines (4 spaces per level).
 */
export function displayValue(v: Value, indent = 0): string {
  switch (v.kind) {
    case 'null':
      return '<null>';
    case 'string':
      return v.value;
    case 'int':
    case 'uint':
      return v.value.toString();
    case 'float':
      return formatFloatGeneral(v.value);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'time':
      return formatFixedTime(v.value);
    case 'duration':
      return formatFluxDuration(v.value);
    case 'bytes':
      return `0x${hex(v.value)}`;
    case 'regexp':
      return v.source;
    case 'stream':
      return '<stream>';
    case 'function':
      return formatType(v.type);
    case 'array':
      return composite('[', ']', v.elements.map((e) => displayValue(e, indent + 1)), indent, ',');
    case 'record': {
      const keys = [...v.fields.keys()].sort();
      const items = keys.map((k) => `${k}: ${displayValue(v.fields.get(k)!, indent + 1)}`);
      return composite('{', '}', items, indent, ',');
    }
    case 'dict': {
      if (v.entries.length === 0) return '[:]';
      const items = v.entries.map(([k, x]) => `${displayValue(k, indent + 1)}: ${displayValue(x, indent + 1)}`);
      return composite('[', ']', items, indent, ', ');
    }
  }
}

function composite(open: string, close: string, items: string[], indent: number, multilineSep: string): string {
  if (items.length <= 3) return `${open}${items.join(', ')}${close}`;
  const nl = (level: number): string => `\n${'    '.repeat(level)}`;
  return `${open}${nl(indent + 1)}${items.join(`${multilineSep}${nl(indent + 1)}`)}${nl(indent)}${close}`;
}

/**
 * Flux's `string(v:)` conversion: the text of a basic value (floats in plain decimal, times in
 * RFC3339Nano, durations as literals). Throws `invalid` for values that have no string form.
 */
export function stringOf(v: Value): string {
  switch (v.kind) {
    case 'string':
      return v.value;
    case 'int':
    case 'uint':
      return v.value.toString();
    case 'float':
      return formatFloatDecimal(v.value);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'time':
      return formatRfc3339Nano(v.value);
    case 'duration':
      return formatFluxDuration(v.value);
    case 'bytes':
      return new TextDecoder().decode(v.value);
    default:
      throw invalid(`cannot convert ${formatType(typeOf(v))} to string`);
  }
}
