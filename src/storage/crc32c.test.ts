import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32c } from './crc32c.js';

/** Bit-at-a-time reference implementation, obviously correct and independent of the tables. */
function crc32cReference(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const filled = (n: number, f: (i: number) => number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => f(i));

describe('crc32c', () => {
  // Vectors from RFC 3720 appendix B.4 (iSCSI) and the common "check" value of the CRC catalogue.
  it.each([
    ['empty', new Uint8Array(0), 0x00000000],
    ['"a"', ascii('a'), 0xc1d04330],
    ['check "123456789"', ascii('123456789'), 0xe3069283],
    ['32 zero bytes', new Uint8Array(32), 0x8a9136aa],
    ['32 bytes of 0xFF', new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ['32 incrementing bytes', filled(32, (i) => i), 0x46dd794e],
    ['32 decrementing bytes', filled(32, (i) => 31 - i), 0x113fdb5c],
    ['quick brown fox', ascii('The quick brown fox jumps over the lazy dog'), 0x22620404],
  ])('%s', (_name, data, expected) => {
    expect(crc32c(data)).toBe(expected);
    expect(crc32cReference(data)).toBe(expected);
  });

  it('matches the bit-at-a-time reference for every length 0..64', () => {
    const data = filled(64, (i) => (i * 151 + 7) & 0xff);
    for (let n = 0; n <= 64; n++) expect(crc32c(data.subarray(0, n))).toBe(crc32cReference(data.subarray(0, n)));
  });

  it('matches the reference for views at every byte alignment of the underlying buffer', () => {
    const backing = filled(80, (i) => (i * 73 + 11) & 0xff);
    for (let byteOffset = 0; byteOffset < 8; byteOffset++) {
      for (let n = 0; n <= 40; n++) {
        const view = new Uint8Array(backing.buffer, byteOffset, n);
        expect(crc32c(view)).toBe(crc32cReference(view));
      }
    }
  });

  it('matches the reference on random data at any offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (data, a, b) => {
        const start = data.length === 0 ? 0 : a % (data.length + 1);
        const end = start + (data.length === 0 ? 0 : b % (data.length - start + 1));
        expect(crc32c(data, 0, start, end)).toBe(crc32cReference(data.subarray(start, end)));
      }),
    );
  });

  it('is incremental: crc(b, crc(a)) === crc(a ++ b)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), (a, b) => {
        const ab = new Uint8Array(a.length + b.length);
        ab.set(a);
        ab.set(b, a.length);
        expect(crc32c(b, crc32c(a))).toBe(crc32c(ab));
      }),
    );
  });

  it('detects every single-bit flip in a record-sized buffer', () => {
    const data = filled(64, (i) => (i * 31) & 0xff);
    const good = crc32c(data);
    for (let bit = 0; bit < data.length * 8; bit++) {
      data[bit >>> 3]! ^= 1 << (bit & 7);
      expect(crc32c(data)).not.toBe(good);
      data[bit >>> 3]! ^= 1 << (bit & 7);
    }
  });
});
