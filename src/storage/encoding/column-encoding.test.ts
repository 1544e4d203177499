import { describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import type { ColumnValues } from '../storage.js';
import { ByteWriter } from './byte-writer.js';
import { CodecId } from './column-codec.js';
import { decodeTimestamps, decodeValues, encodeTimestamps, encodeValues } from './column-encoding.js';

const noise = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.7) * 1e6 + i / 3);

describe('codec choice per chunk', () => {
  it.each<[string, FieldType, ColumnValues, number]>([
    ['two-decimal floats → decimal', FieldType.Float, Float64Array.of(12.34, 12.35, 99.99), CodecId.DecimalFloat],
    ['a NaN → XOR', FieldType.Float, Float64Array.of(1.5, NaN, NaN, NaN), CodecId.XorFloat],
    ['a -0 → XOR', FieldType.Float, Float64Array.of(0, -0, -0, -0), CodecId.XorFloat],
    ['noise → raw', FieldType.Float, noise, CodecId.RawFloat],
    ['a counter → delta', FieldType.Integer, BigInt64Array.from({ length: 300 }, (_, i) => 1_000_000_000n + BigInt(i * 3)), CodecId.DeltaInteger],
    ['an unrelated gauge → zig-zag', FieldType.Integer, BigInt64Array.from({ length: 300 }, (_, i) => BigInt(((i * 7919) % 200) - 100)), CodecId.ZigZagInteger],
    ['an unsigned counter → delta', FieldType.Unsigned, BigUint64Array.from({ length: 300 }, (_, i) => 5_000_000_000n + BigInt(i)), CodecId.DeltaUnsigned],
    ['unrelated unsigned → packed', FieldType.Unsigned, BigUint64Array.from({ length: 300 }, (_, i) => BigInt((i * 7919) % 200)), CodecId.PackedUnsigned],
    ['repeated strings → dictionary', FieldType.String, ['a', 'b', 'a', 'a'], CodecId.DictionaryString],
    ['distinct strings → raw', FieldType.String, ['a', 'b', 'c', 'd'], CodecId.RawString],
    ['booleans', FieldType.Boolean, Uint8Array.of(1, 0), CodecId.BitmapBoolean],
  ])('%s', (_name, type, values, codecId) => {
    const out = new ByteWriter();
    expect(encodeValues(type, values, out)).toBe(codecId);
    const back = decodeValues(type, codecId, out.bytes().slice(), values.length);
    expect(back).toEqual(values);
  });

  it.each<[string, BigInt64Array, number]>([
    ['regular', BigInt64Array.of(10n, 20n, 30n), CodecId.ConstantIntervalTimestamps],
    ['irregular', BigInt64Array.of(10n, 20n, 31n), CodecId.DeltaOfDeltaTimestamps],
    ['irregular, second precision', BigInt64Array.of(1_000_000_000n, 3_000_000_000n, 4_000_000_000n), CodecId.ScaledDeltaOfDeltaTimestamps],
    ['two points', BigInt64Array.of(1_000_000_000n, 3_000_000_000n), CodecId.ConstantIntervalTimestamps],
  ])('timestamps: %s', (_name, ts, codecId) => {
    const out = new ByteWriter();
    expect(encodeTimestamps(ts, out)).toBe(codecId);
    expect(decodeTimestamps(codecId, out.bytes().slice(), ts.length)).toEqual(ts);
  });

  it('rejects values of the wrong array type', () => {
    expect(() => encodeValues(FieldType.Integer, Float64Array.of(1), new ByteWriter())).toThrow(TypeError);
  });

  it.each<[string, () => unknown]>([
    ['a values codec for timestamps', () => decodeTimestamps(CodecId.DecimalFloat, new Uint8Array(16), 1)],
    ['a float codec for integers', () => decodeValues(FieldType.Integer, CodecId.XorFloat, new Uint8Array(16), 1)],
    ['an unknown codec id', () => decodeValues(FieldType.Float, 0x7f, new Uint8Array(16), 1)],
  ])('refuses to decode with %s', (_name, decode) => {
    expect(decode).toThrow(RangeError);
  });
});
