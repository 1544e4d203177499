import { internal } from '../../core/errors.js';
import { FieldType, type FieldSchema, type Point, type Series, type Tag } from '../../lineprotocol/point.js';
import type { Predicate } from '../storage.js';
import { predicateFromJson, predicateToJson } from '../tombstone/predicate-json.js';
import { ByteReader } from '../encoding/byte-reader.js';
import { ByteWriter } from '../encoding/byte-writer.js';

/**
 * Codec of WAL record payloads (docs/formats/record.md). The WAL frames bytes; this module alone
 * knows what they mean. Type numbers are only ever added.
 */
export const RecordType = {
  Write: 1,
  Delete: 2,
} as const;

export interface WriteRecord {
  readonly type: typeof RecordType.Write;
  readonly bucketId: string;
  readonly points: readonly Point[];
}

export interface DeleteRecord {
  readonly type: typeof RecordType.Delete;
  readonly bucketId: string;
  readonly startNs: bigint;
  readonly stopNs: bigint;
  readonly predicate: Predicate | undefined;
}

export type WalRecord = WriteRecord | DeleteRecord;

/**
 * Encoded series-table entries of recently written series, by identity (the parser interns
 * `Series`, so a batch repeats the objects of the last one): a TSBS batch's 100 entries are 22
 * strings each. Bounded: cleared when full, so memory stays under ~MAX_CACHED_SERIES × entry size.
 */
const seriesBytes = new Map<Series, Uint8Array>();
const MAX_CACHED_SERIES = 10_000;

/**
 * Encodes the points at `indexes` of `points` (all of them when omitted). Each point's field list
 * is written as given; callers strip fields they do not store first.
 */
export function encodeWriteRecord(bucketId: string, points: readonly Point[], indexes?: readonly number[]): Uint8Array {
  const count = indexes === undefined ? points.length : indexes.length;
  const seriesIndex = new Map<Series, number>();
  const schemaIndex = new Map<FieldSchema, number>();
  const seriesList: Series[] = [];
  const schemaList: FieldSchema[] = [];
  /** Worst-case encoded bytes of one point's values per schema; -1 when it holds strings. */
  const fixedBytes: number[] = [];
  // Table indexes per point, found once (consecutive points usually repeat series and schema).
  const pointSeries = new Int32Array(count);
  const pointSchema = new Int32Array(count);
  let lastSeries: Series | undefined;
  let lastSchema: FieldSchema | undefined;
  let si = -1;
  let fi = -1;
  let bound = 0;
  for (let i = 0; i < count; i++) {
    const p = points[indexes === undefined ? i : indexes[i]!]!;
    if (p.series !== lastSeries) {
      lastSeries = p.series;
      const known = seriesIndex.get(p.series);
      if (known === undefined) {
        si = seriesList.length;
        seriesIndex.set(p.series, si);
        seriesList.push(p.series);
      } else si = known;
    }
    if (p.fields !== lastSchema) {
      lastSchema = p.fields;
      const known = schemaIndex.get(p.fields);
      if (known === undefined) {
        fi = schemaList.length;
        schemaIndex.set(p.fields, fi);
        schemaList.push(p.fields);
        fixedBytes.push(valueBytes(p.fields));
      } else fi = known;
    }
    pointSeries[i] = si;
    pointSchema[i] = fi;
    const fixed = fixedBytes[fi]!;
    bound += 18 + (fixed >= 0 ? fixed : stringPointBytes(p));
  }
  const w = new ByteWriter(256 + bound);
  w.u8(RecordType.Write);
  w.str(bucketId);
  w.uvarint(seriesList.length);
  for (const s of seriesList) {
    const cached = seriesBytes.get(s);
    if (cached !== undefined) {
      w.bytesOf(cached);
      continue;
    }
    const at = w.length;
    w.str(s.key);
    w.str(s.measurement);
    w.uvarint(s.tags.length);
    for (const [k, v] of s.tags) {
      w.str(k);
      w.str(v);
    }
    if (seriesBytes.size >= MAX_CACHED_SERIES) seriesBytes.clear();
    seriesBytes.set(s, w.bytes().slice(at));
  }
  w.uvarint(schemaList.length);
  for (const f of schemaList) {
    w.uvarint(f.keys.length);
    for (let j = 0; j < f.keys.length; j++) {
      w.str(f.keys[j]!);
      w.u8(f.types[j]!);
    }
  }
  w.uvarint(count);
  w.ensure(bound);
  for (let i = 0; i < count; i++) {
    const p = points[indexes === undefined ? i : indexes[i]!]!;
    w.uvarintUnchecked(pointSeries[i]!);
    w.uvarintUnchecked(pointSchema[i]!);
    w.i64Unchecked(p.timestampNs);
    const types = p.fields.types;
    const values = p.values;
    for (let j = 0; j < types.length; j++) {
      const v = values[j]!;
      switch (types[j]) {
        case FieldType.Float:
          w.f64Unchecked(v as number);
          break;
        case FieldType.Integer:
          w.i64Unchecked(v as bigint);
          break;
        case FieldType.Unsigned:
          w.u64Unchecked(v as bigint);
          break;
        case FieldType.String:
          w.str(v as string);
          break;
        case FieldType.Boolean:
          w.u8Unchecked(v === true ? 1 : 0);
          break;
        default:
          throw internal(`unknown field type ${String(types[j])}`);
      }
    }
  }
  return w.bytes();
}

