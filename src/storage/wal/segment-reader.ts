import type { FileHandle } from 'node:fs/promises';
import { crc32c } from '../crc32c.js';
import { RECORD_HEADER_BYTES, readRecordHeader, SEGMENT_HEADER_BYTES } from './record-format.js';

/** One step of a sequential scan: a valid record, or the first bad record (which ends the scan). */
export type SegmentScanStep =
  | { kind: 'record'; offset: number; groupStart: number; payload: Uint8Array }
  | { kind: 'bad'; offset: number; reason: BadRecordReason };

export type BadRecordReason =
  | 'incomplete record header'
  | 'record header checksum mismatch'
  | 'incomplete record payload'
  | 'payload checksum mismatch';

/** Read granularity; a record larger than this is read in one piece of its own size. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Reads `[from, size)` of a segment file record by record, checking both checksums, and stops at
 * the end or after the first bad record. Payloads are views into freshly allocated read chunks, never
 * reused, so a consumer may keep them; only a record straddling two chunks is copied.
 *
 * Records that end within the first `verifiedBytes` of the file skip the payload checksum: the
 * caller checked them already (replay right after open's recovery scan). Headers are always checked.
 */
export async function* scanSegment(
  fh: FileHandle,
  size: number,
  verifiedBytes = 0,
  from = SEGMENT_HEADER_BYTES,
): AsyncGenerator<SegmentScanStep, void, undefined> {
  let buf = new Uint8Array(0);
  let bufStart = from; // file offset of buf[0]

  // Makes `[offset, offset + n)` (clamped to the file size) available in `buf`; returns its index in buf.
  const ensure = async (offset: number, n: number): Promise<number> => {
    const bufEnd = bufStart + buf.length;
    if (offset >= bufStart && offset + n <= bufEnd) return offset - bufStart;
    const keep = offset < bufEnd ? buf.subarray(offset - bufStart) : new Uint8Array(0);
    const want = Math.min(Math.max(n, CHUNK_BYTES), size - offset);
    const next = new Uint8Array(want);
    next.set(keep);
    let filled = keep.length;
    while (filled < want) {
      const { bytesRead } = await fh.read(next, filled, want - filled, offset + filled);
      if (bytesRead === 0) break; // file shrank under us: the caller sees a short buffer
      filled += bytesRead;
    }
    buf = next.subarray(0, filled);
    bufStart = offset;
    return 0;
  };

  let offset = from;
  while (offset < size) {
    if (size - offset < RECORD_HEADER_BYTES) {
      yield { kind: 'bad', offset, reason: 'incomplete record header' };
      return;
    }
    let at = await ensure(offset, RECORD_HEADER_BYTES);
    if (buf.length - at < RECORD_HEADER_BYTES) {
      yield { kind: 'bad', offset, reason: 'incomplete record header' };
      return;
    }
    const header = readRecordHeader(buf, at, offset);
    if (header === null) {
      yield { kind: 'bad', offset, reason: 'record header checksum mismatch' };
      return;
    }
    const total = RECORD_HEADER_BYTES + header.payloadLength;
    if (offset + total > size) {
      yield { kind: 'bad', offset, reason: 'incomplete record payload' };
      return;
    }
    at = await ensure(offset, total);
    if (buf.length - at < total) {
      yield { kind: 'bad', offset, reason: 'incomplete record payload' };
      return;
    }
    const start = at + RECORD_HEADER_BYTES;
    const verified = offset + total <= verifiedBytes;
    if (!verified && crc32c(buf, 0, start, start + header.payloadLength) !== header.payloadCrc) {
      yield { kind: 'bad', offset, reason: 'payload checksum mismatch' };
      return;
    }
    yield { kind: 'record', offset, groupStart: header.groupStart, payload: buf.subarray(start, start + header.payloadLength) };
    offset += total;
  }
}

/**
 * Decides whether a bad record at segment offset `badOffset` is followed by data of a *later* write
 * group. `tail` holds the segment bytes from `badOffset` to the end of the file. Resyncs byte by
 * byte (a position counts only if header and payload checksums both hold), then follows valid records.
 * Returns the offset of the first valid record whose group started after `badOffset`, or null if there
 * is none (then the bad record lies in the final, never acknowledged write group: a torn tail).
 */
export function findLaterWriteGroup(tail: Uint8Array, badOffset: number): number | null {
  let p = 1;
  while (p + RECORD_HEADER_BYTES <= tail.length) {
    const header = readRecordHeader(tail, p, badOffset + p);
    if (header !== null) {
      const end = p + RECORD_HEADER_BYTES + header.payloadLength;
      if (end <= tail.length && crc32c(tail, 0, p + RECORD_HEADER_BYTES, end) === header.payloadCrc) {
        if (header.groupStart > badOffset) return badOffset + p;
        p = end;
        continue;
      }
    }
    p++;
  }
  return null;
}
