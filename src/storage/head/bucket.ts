import { join } from 'node:path';
import { floorDiv } from '../../core/time.js';
import type { BucketStorageConfig } from '../storage.js';
import { SeriesIndex } from '../index/series-index.js';
import { shardGroupDurationNs } from '../retention/shard-group-duration.js';
import type { HeadMemory } from './head-memory.js';
import { Partition } from './partition.js';

/** One bucket in memory: its settings, its series index and its partitions by start time. */
export class Bucket {
  readonly index = new SeriesIndex();
  private readonly partitions = new Map<bigint, Partition>();
  private last: Partition | undefined;
  retentionNs: bigint;
  shardDurationNs: bigint;
  dropped = false;
  /**
   * Incremented whenever a partition is added or removed: a reader holding the partitions of a
   * range (read/metadata-view.ts) knows from it alone whether that list is still the bucket's.
   */
  layoutVersion = 0;

  constructor(
    readonly id: string,
    config: BucketStorageConfig,
    /** Directory holding this bucket's partition directories. */
    readonly dir: string,
    /** Memory of the heads of this bucket's partitions (engine-wide); default plain typed arrays. */
    private readonly memory?: HeadMemory,
  ) {
    this.retentionNs = config.retentionNs;
    this.shardDurationNs = shardGroupDurationNs(config.retentionNs, config.shardGroupDurationNs);
  }

  configure(config: BucketStorageConfig): void {
    this.retentionNs = config.retentionNs;
    // Existing partitions keep their bounds; a new duration applies to partitions created later,
    // as InfluxDB's shard groups do.
    this.shardDurationNs = shardGroupDurationNs(config.retentionNs, config.shardGroupDurationNs);
  }

  /** The partition holding `timestampNs`, created on first use. */
  partitionFor(timestampNs: bigint): Partition {
    const l = this.last;
    if (l !== undefined && timestampNs >= l.startNs && timestampNs < l.endNs) return l;
    const startNs = floorDiv(timestampNs, this.shardDurationNs) * this.shardDurationNs;
    const aligned = this.partitions.get(startNs);
    if (aligned !== undefined && timestampNs < aligned.endNs) return (this.last = aligned);
    // Partitions created under an earlier shard duration have other bounds.
    for (const p of this.partitions.values()) {
      if (timestampNs >= p.startNs && timestampNs < p.endNs) return (this.last = p);
    }
    return (this.last = this.addPartition(startNs, startNs + this.shardDurationNs));
  }

  addPartition(startNs: bigint, endNs: bigint): Partition {
    const existing = this.partitions.get(startNs);
    if (existing !== undefined) return existing;
    const p = new Partition(startNs, endNs, join(this.dir, partitionDirName(startNs, endNs)), this.memory);
    this.partitions.set(startNs, p);
    this.layoutVersion++;
    return p;
  }

  removePartition(p: Partition): void {
    p.dropped = true;
    this.partitions.delete(p.startNs);
    this.layoutVersion++;
    if (this.last === p) this.last = undefined;
  }

  /** Partitions intersecting `[startNs, stopNs)`, in time order. */
  overlapping(startNs: bigint, stopNs: bigint): Partition[] {
    const out: Partition[] = [];
    for (const p of this.partitions.values()) if (p.startNs < stopNs && p.endNs > startNs) out.push(p);
    return out.sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
  }

  all(): Partition[] {
    return this.overlapping(-(2n ** 63n), 2n ** 63n);
  }
}

/** `<startNs>_<endNs>`: a partition directory names its own bounds, so a later change of the shard duration cannot misread it. */
export function partitionDirName(startNs: bigint, endNs: bigint): string {
  return `${startNs}_${endNs}`;
}

export function parsePartitionDirName(name: string): { startNs: bigint; endNs: bigint } | undefined {
  const m = /^(-?\d+)_(-?\d+)$/.exec(name);
  if (m === null) return undefined;
  return { startNs: BigInt(m[1]!), endNs: BigInt(m[2]!) };
}
