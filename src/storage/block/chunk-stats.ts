import { FieldType } from '../../lineprotocol/point.js';
import type { ColumnValues } from '../storage.js';
import type { ByteReader } from '../encoding/byte-reader.js';
import type { ByteWriter } from '../encoding/byte-writer.js';

/**
 * Aggregates of one chunk, computed at write time and kept in the block index, so that
 * `count/first/last/min/max/sum/mean` over a whole chunk need no read and no decode. `count` is the
 * chunk's `pointCount`; `first`/`last` are the values at its min/max time; `minAtNs`/`maxAtNs` are
 * the times of the first point holding the min/max.
 */
export type ChunkStats = NumericChunkStats<number> | NumericChunkStats<bigint> | StringChunkStats | BooleanChunkStats;

export interface NumericChunkStats<V extends number | bigint> {
  readonly type: V extends number ? typeof FieldType.Float : typeof FieldType.Integer | typeof FieldType.Unsigned;
  /** Float: left-to-right sum in time order. Integer/unsigned: wraps at 64 bits. */
  readonly sum: V;
  /** Float min/max skip NaN; NaN only when every value is NaN. */
  readonly min: V;
  readonly max: V;
  readonly first: V;
  readonly last: V;
  readonly minAtNs: bigint;
  readonly maxAtNs: bigint;
}

export interface StringChunkStats {
  readonly type: typeof FieldType.String;
}

export interface BooleanChunkStats {
  readonly type: typeof FieldType.Boolean;
  readonly first: boolean;
  readonly last: boolean;
  readonly trueCount: number;
}

/** Stats of a non-empty chunk; `values` has the array type of `type` (as `SeriesBatch`). */
export function computeChunkStats(type: FieldType, timestampsNs: BigInt64Array, values: ColumnValues): ChunkStats {
  const n = timestampsNs.length;
  switch (type) {
    case FieldType.Float:
      return floatStats(timestampsNs, values as Float64Array);
    case FieldType.Integer:
    case FieldType.Unsigned:
      return int64Stats(type, timestampsNs, values as BigInt64Array | BigUint64Array);
    case FieldType.String:
      return { type };
    case FieldType.Boolean: {
      const v = values as Uint8Array;
      let trueCount = 0;
      for (let i = 0; i < n; i++) if (v[i] !== 0) trueCount++;
      return { type, first: v[0] !== 0, last: v[n - 1] !== 0, trueCount };
    }
  }
}

function floatStats(timestampsNs: BigInt64Array, v: Float64Array): NumericChunkStats<number> {
  const n = v.length;
  let sum = 0;
  let min = NaN;
  let max = NaN;
  let minAt = 0;
  let maxAt = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    sum += x;
    if (x < min || (min !== min && x === x)) {
      min = x;
      minAt = i;
    }
    if (x > max || (max !== max && x === x)) {
      max = x;
      maxAt = i;
    }
  }
  return {
    type: FieldType.Float,
    sum,
    min,
    max,
    first: v[0]!,
    last: v[n - 1]!,
    minAtNs: timestampsNs[minAt]!,
    maxAtNs: timestampsNs[maxAt]!,
  };
}

/** Min, max and wrapping sum over 32-bit halves: one bigint per chunk, none per value. */
function int64Stats(
  type: typeof FieldType.Integer | typeof FieldType.Unsigned,
  timestampsNs: BigInt64Array,
  values: BigInt64Array | BigUint64Array,
): NumericChunkStats<bigint> {
  const n = values.length;
  const w = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const signed = type === FieldType.Integer;
  // Bias the high half so one unsigned comparison orders signed values too.
  const bias = signed ? 0x80000000 : 0;
  let minAt = 0;
  let maxAt = 0;
  let minHi = (w[1]! ^ bias) >>> 0;
  let minLo = w[0]!;
  let maxHi = minHi;
  let maxLo = minLo;
  let sumLo = 0;
  let sumHi = 0;
  for (let i = 0; i < n; i++) {
    const lo = w[2 * i]!;
    const rawHi = w[2 * i + 1]!;
    sumLo += lo;
    sumHi += signed ? rawHi | 0 : rawHi;
    const hi = (rawHi ^ bias) >>> 0;
    if (hi < minHi || (hi === minHi && lo < minLo)) {
      minHi = hi;
      minLo = lo;
      minAt = i;
    }
    if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
      maxHi = hi;
      maxLo = lo;
      maxAt = i;
    }
  }
  const wide = (BigInt(sumHi) << 32n) + BigInt(sumLo);
  return {
    type,
    sum: signed ? BigInt.asIntN(64, wide) : BigInt.asUintN(64, wide),
    min: values[minAt]!,
    max: values[maxAt]!,
    first: values[0]!,
    last: values[n - 1]!,
    minAtNs: timestampsNs[minAt]!,
    maxAtNs: timestampsNs[maxAt]!,
  };
}

export function writeChunkStats(stats: ChunkStats, out: ByteWriter): void {
  switch (stats.type) {
    case FieldType.Float:
      out.f64(stats.sum);
      out.f64(stats.min);
      out.f64(stats.max);
      out.f64(stats.first);
      out.f64(stats.last);
      out.i64(stats.minAtNs);
      out.i64(stats.maxAtNs);
      return;
    case FieldType.Integer:
      out.i64(stats.sum);
      out.i64(stats.min);
      out.i64(stats.max);
      out.i64(stats.first);
      out.i64(stats.last);
      out.i64(stats.minAtNs);
      out.i64(stats.maxAtNs);
      return;
    case FieldType.Unsigned:
      out.u64(stats.sum);
      out.u64(stats.min);
      out.u64(stats.max);
      out.u64(stats.first);
      out.u64(stats.last);
      out.i64(stats.minAtNs);
      out.i64(stats.maxAtNs);
      return;
    case FieldType.String:
      return;
    case FieldType.Boolean:
      out.u8(stats.first ? 1 : 0);
      out.u8(stats.last ? 1 : 0);
      out.uvarint(stats.trueCount);
      return;
  }
}

export function readChunkStats(type: FieldType, r: ByteReader): ChunkStats {
  switch (type) {
    case FieldType.Float:
      return { type, sum: r.f64(), min: r.f64(), max: r.f64(), first: r.f64(), last: r.f64(), minAtNs: r.i64(), maxAtNs: r.i64() };
    case FieldType.Integer:
      return { type, sum: r.i64(), min: r.i64(), max: r.i64(), first: r.i64(), last: r.i64(), minAtNs: r.i64(), maxAtNs: r.i64() };
    case FieldType.Unsigned:
      return { type, sum: r.u64(), min: r.u64(), max: r.u64(), first: r.u64(), last: r.u64(), minAtNs: r.i64(), maxAtNs: r.i64() };
    case FieldType.String:
      return { type };
    case FieldType.Boolean:
      return { type, first: r.u8() !== 0, last: r.u8() !== 0, trueCount: r.uvarint() };
    default:
      throw new RangeError(`unknown field type ${String(type)}`);
  }
}
