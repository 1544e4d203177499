import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkSegmentHeader,
  encodeSegmentHeader,
  MAX_PAYLOAD_BYTES,
  readRecordHeader,
  RECORD_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  writeRecordHeader,
} from './record-format.js';

describe('segment header', () => {
  it('is "SWAL", version 1, three zero bytes', () => {
    expect([...encodeSegmentHeader()]).toEqual([0x53, 0x57, 0x41, 0x4c, 1, 0, 0, 0]);
  });

  it.each([
    ['valid', [...encodeSegmentHeader()], { ok: true }],
    ['empty', [], { ok: false, offset: 0, reason: 'incomplete segment header' }],
    ['7 bytes', [0x53, 0x57, 0x41, 0x4c, 1, 0, 0], { ok: false, offset: 0, reason: 'incomplete segment header' }],
    ['zeros', [0, 0, 0, 0, 0, 0, 0, 0], { ok: false, offset: 0, reason: 'bad segment magic' }],
    ['version 2', [0x53, 0x57, 0x41, 0x4c, 2, 0, 0, 0], { ok: false, offset: 4, reason: 'unsupported segment version' }],
  ])('%s', (_name, bytes, expected) => {
    expect(checkSegmentHeader(Uint8Array.from(bytes))).toEqual(expected);
  });
});

describe('record header', () => {
  it('round-trips at any position in a buffer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_PAYLOAD_BYTES }),
        fc.integer({ min: SEGMENT_HEADER_BYTES, max: 2 ** 31 }),
        fc.nat({ max: 2 ** 31 }),
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 7 }),
        (payloadLength, groupStart, extra, payloadCrc, at) => {
          const buf = new Uint8Array(at + RECORD_HEADER_BYTES);
          writeRecordHeader(buf, at, { payloadLength, groupStart, payloadCrc });
          expect(readRecordHeader(buf, at, groupStart + extra)).toEqual({ payloadLength, groupStart, payloadCrc });
        },
      ),
    );
  });

  it('lays fields out little-endian: length, groupStart, payloadCrc, headerCrc', () => {
    const buf = new Uint8Array(RECORD_HEADER_BYTES);
    writeRecordHeader(buf, 0, { payloadLength: 0x01020304, groupStart: 0x0a0b0c0d, payloadCrc: 0xdeadbeef });
    expect([...buf.subarray(0, 12)]).toEqual([4, 3, 2, 1, 0x0d, 0x0c, 0x0b, 0x0a, 0xef, 0xbe, 0xad, 0xde]);
  });

  it('rejects every single-bit flip', () => {
    const buf = new Uint8Array(RECORD_HEADER_BYTES);
    writeRecordHeader(buf, 0, { payloadLength: 1234, groupStart: 8, payloadCrc: 0x12345678 });
    for (let bit = 0; bit < RECORD_HEADER_BYTES * 8; bit++) {
      buf[bit >>> 3]! ^= 1 << (bit & 7);
      expect(readRecordHeader(buf, 0, 100)).toBeNull();
      buf[bit >>> 3]! ^= 1 << (bit & 7);
    }
    expect(readRecordHeader(buf, 0, 100)).not.toBeNull();
  });

  it.each([
    ['zero bytes (unwritten or zero-filled file space)', () => new Uint8Array(RECORD_HEADER_BYTES), 100],
    ['a group starting after the record', () => header(10, 200, 0), 100],
    ['a group starting inside the segment header', () => header(10, 4, 0), 100],
    ['a length above 1 GiB', () => header(MAX_PAYLOAD_BYTES + 1, 8, 0), 100],
  ])('rejects %s', (_name, make, recordOffset) => {
    expect(readRecordHeader(make(), 0, recordOffset)).toBeNull();
  });
});

function header(payloadLength: number, groupStart: number, payloadCrc: number): Uint8Array {
  const buf = new Uint8Array(RECORD_HEADER_BYTES);
  writeRecordHeader(buf, 0, { payloadLength, groupStart, payloadCrc });
  return buf;
}
