import { FieldType, type FieldSchema, type FieldValue, type Point, type Series, type Tag } from '../../lineprotocol/point.js';

/**
 * Builds Points without the line-protocol parser, interning series and schemas the way the parser
 * does (same key → same object), for tests, benchmarks and the crash-test writer.
 */
export class PointBuilder {
  private readonly series = new Map<string, Series>();
  private readonly schemas = new Map<string, FieldSchema>();

  point(measurement: string, tags: Record<string, string>, fields: Record<string, FieldValue>, timestampNs: bigint): Point {
    const keys = Object.keys(fields);
    const types = keys.map((k) => typeOf(fields[k]!));
    return {
      series: this.seriesOf(measurement, tags),
      fields: this.schemaOf(keys, types),
      values: keys.map((k) => fields[k]!),
      timestampNs,
    };
  }

  /** A point with an explicit field type list (e.g. to write unsigned values). */
  typed(measurement: string, tags: Record<string, string>, fields: [string, FieldType, FieldValue][], timestampNs: bigint): Point {
    return {
      series: this.seriesOf(measurement, tags),
      fields: this.schemaOf(
        fields.map((f) => f[0]),
        fields.map((f) => f[1]),
      ),
      values: fields.map((f) => f[2]),
      timestampNs,
    };
  }

  seriesOf(measurement: string, tags: Record<string, string>): Series {
    const sorted: Tag[] = Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const key = escape(measurement, /[, ]/g) + sorted.map(([k, v]) => `,${escape(k, /[,= ]/g)}=${escape(v, /[,= ]/g)}`).join('');
    let s = this.series.get(key);
    if (s === undefined) {
      s = { measurement, tags: sorted, key };
      this.series.set(key, s);
    }
    return s;
  }

  private schemaOf(keys: string[], types: FieldType[]): FieldSchema {
    const id = keys.map((k, i) => `${k}\u0000${types[i]}`).join('\u0001');
    let f = this.schemas.get(id);
    if (f === undefined) {
      f = { keys, types };
      this.schemas.set(id, f);
    }
    return f;
  }
}

function typeOf(v: FieldValue): FieldType {
  if (typeof v === 'number') return FieldType.Float;
  if (typeof v === 'bigint') return FieldType.Integer;
  if (typeof v === 'string') return FieldType.String;
  return FieldType.Boolean;
}

function escape(s: string, re: RegExp): string {
  return s.replace(re, (c) => `\\${c}`);
}
