import type { ByteWriter } from './byte-writer.js';

/**
 * The one interface every column codec implements (and one shared test suite checks:
 * `codec-suite.test.ts`). A codec turns a column of `count` values into a payload and back,
 * bit-exactly. The count is not part of the payload: the block index stores it.
 *
 * Codec ids are written to disk (the first byte of every chunk): only ever add ids, never reuse or
 * renumber one. See docs/formats/block.md.
 */
export interface ColumnCodec<V> {
  readonly id: CodecId;
  readonly name: string;
  /**
   * Appends the payload for `values` to `out` and returns true; or returns false, having written
   * nothing, when this codec cannot represent these values exactly (the caller then tries the
   * next codec for the type).
   */
  encode(values: V, out: ByteWriter): boolean;
  /**
   * Decodes `count` values from `payload`. The payload's integrity is the caller's job (the block
   * reader verifies the chunk CRC first); a malformed payload may throw `RangeError`.
   */
  decode(payload: Uint8Array, count: number): V;
}

export const CodecId = {
  ConstantIntervalTimestamps: 0x01,
  DeltaOfDeltaTimestamps: 0x02,
  ScaledDeltaOfDeltaTimestamps: 0x03,
  DecimalFloat: 0x10,
  XorFloat: 0x11,
  RawFloat: 0x12,
  DeltaInteger: 0x20,
  DeltaUnsigned: 0x21,
  ZigZagInteger: 0x22,
  PackedUnsigned: 0x23,
  DictionaryString: 0x30,
  RawString: 0x31,
  BitmapBoolean: 0x40,
} as const;
export type CodecId = (typeof CodecId)[keyof typeof CodecId];
