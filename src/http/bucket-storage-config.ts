import type { Bucket } from '../meta/bucket-store.js';
import type { BucketStorageConfig } from '../storage/storage.js';

const NS_PER_S = 1_000_000_000n;

/** The storage engine's view of a metadata bucket. */
export function bucketStorageConfig(b: Bucket): BucketStorageConfig {
  return {
    bucketId: b.id,
    retentionNs: BigInt(b.retentionSeconds) * NS_PER_S,
    shardGroupDurationNs: BigInt(b.shardGroupDurationSeconds) * NS_PER_S,
  };
}
