import type { Point } from '../../lineprotocol/point.js';
import type { Predicate } from '../storage.js';
import type { Bucket } from './bucket.js';

/**
 * Applies points (already validated, or replayed from the WAL) to the live heads of `bucket`.
 * The hot path: per point one partition check, one series-key map look-up (the key string is
 * interned by the parser, so its hash is cached), a schema identity check, and per field two
 * typed-array stores. Returns the number of values stored.
 */
export function appendPoints(bucket: Bucket, points: readonly Point[]): number {
  const index = bucket.index;
  let values = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const ts = p.timestampNs;
    const part = bucket.partitionFor(ts);
    const entry = index.series(p.series);
    const fieldSeries = index.fieldsOf(entry, p.fields);
    const types = p.fields.types;
    for (let j = 0; j < fieldSeries.length; j++) {
      const fs = fieldSeries[j]!;
      const type = types[j]!;
      let col = part.head.get(fs.id);
      if (col === undefined) {
        const known = part.fieldType(entry.measurement, fs.field);
        if (known === undefined) part.setFieldType(entry.measurement, fs.field, type);
        else if (known !== type) continue; // only reachable on replay of a log written by a bug
        col = part.column(fs.id, type);
      } else if (col.type !== type) {
        continue;
      }
      col.append(ts, p.values[j]!);
      values++;
    }
    part.headPoints += fieldSeries.length;
  }
  return values;
}

/** Removes head points with `startNs <= t <= stopNs` of series matching `predicate`. */
export function deleteFromHead(bucket: Bucket, startNs: bigint, stopNs: bigint, predicate: Predicate | undefined): void {
  const parts = bucket.overlapping(startNs, stopNs + 1n);
  if (parts.length === 0) return;
  const ids = bucket.index.select(predicate);
  for (const part of parts) {
    for (const [id, col] of part.head) {
      if (!ids.has(id)) continue;
      part.headPoints -= col.deleteRange(startNs, stopNs);
    }
  }
}
