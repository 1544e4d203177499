/**
 * The parsed form of line protocol, shared by the parser, the formatter and the storage engine.
 *
 * Shapes are chosen for ingest speed: a `Series` and a `FieldSchema` are interned by the parser and
 * shared by every point that repeats them, so a point costs one object, one values array and one
 * bigint.
 */

export const FieldType = {
  Float: 0,
  Integer: 1,
  Unsigned: 2,
  String: 3,
  Boolean: 4,
} as const;
export type FieldType = (typeof FieldType)[keyof typeof FieldType];

/** InfluxDB's names for field types, as used in error messages ("is type integer"). */
export const FIELD_TYPE_NAMES: Record<FieldType, string> = {
  [FieldType.Float]: 'float',
  [FieldType.Integer]: 'integer',
  [FieldType.Unsigned]: 'unsigned',
  [FieldType.String]: 'string',
  [FieldType.Boolean]: 'boolean',
};

/**
 * Float values are `number`; integer and unsigned values are `bigint` (int64/uint64 do not fit a
 * double); strings are `string`; booleans are `boolean`.
 */
export type FieldValue = number | bigint | string | boolean;

export type Tag = readonly [key: string, value: string];

export interface Series {
  /** Unescaped measurement name. */
  readonly measurement: string;
  /** Unescaped tags sorted by key (byte order), no duplicates. */
  readonly tags: readonly Tag[];
  /**
   * Canonical series key: escaped measurement, then `,key=value` per sorted tag, in line protocol
   * escaping. Two points are in the same series exactly when their keys are equal.
   */
  readonly key: string;
}

export interface FieldSchema {
  /** Unescaped field keys in line order (duplicates possible; the later one wins). */
  readonly keys: readonly string[];
  readonly types: readonly FieldType[];
}

export interface Point {
  readonly series: Series;
  readonly fields: FieldSchema;
  /** Parallel to `fields.keys`. */
  readonly values: readonly FieldValue[];
  /** Nanoseconds since the Unix epoch. */
  readonly timestampNs: bigint;
}

export type Precision = 'ns' | 'us' | 'ms' | 's';

export const PRECISION_NS: Record<Precision, bigint> = { ns: 1n, us: 1_000n, ms: 1_000_000n, s: 1_000_000_000n };
