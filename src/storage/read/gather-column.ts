import type { ColumnValues } from '../storage.js';
import type { Column } from './column.js';

/**
 * The points of `col` at the positions `at[0, m)` (ascending, each `< col length`), as a new column
 * that shares no memory with `col`. 64-bit arrays (times, floats, integers) are copied as their
 * 32-bit halves: reading a BigInt64Array element would make a bigint per point.
 */
export function gatherColumn(col: Column, at: Uint32Array, m: number): Column {
  const ts = new BigInt64Array(m);
  copyHalves(col.timestampsNs, ts, at, m);
  return { type: col.type, timestampsNs: ts, values: gatherValues(col.values, at, m) };
}

function gatherValues(values: ColumnValues, at: Uint32Array, m: number): ColumnValues {
  if (Array.isArray(values)) {
    const out = new Array<string>(m);
    for (let w = 0; w < m; w++) out[w] = values[at[w]!]!;
    return out;
  }
  if (values instanceof Uint8Array) {
    const out = new Uint8Array(m);
    for (let w = 0; w < m; w++) out[w] = values[at[w]!]!;
    return out;
  }
  const out =
    values instanceof Float64Array ? new Float64Array(m) : values instanceof BigInt64Array ? new BigInt64Array(m) : new BigUint64Array(m);
  copyHalves(values, out, at, m);
  return out;
}

/** `out[w] = src[at[w]]` for w in [0, m), through 32-bit views of both arrays. */
function copyHalves(src: Float64Array | BigInt64Array | BigUint64Array, out: Float64Array | BigInt64Array | BigUint64Array, at: Uint32Array, m: number): void {
  const s = new Int32Array(src.buffer, src.byteOffset, src.length * 2);
  const d = new Int32Array(out.buffer, out.byteOffset, m * 2);
  for (let w = 0; w < m; w++) {
    const i = at[w]! * 2;
    d[2 * w] = s[i]!;
    d[2 * w + 1] = s[i + 1]!;
  }
}
