import { crc32c } from '../crc32c.js';

/**
 * Byte layout of WAL segments and records, as specified in docs/formats/wal.md. Pure functions over
 * byte arrays: no I/O here, so the framing can be tested exhaustively.
 */

/** Bytes of the segment header at offset 0: magic "SWAL", version u8, 3 reserved zero bytes. */
export const SEGMENT_HEADER_BYTES = 8;
/** Bytes of a record header: payloadLength, groupStart, payloadCrc, headerCrc (u32 LE each). */
export const RECORD_HEADER_BYTES = 16;
/** Largest payload a record may carry (1 GiB); keeps every segment offset within a u32. */
export const MAX_PAYLOAD_BYTES = 2 ** 30;
export const SEGMENT_FORMAT_VERSION = 1;

const MAGIC = [0x53, 0x57, 0x41, 0x4c] as const; // "SWAL"

export function encodeSegmentHeader(): Uint8Array {
  const h = new Uint8Array(SEGMENT_HEADER_BYTES);
  h.set(MAGIC, 0);
  h[4] = SEGMENT_FORMAT_VERSION;
  return h;
}

export type SegmentHeaderCheck =
  | { ok: true }
  | { ok: false; offset: number; reason: 'incomplete segment header' | 'bad segment magic' | 'unsupported segment version' };

/** Checks the first bytes of a segment file (`bytes` may be shorter than a header). */
export function checkSegmentHeader(bytes: Uint8Array): SegmentHeaderCheck {
  if (bytes.length < SEGMENT_HEADER_BYTES) return { ok: false, offset: 0, reason: 'incomplete segment header' };
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) return { ok: false, offset: 0, reason: 'bad segment magic' };
  }
  if (bytes[4] !== SEGMENT_FORMAT_VERSION) return { ok: false, offset: 4, reason: 'unsupported segment version' };
  return { ok: true };
}

export interface RecordHeader {
  payloadLength: number;
  /** Segment offset of the first record of the write group this record was written with. */
  groupStart: number;
  payloadCrc: number;
}

/** Writes a 16-byte record header into `target` at `at`. */
export function writeRecordHeader(target: Uint8Array, at: number, header: RecordHeader): void {
  const view = new DataView(target.buffer, target.byteOffset + at, RECORD_HEADER_BYTES);
  view.setUint32(0, header.payloadLength, true);
  view.setUint32(4, header.groupStart, true);
  view.setUint32(8, header.payloadCrc, true);
  view.setUint32(12, crc32c(target, 0, at, at + 12), true);
}

/**
 * Decodes the record header at `bytes[at]`, for a record located at segment offset
 * `recordOffset`. Returns null when it is not a valid header: checksum mismatch, length above
 * MAX_PAYLOAD_BYTES, or a group starting outside `[SEGMENT_HEADER_BYTES, recordOffset]`. The caller
 * guarantees 16 bytes. Cheap field checks run before the checksum and nothing is allocated for a
 * rejected position, because recovery calls this at every byte offset when it resyncs.
 */
export function readRecordHeader(bytes: Uint8Array, at: number, recordOffset: number): RecordHeader | null {
  const payloadLength = u32(bytes, at);
  const groupStart = u32(bytes, at + 4);
  if (payloadLength > MAX_PAYLOAD_BYTES || groupStart > recordOffset || groupStart < SEGMENT_HEADER_BYTES) return null;
  if (crc32c(bytes, 0, at, at + 12) !== u32(bytes, at + 12)) return null;
  return { payloadLength, groupStart, payloadCrc: u32(bytes, at + 8) };
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
