import type { Bucket } from '../head/bucket.js';
import type { Partition } from '../head/partition.js';
import type { Tombstone } from '../tombstone/tombstone.js';
import type { FieldSeries } from '../index/series-index.js';

/**
 * The latest view made, kept so that one view is always alive and V8 never collects the views'
 * map between reads (see core/shape-anchors.ts; a view needs a bucket, so none is made at load
 * time). It holds a bucket's partition list of then: small, and replaced at the next read.
 */
const latest: { view?: MetadataView } = {};

/**
 * The partitions of a read's range together with everything a metadata answer
 * (metadata-aggregate.ts) depends on besides immutable block entries and the series' live head:
 * the bucket's partition list (`Bucket.layoutVersion`), each partition's blocks and frozen heads
 * (`Partition.version`) and its tombstones (replaced, never changed in place).
 *
 * Contract: while `isCurrent()` holds and `headEmpty(fs)` holds, `aggregateFromMetadata(fs,
 * view.parts, …)` gives now what it gave when computed under this view, so a read may compute an
 * answer a few series early (with its read-ahead) and use it later without computing it again.
 * One view serves a whole read while nothing moves: the partition list is not rebuilt per series.
 */
export class MetadataView {
  private readonly layoutVersion: number;
  private readonly versions: number[];
  private readonly tombstones: (readonly Tombstone[])[];

  private constructor(
    private readonly bucket: Bucket,
    readonly parts: readonly Partition[],
  ) {
    this.layoutVersion = bucket.layoutVersion;
    this.versions = parts.map((p) => p.version);
    this.tombstones = parts.map((p) => p.tombstones);
  }

  static of(bucket: Bucket, startNs: bigint, stopNs: bigint): MetadataView {
    const view = new MetadataView(bucket, bucket.overlapping(startNs, stopNs));
    latest.view = view;
    return view;
  }

  /** No partition was added or removed, and no partition's blocks, frozen heads or tombstones changed. */
  isCurrent(): boolean {
    if (this.bucket.layoutVersion !== this.layoutVersion) return false;
    const parts = this.parts;
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k]!;
      if (p.version !== this.versions[k] || p.tombstones !== this.tombstones[k]) return false;
    }
    return true;
  }

  /** No live head of the view's partitions holds points of `fs` (a metadata answer requires it). */
  headEmpty(fs: FieldSeries): boolean {
    for (const p of this.parts) if (p.head.get(fs.id)?.length) return false;
    return true;
  }
}
