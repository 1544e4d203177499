import type { FieldType } from '../../lineprotocol/point.js';
import type { Bucket } from '../head/bucket.js';
import type { Partition } from '../head/partition.js';
import { FIELD_KEY, MEASUREMENT_KEY, type FieldSeries } from '../index/series-index.js';
import type { SchemaRequest } from '../storage.js';
import type { ColumnCache } from './column-cache.js';
import { deletedRanges, readSeries } from './series-reader.js';
import { lowerBound } from './time-search.js';

/**
 * Schema listings (measurements, tag keys and values, field keys, cardinality) of the series that
 * hold at least one point in the request's range, as InfluxDB's schema functions answer them.
 * Existence is decided from the head and block index metadata when that is exact, and by reading
 * only when a block entry straddles the range edge or a tombstone touches it.
 */
export class SchemaListing {
  constructor(private readonly cache: ColumnCache | undefined) {}

  async measurements(bucket: Bucket, request: SchemaRequest): Promise<string[]> {
    return this.distinct(bucket, request, (fs) => fs.entry.measurement);
  }

  async tagKeys(bucket: Bucket, request: SchemaRequest): Promise<string[]> {
    const out = new Set<string>();
    for (const fs of await this.seriesWithData(bucket, request)) for (const [k] of fs.entry.tags) out.add(k);
    return [...out].sort();
  }

  async tagValues(bucket: Bucket, request: SchemaRequest & { tagKey: string }): Promise<string[]> {
    const key = request.tagKey;
    return this.distinct(bucket, request, (fs) => {
      if (key === MEASUREMENT_KEY) return fs.entry.measurement;
      if (key === FIELD_KEY) return fs.field;
      for (const [k, v] of fs.entry.tags) if (k === key) return v;
      return undefined;
    });
  }

  /** Field keys with their type in the latest partition of the range that has one. */
  async fieldKeys(bucket: Bucket, request: SchemaRequest): Promise<{ key: string; type: FieldType }[]> {
    const types = new Map<string, FieldType>();
    const parts = bucket.overlapping(request.startNs, request.stopNs);
    for (const fs of await this.seriesWithData(bucket, request)) {
      if (types.has(fs.field)) continue;
      for (let k = parts.length - 1; k >= 0; k--) {
        const t = parts[k]!.fieldType(fs.entry.measurement, fs.field);
        if (t !== undefined) {
          types.set(fs.field, t);
          break;
        }
      }
    }
    return [...types].map(([key, type]) => ({ key, type })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async cardinality(bucket: Bucket, request: SchemaRequest): Promise<number> {
    return (await this.seriesWithData(bucket, request)).length;
  }

  /** Field series matching the predicate with a point in `[startNs, stopNs)`, by storage key. */
  async seriesWithData(bucket: Bucket, request: SchemaRequest): Promise<FieldSeries[]> {
    const parts = bucket.overlapping(request.startNs, request.stopNs);
    if (parts.length === 0) return [];
    const out: FieldSeries[] = [];
    const ids = bucket.index.select(request.predicate).toArray();
    for (const id of ids) {
      const fs = bucket.index.byId(id);
      if (await this.hasData(fs, parts, request.startNs, request.stopNs)) out.push(fs);
    }
    return out.sort((a, b) => (a.storageKey < b.storageKey ? -1 : a.storageKey > b.storageKey ? 1 : 0));
  }

  private async hasData(fs: FieldSeries, parts: readonly Partition[], startNs: bigint, stopNs: bigint): Promise<boolean> {
    let maybe = false;
    for (const part of parts) {
      const live = part.head.get(fs.id);
      if (live !== undefined && live.length > 0) {
        const ts = live.view().timestampsNs;
        const i = lowerBound(ts, startNs);
        if (i < ts.length && ts[i]! < stopNs) return true;
      }
      for (const f of part.frozen) if (f.columns.has(fs.id)) maybe = true;
      for (const block of part.blocks) {
        const e = block.entry(fs.storageKey);
        if (e === undefined || e.maxTimeNs < startNs || e.minTimeNs >= stopNs) continue;
        const inside = e.minTimeNs >= startNs && e.maxTimeNs < stopNs;
        if (inside && deletedRanges(part.tombstones, block.seq, fs).length === 0) return true;
        maybe = true;
      }
    }
    if (!maybe) return false;
    const cols = await readSeries(fs, parts, startNs, stopNs, this.cache);
    return cols.some((c) => c.timestampsNs.length > 0);
  }

  private async distinct(bucket: Bucket, request: SchemaRequest, pick: (fs: FieldSeries) => string | undefined): Promise<string[]> {
    const out = new Set<string>();
    for (const fs of await this.seriesWithData(bucket, request)) {
      const v = pick(fs);
      if (v !== undefined) out.add(v);
    }
    return [...out].sort();
  }
}
