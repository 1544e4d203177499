import { invalid } from '../core/errors.js';
import { floorDiv } from '../core/time.js';
import { escapeFieldKey, escapeStringValue } from './escape.js';
import { FieldType, PRECISION_NS, type FieldValue, type Point, type Precision } from './point.js';

function formatValue(type: FieldType, value: FieldValue, key: string): string {
  switch (type) {
    case FieldType.Float: {
      const v = value as number;
      if (!Number.isFinite(v)) throw invalid(`field "${key}" has value ${v}, which line protocol cannot represent`);
      // Shortest text that parses back to the same double; keeps the sign of -0.
      return Object.is(v, -0) ? '-0' : String(v);
    }
    case FieldType.Integer:
      return `${value as bigint}i`;
    case FieldType.Unsigned:
      return `${value as bigint}u`;
    case FieldType.String:
      return `"${escapeStringValue(value as string)}"`;
    case FieldType.Boolean:
      return value ? 'true' : 'false';
  }
}

/**
 * Writes one point as a line of line protocol (no trailing newline), with the timestamp in
 * `precision` (default ns; a finer timestamp is floored to it). The key comes from `series.key`,
 * which is already in escaped form. Names that line protocol cannot carry (see escape.ts) are
 * written as well as possible and will not parse back identically; a NaN or infinite float throws
 * `invalid`.
 */
export function formatPoint(p: Point, precision: Precision = 'ns'): string {
  const { keys, types } = p.fields;
  let line = p.series.key;
  for (let i = 0; i < keys.length; i++) {
    line += `${i === 0 ? ' ' : ','}${escapeFieldKey(keys[i]!)}=${formatValue(types[i]!, p.values[i]!, keys[i]!)}`;
  }
  const ts = precision === 'ns' ? p.timestampNs : floorDiv(p.timestampNs, PRECISION_NS[precision]);
  return `${line} ${ts}`;
}

/** Writes points as a line protocol body, one `\n`-terminated line per point. */
export function formatPoints(points: Iterable<Point>, precision: Precision = 'ns'): string {
  let body = '';
  for (const p of points) body += formatPoint(p, precision) + '\n';
  return body;
}
