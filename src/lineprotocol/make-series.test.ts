import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { compareUtf8, makeSeries, seriesKey } from './make-series.js';

describe('compareUtf8', () => {
  it('orders like the UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
        expect(Math.sign(compareUtf8(a, b))).toBe(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('makeSeries', () => {
  it('sorts tags and builds the escaped key', () => {
    const s = makeSeries('we ather', [
      ['zone', 'a,b'],
      ['Area', 'x=y'],
      ['b c', 'd'],
    ]);
    expect(s.tags).toEqual([
      ['Area', 'x=y'],
      ['b c', 'd'],
      ['zone', 'a,b'],
    ]);
    expect(s.key).toBe('we\\ ather,Area=x\\=y,b\\ c=d,zone=a\\,b');
    expect(seriesKey('m', [])).toBe('m');
  });

  it('does not reorder the caller\'s array', () => {
    const tags: [string, string][] = [
      ['b', '1'],
      ['a', '2'],
    ];
    makeSeries('m', tags);
    expect(tags[0]![0]).toBe('b');
  });
});
