import { describe, expect, it } from 'vitest';
import { FieldType, type FieldValue } from '../../lineprotocol/point.js';
import { HeadArena } from './head-arena.js';
import { HeadColumn } from './head-column.js';
import { SlabPool } from './slab-pool.js';

const valueOf: Record<FieldType, (i: number) => FieldValue> = {
  [FieldType.Float]: (i) => i + 0.25,
  [FieldType.Integer]: (i) => BigInt(i) - 5n,
  [FieldType.Unsigned]: (i) => BigInt(i) * 3n,
  [FieldType.String]: (i) => `s${i}`,
  [FieldType.Boolean]: (i) => i % 3 === 0,
};

/** How the column hands values back (booleans are stored as 0/1). */
const stored = (type: FieldType, v: FieldValue): unknown => (type === FieldType.Boolean ? (v ? 1 : 0) : v);

const memories = [
  { memory: 'plain typed arrays', arena: (): HeadArena | undefined => undefined },
  // Small slabs: columns grow across slabs and into regions of their own.
  { memory: 'a slab arena', arena: (): HeadArena | undefined => new HeadArena(new SlabPool(4096)) },
];
const types = [FieldType.Float, FieldType.Integer, FieldType.Unsigned, FieldType.String, FieldType.Boolean];
const cases = memories.flatMap((m) => types.map((type) => ({ ...m, type })));

describe('HeadColumn', () => {
  it.each(cases)('keeps appends in order through growth ($type, $memory)', ({ type, arena }) => {
    const a = arena();
    // Two columns interleaved in one arena: growing one must not overwrite the other.
    const cols = [new HeadColumn(type, undefined, a), new HeadColumn(type, 3, a)];
    const n = 700;
    for (let i = 0; i < n; i++) for (const [k, c] of cols.entries()) c.append(BigInt(i * 10 + k), valueOf[type](i + k));
    for (const [k, c] of cols.entries()) {
      const v = c.view();
      expect(v.type).toBe(type);
      expect(c.length).toBe(n);
      expect(Array.from(v.timestampsNs)).toEqual(Array.from({ length: n }, (_, i) => BigInt(i * 10 + k)));
      expect(Array.from(v.values as ArrayLike<unknown>)).toEqual(Array.from({ length: n }, (_, i) => stored(type, valueOf[type](i + k))));
    }
  });

  it.each(cases)('sorts out-of-order appends, the last write of a timestamp winning ($type, $memory)', ({ type, arena }) => {
    const c = new HeadColumn(type, undefined, arena());
    const writes: [number, number][] = [
      [5, 0],
      [1, 1],
      [5, 2],
      [3, 3],
      [1, 4],
      [9, 5],
    ];
    for (const [t, i] of writes) c.append(BigInt(t), valueOf[type](i));
    const v = c.view();
    expect(Array.from(v.timestampsNs)).toEqual([1n, 3n, 5n, 9n]);
    expect(Array.from(v.values as ArrayLike<unknown>)).toEqual([4, 3, 2, 5].map((i) => stored(type, valueOf[type](i))));
    // Appends after a normalisation keep working.
    c.append(2n, valueOf[type](6));
    expect(Array.from(c.view().timestampsNs)).toEqual([1n, 2n, 3n, 5n, 9n]);
  });

  it.each(cases)('deletes an inclusive time range ($type, $memory)', ({ type, arena }) => {
    const c = new HeadColumn(type, undefined, arena());
    for (let i = 0; i < 10; i++) c.append(BigInt(i), valueOf[type](i));
    expect(c.deleteRange(3n, 6n)).toBe(4);
    const v = c.view();
    expect(Array.from(v.timestampsNs)).toEqual([0n, 1n, 2n, 7n, 8n, 9n]);
    expect(Array.from(v.values as ArrayLike<unknown>)).toEqual([0, 1, 2, 7, 8, 9].map((i) => stored(type, valueOf[type](i))));
  });

  it('allocates its typed arrays from the arena it is given', () => {
    const pool = new SlabPool(4096);
    const arena = new HeadArena(pool);
    const c = new HeadColumn(FieldType.Float, 64, arena);
    c.append(1n, 1.5);
    expect(c.view().timestampsNs.buffer.byteLength).toBe(4096);
    expect(pool.takenSlabs).toBe(1);
  });
});
