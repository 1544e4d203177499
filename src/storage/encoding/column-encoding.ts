import { FieldType } from '../../lineprotocol/point.js';
import type { ColumnValues } from '../storage.js';
import { bitmapBooleanCodec } from './bitmap-boolean-codec.js';
import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';
import { constantIntervalTimestampCodec } from './constant-interval-timestamp-codec.js';
import { decimalFloatCodec } from './decimal-float-codec.js';
import { deltaIntegerCodec, deltaUnsignedCodec } from './delta-integer-codec.js';
import { deltaOfDeltaTimestampCodec } from './delta-of-delta-timestamp-codec.js';
import { dictionaryStringCodec } from './dictionary-string-codec.js';
import { rawFloatCodec } from './raw-float-codec.js';
import { scaledDeltaOfDeltaTimestampCodec } from './scaled-delta-of-delta-timestamp-codec.js';
import { rawStringCodec } from './raw-string-codec.js';
import { xorFloatCodec } from './xor-float-codec.js';
import { packedUnsignedCodec, zigzagIntegerCodec } from './zigzag-integer-codec.js';

/**
 * Codec choice per chunk: for each column kind, the codecs in order of preference. The first
 * that accepts the values wins; the last of each list accepts anything. Integer columns are cheap
 * to encode twice, so for them every codec is tried and the smallest payload kept.
 */
const TIMESTAMP_CODECS: readonly ColumnCodec<BigInt64Array>[] = [
  constantIntervalTimestampCodec,
  scaledDeltaOfDeltaTimestampCodec,
  deltaOfDeltaTimestampCodec,
];

const VALUE_CODECS: Record<FieldType, readonly ColumnCodec<any>[]> = {
  [FieldType.Float]: [decimalFloatCodec, xorFloatCodec, rawFloatCodec],
  [FieldType.Integer]: [deltaIntegerCodec, zigzagIntegerCodec],
  [FieldType.Unsigned]: [deltaUnsignedCodec, packedUnsignedCodec],
  [FieldType.String]: [dictionaryStringCodec, rawStringCodec],
  [FieldType.Boolean]: [bitmapBooleanCodec],
};

/** Which field type each value codec decodes to (a chunk's codec must match its series' type). */
const CODEC_TYPES = new Map<number, { codec: ColumnCodec<any>; type: FieldType | 'timestamps' }>();
for (const c of TIMESTAMP_CODECS) CODEC_TYPES.set(c.id, { codec: c, type: 'timestamps' });
for (const [type, codecs] of Object.entries(VALUE_CODECS)) {
  for (const c of codecs) CODEC_TYPES.set(c.id, { codec: c, type: Number(type) as FieldType });
}

/** Every codec, for the shared test suite and the benchmark. */
export const ALL_CODEC_IDS: readonly CodecId[] = [...CODEC_TYPES.keys()] as CodecId[];

/** Appends the payload of the best codec for `timestampsNs` and returns its id. */
export function encodeTimestamps(timestampsNs: BigInt64Array, out: ByteWriter): CodecId {
  for (const codec of TIMESTAMP_CODECS) if (codec.encode(timestampsNs, out)) return codec.id;
  throw new Error('unreachable: the delta-of-delta codec accepts every column');
}

const SMALLEST_OF: ReadonlySet<FieldType> = new Set([FieldType.Integer, FieldType.Unsigned]);

/** Appends the payload of the best codec for `values` of `type` and returns its id. */
export function encodeValues(type: FieldType, values: ColumnValues, out: ByteWriter): CodecId {
  checkValuesType(type, values);
  if (SMALLEST_OF.has(type)) return encodeSmallest(VALUE_CODECS[type], values, out);
  for (const codec of VALUE_CODECS[type]) if (codec.encode(values, out)) return codec.id;
  throw new Error('unreachable: the last codec of each type accepts every column');
}

/** Encodes with every codec and keeps the smallest payload (the first on a tie). */
function encodeSmallest(codecs: readonly ColumnCodec<any>[], values: ColumnValues, out: ByteWriter): CodecId {
  const start = out.length;
  let best: { id: CodecId; payload: Uint8Array } | undefined;
  for (const codec of codecs) {
    out.truncate(start);
    if (!codec.encode(values, out)) continue;
    if (best === undefined || out.length - start < best.payload.length) {
      best = { id: codec.id, payload: out.bytes().slice(start) };
    }
  }
  if (best === undefined) throw new Error('unreachable: integer codecs accept every column');
  out.truncate(start);
  out.bytesOf(best.payload);
  return best.id;
}

/**
 * Decodes a timestamps payload. Throws `RangeError` for an unknown codec id, a values codec, or a
 * malformed payload.
 */
export function decodeTimestamps(codecId: number, payload: Uint8Array, count: number): BigInt64Array {
  const entry = CODEC_TYPES.get(codecId);
  if (entry === undefined || entry.type !== 'timestamps') throw new RangeError(`codec 0x${codecId.toString(16)} is not a timestamps codec`);
  return (entry.codec as ColumnCodec<BigInt64Array>).decode(payload, count);
}

/** Decodes a values payload of `type`. Throws `RangeError` when the codec does not belong to `type`. */
export function decodeValues(type: FieldType, codecId: number, payload: Uint8Array, count: number): ColumnValues {
  const entry = CODEC_TYPES.get(codecId);
  if (entry === undefined || entry.type !== type) {
    throw new RangeError(`codec 0x${codecId.toString(16)} cannot hold values of field type ${type}`);
  }
  return (entry.codec as ColumnCodec<ColumnValues>).decode(payload, count);
}

/** The codec behind an id (for tests and benchmarks), or undefined. */
export function codecById(codecId: number): ColumnCodec<any> | undefined {
  return CODEC_TYPES.get(codecId)?.codec;
}

function checkValuesType(type: FieldType, values: ColumnValues): void {
  if (!valuesMatchType(type, values)) throw new TypeError(`values of field type ${type} must be ${expectedArray(type)}`);
}

/** Whether `values` has the array type `SeriesBatch` uses for `type`. */
export function valuesMatchType(type: FieldType, values: ColumnValues): boolean {
  return type === FieldType.Float
      ? values instanceof Float64Array
      : type === FieldType.Integer
        ? values instanceof BigInt64Array
        : type === FieldType.Unsigned
          ? values instanceof BigUint64Array
          : type === FieldType.String
            ? Array.isArray(values)
            : values instanceof Uint8Array;
}

/** The array type name for a field type's values, for messages. */
export function expectedArray(type: FieldType): string {
  return ['Float64Array', 'BigInt64Array', 'BigUint64Array', 'string[]', 'Uint8Array'][type]!;
}
