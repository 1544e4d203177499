import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { checkSegmentHeader, SEGMENT_HEADER_BYTES } from './record-format.js';
import { listSegments, segmentFileName } from './segment-files.js';
import { findLaterWriteGroup, scanSegment } from './segment-reader.js';
import { WalCorruptionError } from './wal-corruption-error.js';

/**
 * The recovery scan (docs/formats/wal.md, "Recovery"), without side effects: it reads every segment,
 * checks every checksum and says what, if anything, must be done. `Wal.open` and `Wal.repair` act on
 * the result.
 */

export interface SegmentSummary {
  index: number;
  name: string;
  fileSizeBytes: number;
  /** Valid records found (up to the damage, for the damaged segment). */
  records: number;
}

export type WalDamage =
  /** The last segment's creation was torn (header shorter than 8 bytes or unwritten): rewrite it empty. */
  | { kind: 'torn-header'; segment: SegmentSummary }
  /** The last segment ends in the final, never acknowledged write group: truncate at `offset`. */
  | { kind: 'torn-tail'; segment: SegmentSummary; offset: number; reason: string }
  /**
   * Real damage. Repair keeps segments before position `dropFrom` of `segments`, after truncating
   * `truncate.segment` at `truncate.offset` if given (an offset inside the header means: rewrite empty).
   */
  | {
      kind: 'corruption';
      error: WalCorruptionError;
      truncate: { segment: SegmentSummary; offset: number } | null;
      dropFrom: number;
    };

export interface WalInspection {
  segments: SegmentSummary[];
  /** The first damage found; the scan stops there. */
  damage: WalDamage | null;
  /** Directory entries that are not segment files. */
  ignored: string[];
}

export async function inspectWal(dir: string): Promise<WalInspection> {
  const { indexes, ignored } = await listSegments(dir);
  const segments: SegmentSummary[] = [];
  for (let i = 0; i < indexes.length; i++) {
    const index = indexes[i]!;
    const name = segmentFileName(index);
    const isLast = i === indexes.length - 1;
    if (i > 0 && index !== indexes[i - 1]! + 1) {
      const missing = segmentFileName(indexes[i - 1]! + 1);
      const error = new WalCorruptionError(missing, indexes[i - 1]! + 1, 0, 'missing segment (gap in segment indexes)');
      await appendSummaries(dir, indexes.slice(i), segments);
      return { segments, damage: { kind: 'corruption', error, truncate: null, dropFrom: i }, ignored };
    }
    const fh = await open(join(dir, name), 'r');
    try {
      const fileSizeBytes = (await fh.stat()).size;
      const segment: SegmentSummary = { index, name, fileSizeBytes, records: 0 };
      segments.push(segment);
      const head = new Uint8Array(Math.min(SEGMENT_HEADER_BYTES, fileSizeBytes));
      await fh.read(head, 0, head.length, 0);
      const headerCheck = checkSegmentHeader(head);
      if (!headerCheck.ok) {
        const tornCreation =
          isLast && (fileSizeBytes < SEGMENT_HEADER_BYTES || (fileSizeBytes === SEGMENT_HEADER_BYTES && headerCheck.reason === 'bad segment magic'));
        if (tornCreation) return { segments, damage: { kind: 'torn-header', segment }, ignored };
        const error = new WalCorruptionError(name, index, headerCheck.offset, headerCheck.reason);
        await appendSummaries(dir, indexes.slice(i + 1), segments);
        return { segments, damage: { kind: 'corruption', error, truncate: { segment, offset: 0 }, dropFrom: i + 1 }, ignored };
      }
      for await (const step of scanSegment(fh, fileSizeBytes)) {
        if (step.kind === 'record') {
          segment.records++;
          continue;
        }
        let laterGroupAt: number | null = 0;
        if (isLast) {
          const tail = new Uint8Array(fileSizeBytes - step.offset);
          await fh.read(tail, 0, tail.length, step.offset);
          laterGroupAt = findLaterWriteGroup(tail, step.offset);
          if (laterGroupAt === null) {
            return { segments, damage: { kind: 'torn-tail', segment, offset: step.offset, reason: step.reason }, ignored };
          }
        }
        const why = isLast
          ? `${step.reason}, followed by a valid record of a later write group at offset ${laterGroupAt}`
          : `${step.reason} (in a segment that is not the last)`;
        const error = new WalCorruptionError(name, index, step.offset, why);
        await appendSummaries(dir, indexes.slice(i + 1), segments);
        return { segments, damage: { kind: 'corruption', error, truncate: { segment, offset: step.offset }, dropFrom: i + 1 }, ignored };
      }
    } finally {
      await fh.close();
    }
  }
  return { segments, damage: null, ignored };
}

async function summarize(dir: string, index: number): Promise<SegmentSummary> {
  const name = segmentFileName(index);
  const fh = await open(join(dir, name), 'r');
  try {
    return { index, name, fileSizeBytes: (await fh.stat()).size, records: 0 };
  } finally {
    await fh.close();
  }
}

async function appendSummaries(dir: string, indexes: number[], into: SegmentSummary[]): Promise<void> {
  for (const index of indexes) into.push(await summarize(dir, index));
}
