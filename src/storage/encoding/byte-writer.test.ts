import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';

type Op =
  | { kind: 'u8'; v: number }
  | { kind: 'u32'; v: number }
  | { kind: 'i64'; v: bigint }
  | { kind: 'u64'; v: bigint }
  | { kind: 'f64'; v: number }
  | { kind: 'uvarint'; v: number }
  | { kind: 'str'; v: string }
  | { kind: 'bytes'; v: Uint8Array };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((v) => ({ kind: 'u8' as const, v })),
  fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((v) => ({ kind: 'u32' as const, v })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => ({ kind: 'i64' as const, v })),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => ({ kind: 'u64' as const, v })),
  fc.double().map((v) => ({ kind: 'f64' as const, v })),
  fc.oneof(fc.nat(300), fc.maxSafeNat()).map((v) => ({ kind: 'uvarint' as const, v })),
  // Around the one-byte-prefix boundary (42/43 units, 127/128 bytes) and multi-byte text.
  fc
    .string({ unit: fc.constantFrom('a', 'é', '✓', '😀'), maxLength: 90 })
    .map((v) => ({ kind: 'str' as const, v })),
  fc.uint8Array({ maxLength: 40 }).map((v) => ({ kind: 'bytes' as const, v })),
);

function write(w: ByteWriter, op: Op, unchecked: boolean): void {
  if (unchecked) w.ensure(16);
  switch (op.kind) {
    case 'u8':
      return unchecked ? w.u8Unchecked(op.v) : w.u8(op.v);
    case 'u32':
      return w.u32(op.v);
    case 'i64':
      return unchecked ? w.i64Unchecked(op.v) : w.i64(op.v);
    case 'u64':
      return unchecked ? w.u64Unchecked(op.v) : w.u64(op.v);
    case 'f64':
      return unchecked ? w.f64Unchecked(op.v) : w.f64(op.v);
    case 'uvarint':
      return unchecked ? w.uvarintUnchecked(op.v) : w.uvarint(op.v);
    case 'str':
      return w.str(op.v);
    case 'bytes':
      return w.bytesOf(op.v);
  }
}

function read(r: ByteReader, op: Op): unknown {
  switch (op.kind) {
    case 'u8':
      return r.u8();
    case 'u32':
      return r.u32();
    case 'i64':
      return r.i64();
    case 'u64':
      return r.u64();
    case 'f64':
      return r.f64();
    case 'uvarint':
      return r.uvarint();
    case 'str':
      return r.str();
    case 'bytes':
      return r.bytes(op.v.length);
  }
}

describe('ByteWriter', () => {
  it.each([false, true])('writes what ByteReader reads back, across growth (unchecked writers: %s)', (unchecked) => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.integer({ min: 1, max: 64 }), (ops, initial) => {
        const w = new ByteWriter(initial);
        for (const op of ops) write(w, op, unchecked);
        const bytes = w.bytes();
        expect(bytes.length).toBe(w.length);
        const r = new ByteReader(bytes);
        for (const op of ops) expect(read(r, op)).toEqual(op.v);
        expect(r.remaining).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it.each<[string, number[]]>([
    ['', [0]],
    ['a'.repeat(42), [42, ...new Array<number>(42).fill(97)]],
    ['😀'.repeat(21), [84, ...Array.from({ length: 21 }, () => [0xf0, 0x9f, 0x98, 0x80]).flat()]],
    ['a'.repeat(128), [0x80, 0x01, ...new Array<number>(128).fill(97)]],
    ['é'.repeat(64), [0x80, 0x01, ...Array.from({ length: 64 }, () => [0xc3, 0xa9]).flat()]],
  ])('str(%j) is a uvarint byte length and UTF-8', (s, expected) => {
    const w = new ByteWriter(16);
    w.str(s);
    expect([...w.bytes()]).toEqual(expected);
  });

  it('hands out views whose slice() copies (codecs keep a slice, then truncate and write over it)', () => {
    const w = new ByteWriter(16);
    w.u8(1);
    w.u8(2);
    const kept = w.bytes().slice(1);
    w.truncate(1);
    w.u8(9);
    expect([...kept]).toEqual([2]);
    expect([...w.bytes()]).toEqual([1, 9]);
    expect(w.raw()[1]).toBe(9);
  });

  it('reset() and truncate() rewind without losing the buffer', () => {
    const w = new ByteWriter(16);
    w.f64(1.5);
    w.truncate(4);
    expect(w.length).toBe(4);
    w.reset();
    w.uvarint(300);
    expect([...w.bytes()]).toEqual([0xac, 0x02]);
  });
});
