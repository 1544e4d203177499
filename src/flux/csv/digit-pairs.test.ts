import { describe, expect, it } from 'vitest';
import { DIGIT_PAIRS, DIGIT_QUADS } from './digit-pairs.js';

describe('digit tables', () => {
  it('DIGIT_PAIRS holds the two digits of every n below 100', () => {
    for (let n = 0; n < 100; n++) expect(String.fromCharCode(DIGIT_PAIRS[2 * n]!, DIGIT_PAIRS[2 * n + 1]!)).toBe(String(n).padStart(2, '0'));
  });

  it('DIGIT_QUADS, stored little-endian, writes the four digits of every n below 10,000', () => {
    const buf = Buffer.alloc(4 * 10_000);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    for (let n = 0; n < 10_000; n++) view.setInt32(4 * n, DIGIT_QUADS[n]!, true);
    for (let n = 0; n < 10_000; n++) expect(buf.toString('latin1', 4 * n, 4 * n + 4)).toBe(String(n).padStart(4, '0'));
  });
});
