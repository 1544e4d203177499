import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import { ByteWriter } from '../encoding/byte-writer.js';
import { decodeBlockIndex, encodeBlockIndex, type BlockIndex } from './block-index.js';

const index: BlockIndex = {
  partitionStartNs: -86_400_000_000_000n,
  partitionEndNs: 0n,
  bucketId: 'b1',
  replacedGenerations: [3, 4],
  series: [
    {
      key: 'cpu,host=a',
      measurement: 'cpu',
      tags: [['host', 'a']],
      field: 'usage',
      type: FieldType.Float,
      pointCount: 3,
      minTimeNs: -30n,
      maxTimeNs: -10n,
      chunks: [
        { type: FieldType.Float, minTimeNs: -30n, maxTimeNs: -20n, pointCount: 2, offsetBytes: 8, timestampsLengthBytes: 21, valuesLengthBytes: 30, stats: { type: FieldType.Float, sum: 3, min: 1, max: 2, first: 1, last: 2, minAtNs: -30n, maxAtNs: -20n } },
        { type: FieldType.Float, minTimeNs: -10n, maxTimeNs: -10n, pointCount: 1, offsetBytes: 59, timestampsLengthBytes: 13, valuesLengthBytes: 14, stats: { type: FieldType.Float, sum: 5, min: 5, max: 5, first: 5, last: 5, minAtNs: -10n, maxAtNs: -10n } },
      ],
    },
    {
      key: 'mem,host=a,zone=日本',
      measurement: 'mem',
      tags: [['host', 'a'], ['zone', '日本']],
      field: 'state',
      type: FieldType.String,
      pointCount: 1,
      minTimeNs: -5n,
      maxTimeNs: -5n,
      chunks: [{ type: FieldType.String, minTimeNs: -5n, maxTimeNs: -5n, pointCount: 1, offsetBytes: 86, timestampsLengthBytes: 13, valuesLengthBytes: 9, stats: { type: FieldType.String } }],
    },
  ],
};

function encoded(): Uint8Array {
  const out = new ByteWriter();
  encodeBlockIndex(index, out);
  return out.bytes().slice();
}

describe('block index encoding', () => {
  it('round-trips, storing each distinct string once', () => {
    const bytes = encoded();
    expect(decodeBlockIndex(bytes)).toEqual(index);
    // 'host' is a tag key of both series: one string-table entry (length prefix 4, then the bytes).
    const text = Buffer.from(bytes).toString('latin1');
    expect(text.split('\u0004host').length - 1).toBe(1);
  });

  it('gives the fields of one series one shared tags array, and each series its own tags', () => {
    const base = index.series[0]!;
    const fields = ['a', 'b', 'c'].map((field) => ({ ...base, field, tags: [['host', 'a'], ['zone', 'z']] as [string, string][], key: 'cpu,host=a,zone=z' }));
    // A (malformed) neighbour with the same key but other tags must not inherit the shared array.
    const odd = { ...base, field: 'd', key: 'cpu,host=a,zone=z', tags: [['host', 'b'], ['zone', 'z']] as [string, string][] };
    const next = { ...base, field: 'a', key: 'cpu,host=b', tags: [['host', 'b']] as [string, string][] };
    const out = new ByteWriter();
    encodeBlockIndex({ ...index, series: [...fields, odd, next] }, out);
    const decoded = decodeBlockIndex(out.bytes().slice()).series;
    expect(decoded.map((s) => [s.field, s.tags])).toEqual([
      ['a', [['host', 'a'], ['zone', 'z']]],
      ['b', [['host', 'a'], ['zone', 'z']]],
      ['c', [['host', 'a'], ['zone', 'z']]],
      ['d', [['host', 'b'], ['zone', 'z']]],
      ['a', [['host', 'b']]],
    ]);
    expect(decoded[1]!.tags).toBe(decoded[0]!.tags);
    expect(decoded[2]!.tags).toBe(decoded[0]!.tags);
    expect(decoded[3]!.tags).not.toBe(decoded[0]!.tags);
  });

  it('rejects trailing bytes and truncation', () => {
    const bytes = encoded();
    expect(() => decodeBlockIndex(Uint8Array.from([...bytes, 0]))).toThrow(RangeError);
    for (let cut = 0; cut < bytes.length; cut++) expect(() => decodeBlockIndex(bytes.subarray(0, cut))).toThrow(RangeError);
  });

  it('throws only RangeError (never hangs or allocates wildly) on mutated or random bytes (property)', () => {
    const bytes = encoded();
    const mutated = fc
      .array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
      .map((edits) => {
        const copy = bytes.slice();
        for (const [at, b] of edits) copy[at] = b;
        return copy;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 300 })), (data) => {
        try {
          decodeBlockIndex(data);
        } catch (e) {
          expect(e).toBeInstanceOf(RangeError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
