import { formatRfc3339Nano } from '../../core/time.js';
import { FIELD_TYPE_NAMES, FieldType, type FieldValue, type Point } from '../../lineprotocol/point.js';
import type { RejectedPoint } from '../storage.js';
import { formatGoDuration } from '../retention/shard-group-duration.js';
import type { Bucket } from './bucket.js';

/** InfluxDB's limit on a string field value, in bytes (reference §1.4: the code says 1 MiB). */
export const MAX_STRING_BYTES = 1_048_576;

export interface ValidatedBatch {
  /** Points to store, in input order; a field named `time` already stripped. */
  readonly accepted: Point[];
  readonly rejected: RejectedPoint[];
  /** Field values in `accepted`. */
  readonly values: number;
}

/**
 * Splits a batch into points to store and points to drop, with InfluxDB's reason texts: outside
 * the retention period, field type conflicts (per measurement per partition; the first type seen
 * wins, also within the batch), strings over 1 MiB, and points whose only field is `time`.
 *
 * Field types of accepted points are reserved in their partitions here, synchronously, so a
 * concurrent batch validated before this one's WAL append completes still sees them.
 */
export function validateBatch(bucket: Bucket, points: readonly Point[], nowNs: bigint): ValidatedBatch {
  const accepted: Point[] = [];
  const rejected: RejectedPoint[] = [];
  const expired: number[] = [];
  let values = 0;
  const minTimeNs = bucket.retentionNs > 0n ? nowNs - bucket.retentionNs : undefined;
  // Per-point scratch, reused: the type each field key of the point will get.
  const pending: [string, FieldType][] = [];

  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (minTimeNs !== undefined && p.timestampNs < minTimeNs) {
      expired.push(i);
      continue;
    }
    const part = bucket.partitionFor(p.timestampNs);
    const measurement = p.series.measurement;
    if (part.validatedSchemas.get(p.fields) === measurement) {
      accepted.push(p);
      values += p.fields.keys.length;
      continue;
    }
    const { keys, types } = p.fields;
    let reason: string | undefined;
    let hasTime = false;
    pending.length = 0;
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j]!;
      if (key === 'time') {
        hasTime = true;
        continue;
      }
      const type = types[j]!;
      if (type === FieldType.String) {
        const s = p.values[j] as string;
        if (s.length * 3 > MAX_STRING_BYTES) {
          const bytes = Buffer.byteLength(s, 'utf8');
          if (bytes > MAX_STRING_BYTES) {
            reason = `input field "${key}" on measurement "${measurement}" is too long, ${bytes} > ${MAX_STRING_BYTES}`;
            break;
          }
        }
      }
      let existing = part.fieldType(measurement, key);
      if (existing === undefined) for (const [k, t] of pending) if (k === key) existing = t;
      if (existing === undefined) pending.push([key, type]);
      else if (existing !== type) {
        reason =
          `field type conflict: input field "${key}" on measurement "${measurement}" is type ` +
          `${FIELD_TYPE_NAMES[type]}, already exists as type ${FIELD_TYPE_NAMES[existing]}`;
        break;
      }
    }
    if (reason === undefined && hasTime && keys.length === countKey(keys, 'time')) {
      reason = `invalid field name: input field "time" on measurement "${measurement}" is invalid`;
    }
    if (reason !== undefined) {
      rejected.push({ index: i, reason });
      continue;
    }
    for (const [k, t] of pending) part.setFieldType(measurement, k, t);
    if (!hasTime && !types.includes(FieldType.String)) part.validatedSchemas.set(p.fields, measurement);
    const stored = hasTime ? withoutTimeField(p) : p;
    accepted.push(stored);
    values += stored.fields.keys.length;
  }

  if (expired.length > 0) {
    const reason = retentionReason(points, expired, bucket.retentionNs, minTimeNs!);
    for (const i of expired) rejected.push({ index: i, reason });
    rejected.sort((a, b) => a.index - b.index);
  }
  return { accepted, rejected, values };
}

function countKey(keys: readonly string[], key: string): number {
  let n = 0;
  for (const k of keys) if (k === key) n++;
  return n;
}

function withoutTimeField(p: Point): Point {
  const keys: string[] = [];
  const types: FieldType[] = [];
  const values: FieldValue[] = [];
  for (let j = 0; j < p.fields.keys.length; j++) {
    if (p.fields.keys[j] === 'time') continue;
    keys.push(p.fields.keys[j]!);
    types.push(p.fields.types[j]!);
    values.push(p.values[j]!);
  }
  return { series: p.series, fields: { keys, types }, values, timestampNs: p.timestampNs };
}

function retentionReason(points: readonly Point[], expired: readonly number[], retentionNs: bigint, minTimeNs: bigint): string {
  let oldest = points[expired[0]!]!.timestampNs;
  let newest = oldest;
  for (const i of expired) {
    const t = points[i]!.timestampNs;
    if (t < oldest) oldest = t;
    if (t > newest) newest = t;
  }
  const bound = formatRfc3339Nano(minTimeNs);
  return (
    `dropped ${expired.length} points outside retention policy of duration ${formatGoDuration(retentionNs)} - ` +
    `oldest point ${formatRfc3339Nano(oldest)} dropped because it violates a Retention Policy Lower Bound at ${bound}, ` +
    `newest point ${formatRfc3339Nano(newest)} dropped because it violates a Retention Policy Lower Bound at ${bound}`
  );
}
