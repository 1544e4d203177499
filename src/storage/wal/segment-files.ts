import { readdir } from 'node:fs/promises';

/** Naming and listing of segment files (docs/formats/wal.md, "Directory and segment files"). */

const SEGMENT_NAME = /^([0-9]{8,})\.wal$/;

export function segmentFileName(index: number): string {
  return `${String(index).padStart(8, '0')}.wal`;
}

/** The segment index a file name stands for, or undefined if it is not a segment file. */
export function parseSegmentFileName(name: string): number | undefined {
  const m = SEGMENT_NAME.exec(name);
  if (m === null) return undefined;
  const index = Number(m[1]);
  return Number.isSafeInteger(index) ? index : undefined;
}

export interface SegmentListing {
  /** Segment indexes present, ascending. Not necessarily consecutive. */
  indexes: number[];
  /** Directory entries that are not segment files. */
  ignored: string[];
}

export async function listSegments(dir: string): Promise<SegmentListing> {
  const indexes: number[] = [];
  const ignored: string[] = [];
  for (const name of await readdir(dir)) {
    const index = parseSegmentFileName(name);
    if (index === undefined) ignored.push(name);
    else indexes.push(index);
  }
  indexes.sort((a, b) => a - b);
  return { indexes, ignored };
}
