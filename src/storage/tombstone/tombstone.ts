import type { Predicate } from '../storage.js';

/**
 * A delete as it applies to blocks: points with `startNs <= t <= stopNs` of series matching
 * `predicate`, in blocks whose `seq <= maxBlockSeq` (blocks allocated after the delete hold only
 * data written after it, because the delete also removed the points from the head).
 */
export interface Tombstone {
  readonly startNs: bigint;
  readonly stopNs: bigint;
  readonly predicate: Predicate | undefined;
  readonly maxBlockSeq: number;
}
