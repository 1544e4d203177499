import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSegments, parseSegmentFileName, segmentFileName } from './segment-files.js';

describe('segment file names', () => {
  it.each([
    [1, '00000001.wal'],
    [42, '00000042.wal'],
    [99_999_999, '99999999.wal'],
    [123_456_789, '123456789.wal'],
  ])('segment %i is %s, and parses back', (index, name) => {
    expect(segmentFileName(index)).toBe(name);
    expect(parseSegmentFileName(name)).toBe(index);
  });

  it.each(['1.wal', '0000001.wal', '00000001.wal.tmp', '00000001.WAL', 'x0000001.wal', '00000001', 'notes.txt'])(
    '%s is not a segment',
    (name) => {
      expect(parseSegmentFileName(name)).toBeUndefined();
    },
  );

  it('lists segments in numeric order, not name order, and sets other files aside', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-wal-names-'));
    try {
      for (const name of ['100000000.wal', '00000002.wal', '99999999.wal', 'lock', '00000003.wal.tmp']) {
        await writeFile(join(dir, name), '');
      }
      const listing = await listSegments(dir);
      expect(listing.indexes).toEqual([2, 99_999_999, 100_000_000]);
      expect(listing.ignored.sort()).toEqual(['00000003.wal.tmp', 'lock']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