/** Bytes of one point's values for a schema without strings; -1 if it has strings. */
function valueBytes(f: FieldSchema): number {
  let n = 0;
  for (const t of f.types) {
    if (t === FieldType.String) return -1;
    n += t === FieldType.Boolean ? 1 : 8;
  }
  return n;
}

/** Worst-case bytes of a point's values when some are strings (3 UTF-8 bytes per UTF-16 unit). */
function stringPointBytes(p: Point): number {
  let n = 0;
  for (let j = 0; j < p.fields.types.length; j++) {
    const t = p.fields.types[j];
    n += t === FieldType.String ? 5 + (p.values[j] as string).length * 3 : 8;
  }
  return n;
}

export function encodeDeleteRecord(r: Omit<DeleteRecord, 'type'>): Uint8Array {
  const w = new ByteWriter(64);
  w.u8(RecordType.Delete);
  w.str(r.bucketId);
  w.i64(r.startNs);
  w.i64(r.stopNs);
  w.str(predicateToJson(r.predicate));
  return w.bytes();
}

/** Decodes one payload. Throws SluiceError(internal) on an unknown type or malformed bytes. */
export function decodeRecord(bytes: Uint8Array): WalRecord {
  try {
    return decodeRecordBody(new ByteReader(bytes));
  } catch (e) {
    // The shared reader reports a short read as RangeError; for a WAL payload that means the
    // record is malformed (its CRC passed, so this is a codec bug or a foreign file).
    if (e instanceof RangeError) throw internal(`malformed record: ${e.message}`);
    throw e;
  }
}

function decodeRecordBody(r: ByteReader): WalRecord {
  const type = r.u8();
  switch (type) {
    case RecordType.Write:
      return decodeWrite(r);
    case RecordType.Delete: {
      const bucketId = r.str();
      const startNs = r.i64();
      const stopNs = r.i64();
      const predicate = predicateFromJson(r.str());
      return { type: RecordType.Delete, bucketId, startNs, stopNs, predicate };
    }
    default:
      throw internal(`unknown WAL record type ${type}`);
  }
}

function decodeWrite(r: ByteReader): WriteRecord {
  const bucketId = r.str();
  const nSeries = r.uvarint();
  const series: Series[] = [];
  for (let i = 0; i < nSeries; i++) {
    const key = r.str();
    const measurement = r.str();
    const nTags = r.uvarint();
    const tags: Tag[] = [];
    for (let t = 0; t < nTags; t++) tags.push([r.str(), r.str()]);
    series.push({ key, measurement, tags });
  }
  const nSchemas = r.uvarint();
  const schemas: FieldSchema[] = [];
  for (let i = 0; i < nSchemas; i++) {
    const n = r.uvarint();
    const keys: string[] = [];
    const types: FieldType[] = [];
    for (let j = 0; j < n; j++) {
      keys.push(r.str());
      types.push(r.u8() as FieldType);
    }
    schemas.push({ keys, types });
  }
  const nPoints = r.uvarint();
  const points: Point[] = new Array<Point>(nPoints);
  for (let i = 0; i < nPoints; i++) {
    const s = series[r.uvarint()];
    const f = schemas[r.uvarint()];
    if (s === undefined || f === undefined) throw internal(`malformed write record: bad table index at point ${i}`);
    const timestampNs = r.i64();
    const values: (number | bigint | string | boolean)[] = new Array(f.types.length);
    for (let j = 0; j < f.types.length; j++) {
      switch (f.types[j]) {
        case FieldType.Float:
          values[j] = r.f64();
          break;
        case FieldType.Integer:
          values[j] = r.i64();
          break;
        case FieldType.Unsigned:
          values[j] = r.u64();
          break;
        case FieldType.String:
          values[j] = r.str();
          break;
        case FieldType.Boolean:
          values[j] = r.u8() !== 0;
          break;
        default:
          throw internal(`malformed write record: unknown field type ${String(f.types[j])}`);
      }
    }
    points[i] = { series: s, fields: f, values, timestampNs };
  }
  if (r.remaining !== 0) throw internal(`malformed write record: ${r.remaining} trailing bytes`);
  return { type: RecordType.Write, bucketId, points };
}
