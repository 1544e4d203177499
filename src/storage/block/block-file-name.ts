/**
 * Block file names: `<partitionStartNs>_<partitionEndNs>_<generation, 8 digits>.block`
 * (docs/formats/block.md). Sorting names is not sorting by time (decimal, possibly negative), so
 * callers parse names rather than sort them.
 */
export interface BlockFileName {
  readonly partitionStartNs: bigint;
  /** Exclusive. */
  readonly partitionEndNs: bigint;
  /** Higher generations supersede the ones they list as replaced. */
  readonly generation: number;
}

export const BLOCK_FILE_SUFFIX = '.block';
/** Suffix of a block being written; leftovers are from a crash and are deleted at startup. */
export const BLOCK_TEMP_SUFFIX = '.block.tmp';

const PATTERN = /^(-?\d{1,20})_(-?\d{1,20})_(\d{8,})\.block$/;

export function blockFileName(name: BlockFileName): string {
  if (!Number.isSafeInteger(name.generation) || name.generation < 0) {
    throw new RangeError(`block generation must be a non-negative safe integer, got ${name.generation}`);
  }
  return `${name.partitionStartNs}_${name.partitionEndNs}_${String(name.generation).padStart(8, '0')}${BLOCK_FILE_SUFFIX}`;
}

/** The parts of a block file name, or undefined for any other file (temp files included). */
export function parseBlockFileName(fileName: string): BlockFileName | undefined {
  const m = PATTERN.exec(fileName);
  if (m === null) return undefined;
  const generation = Number(m[3]);
  if (!Number.isSafeInteger(generation)) return undefined;
  return { partitionStartNs: BigInt(m[1]!), partitionEndNs: BigInt(m[2]!), generation };
}
