import type { BlockChunkEntry } from './block-index.js';

/**
 * How a chunk relates to a half-open time range `[startNs, stopNs)`, for aggregate push-down:
 * `inside` chunks are answered from their index stats (no read, no decode), `partial` chunks are
 * read and decoded, `outside` chunks are skipped.
 */
export type ChunkOverlap = 'outside' | 'inside' | 'partial';

export function chunkOverlap(chunk: BlockChunkEntry, startNs: bigint, stopNs: bigint): ChunkOverlap {
  if (chunk.maxTimeNs < startNs || chunk.minTimeNs >= stopNs) return 'outside';
  if (chunk.minTimeNs >= startNs && chunk.maxTimeNs < stopNs) return 'inside';
  return 'partial';
}
