import { describe, expect, it } from 'vitest';
import { blockFileName, parseBlockFileName } from './block-file-name.js';

describe('block file names', () => {
  it.each([
    [{ partitionStartNs: 1767225600000000000n, partitionEndNs: 1767312000000000000n, generation: 3 }, '1767225600000000000_1767312000000000000_00000003.block'],
    [{ partitionStartNs: -86400000000000n, partitionEndNs: 0n, generation: 0 }, '-86400000000000_0_00000000.block'],
    [{ partitionStartNs: 0n, partitionEndNs: 3600000000000n, generation: 123456789 }, '0_3600000000000_123456789.block'],
  ])('formats and parses %o', (parts, name) => {
    expect(blockFileName(parts)).toBe(name);
    expect(parseBlockFileName(name)).toEqual(parts);
  });

  it.each(['0_1_00000001.block.tmp', '0_1_1.block', 'x_1_00000001.block', '0_1_00000001.blk', 'README'])('ignores %s', (name) => {
    expect(parseBlockFileName(name)).toBeUndefined();
  });

  it('rejects a negative generation', () => {
    expect(() => blockFileName({ partitionStartNs: 0n, partitionEndNs: 1n, generation: -1 })).toThrow(RangeError);
  });
});
