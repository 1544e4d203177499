import type { FieldSchema, Point } from '../../lineprotocol/point.js';
import type { SeriesEntry } from '../index/series-index.js';
import type { Predicate } from '../storage.js';
import type { Bucket } from './bucket.js';
import type { HeadColumn } from './head-column.js';
import type { Partition } from './partition.js';

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
    const cache = entry.appendCache;
    let columns: (HeadColumn | undefined)[];
    if (cache !== undefined && cache.head === part.head && cache.schema === p.fields) {
      columns = cache.columns as HeadColumn[];
    } else {
      columns = columnsFor(bucket, part, entry, p.fields);
      // Only cache a complete set (a type mismatch leaves a hole, only possible on replay).
      if (!columns.includes(undefined)) entry.appendCache = { head: part.head, schema: p.fields, columns };
    }
    const vals = p.values;
    for (let j = 0; j < columns.length; j++) {
      const col = columns[j];
      if (col === undefined) continue;
      col.append(ts, vals[j]!);
      values++;
    }
    part.headPoints += columns.length;
  }
  return values;
}

/** The live head column of each field of `schema` for `entry` in `part`, created as needed. */
function columnsFor(bucket: Bucket, part: Partition, entry: SeriesEntry, schema: FieldSchema): (HeadColumn | undefined)[] {
  const fieldSeries = bucket.index.fieldsOf(entry, schema);
  const out: (HeadColumn | undefined)[] = [];
  for (let j = 0; j < fieldSeries.length; j++) {
    const fs = fieldSeries[j]!;
    const type = schema.types[j]!;
    let col = part.head.get(fs.id);
    if (col === undefined) {
      const known = part.fieldType(entry.measurement, fs.field);
      if (known === undefined) part.setFieldType(entry.measurement, fs.field, type);
      else if (known !== type) {
        out.push(undefined); // only reachable on replay of a log written by a bug
        continue;
      }
      col = part.column(fs.id, type);
    } else if (col.type !== type) {
      out.push(undefined);
      continue;
    }
    out.push(col);
  }
  return out;
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
