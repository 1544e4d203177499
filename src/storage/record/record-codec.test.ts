import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldType, type FieldValue, type Series } from '../../lineprotocol/point.js';
import { PointBuilder } from '../head/point-builder.js';
import { decodeRecord, encodeDeleteRecord, encodeWriteRecord, RecordType } from './record-codec.js';

const fieldArb: fc.Arbitrary<[string, FieldType, FieldValue]> = fc.oneof(
  fc.tuple(fc.constantFrom('f', 'g'), fc.constant(FieldType.Float), fc.double()),
  fc.tuple(fc.constant('i'), fc.constant(FieldType.Integer), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
  fc.tuple(fc.constant('u'), fc.constant(FieldType.Unsigned), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
  fc.tuple(fc.constant('s'), fc.constant(FieldType.String), fc.string({ unit: 'binary', maxLength: 200 })),
  fc.tuple(fc.constant('b'), fc.constant(FieldType.Boolean), fc.boolean()),
);

describe('record codec', () => {
  it('round-trips write records of any values, series and schemas', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.array(
          fc.record({
            m: fc.constantFrom('cpu', 'mém', 'a b'),
            tags: fc.dictionary(fc.constantFrom('host', 'région', 'z'), fc.string({ minLength: 1, maxLength: 30 })),
            fields: fc.uniqueArray(fieldArb, { minLength: 1, maxLength: 5, selector: (f) => f[0] }),
            ts: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          }),
          { maxLength: 30 },
        ),
        (bucketId, specs) => {
          const pb = new PointBuilder();
          const points = specs.map((s) => pb.typed(s.m, s.tags, s.fields, s.ts));
          const decoded = decodeRecord(encodeWriteRecord(bucketId, points));
          expect(decoded.type).toBe(RecordType.Write);
          if (decoded.type !== RecordType.Write) return;
          expect(decoded.bucketId).toBe(bucketId);
          expect(decoded.points.map((p) => [p.series.key, p.series.measurement, p.series.tags, p.fields.keys, p.fields.types, p.values, p.timestampNs])).toEqual(
            points.map((p) => [p.series.key, p.series.measurement, p.series.tags, p.fields.keys, p.fields.types, p.values, p.timestampNs]),
          );
        },
      ),
    );
  });

  it('writes a series from its cached entry exactly as it writes it afresh', () => {
    const pb = new PointBuilder();
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            m: fc.constantFrom('cpu', 'mém'),
            tags: fc.dictionary(fc.constantFrom('host', 'région'), fc.string({ minLength: 1, maxLength: 60 })),
            f: fc.double(),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (specs) => {
          const points = specs.map((s, i) => pb.point(s.m, s.tags, { f: s.f }, BigInt(i)));
          encodeWriteRecord('b', points); // caches the entries of these Series objects
          const cached = encodeWriteRecord('b', points);
          // The same series as new objects (one per original), which the cache has never seen.
          const copies = new Map<Series, Series>();
          const fresh = points.map((p) => {
            let c = copies.get(p.series);
            if (c === undefined) copies.set(p.series, (c = { ...p.series, tags: p.series.tags.map((t) => [t[0], t[1]] as const) }));
            return { ...p, series: c };
          });
          expect(cached).toEqual(encodeWriteRecord('b', fresh));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('encodes only the selected points', () => {
    const pb = new PointBuilder();
    const points = [1n, 2n, 3n].map((t) => pb.point('m', {}, { f: Number(t) }, t));
    const r = decodeRecord(encodeWriteRecord('b', points, [0, 2]));
    expect(r.type === RecordType.Write && r.points.map((p) => p.timestampNs)).toEqual([1n, 3n]);
  });

  it('round-trips delete records with regex predicates', () => {
    const predicate = { kind: 'and', left: { kind: 'regex', key: 'host', op: '=~', pattern: /^a.*/i }, right: { kind: 'compare', key: '_field', op: '!=', value: 'x' } } as const;
    const r = decodeRecord(encodeDeleteRecord({ bucketId: 'b', startNs: -5n, stopNs: 9n, predicate }));
    expect(r).toEqual({ type: RecordType.Delete, bucketId: 'b', startNs: -5n, stopNs: 9n, predicate });
  });

  it('rejects unknown record types and truncated records', () => {
    expect(() => decodeRecord(Uint8Array.of(99))).toThrow(/unknown WAL record type 99/);
    const pb = new PointBuilder();
    const bytes = encodeWriteRecord('b', [pb.point('m', {}, { f: 1 }, 1n)]);
    expect(() => decodeRecord(bytes.subarray(0, bytes.length - 3))).toThrow(/malformed record/);
  });
});
