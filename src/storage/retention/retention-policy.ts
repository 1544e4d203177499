import type { Bucket } from '../head/bucket.js';
import type { Partition } from '../head/partition.js';

/**
 * Partitions of `bucket` whose whole time range is older than the retention period at `nowNs`
 * (InfluxDB drops a shard group once its end time is before now − retention).
 */
export function expiredPartitions(bucket: Bucket, nowNs: bigint): Partition[] {
  if (bucket.retentionNs <= 0n) return [];
  const cutoffNs = nowNs - bucket.retentionNs;
  return bucket.all().filter((p) => p.endNs <= cutoffNs);
}
