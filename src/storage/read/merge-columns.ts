import { allocValues, type Column } from './column.js';

/**
 * Merges time-ordered columns of one field series into one, in priority order: on equal
 * timestamps the column later in `cols` wins (sources are passed oldest write first: blocks by
 * ascending seq, then frozen heads, then the live head). All columns have the same type.
 */
export function mergeColumns(cols: readonly Column[]): Column | undefined {
  const nonEmpty = cols.filter((c) => c.timestampsNs.length > 0);
  if (nonEmpty.length === 0) return undefined;
  let acc = nonEmpty[0]!;
  for (let k = 1; k < nonEmpty.length; k++) acc = mergeTwo(acc, nonEmpty[k]!);
  return acc;
}

/** Merges `older` and `newer`; `newer` wins ties. */
function mergeTwo(older: Column, newer: Column): Column {
  const a = older.timestampsNs;
  const b = newer.timestampsNs;
  // Disjoint and ordered: concatenate without comparing every point (the common case of a
  // block followed by a head that continues it).
  if (a[a.length - 1]! < b[0]!) return concat(older, newer);
  if (b[b.length - 1]! < a[0]!) return concat(newer, older);
  const n = a.length + b.length;
  const ts = new BigInt64Array(n);
  const vals = allocValues(older.type, n);
  const av = older.values;
  const bv = newer.values;
  let i = 0;
  let j = 0;
  let w = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) {
      ts[w] = x;
      vals[w++] = av[i++]!;
    } else if (y < x) {
      ts[w] = y;
      vals[w++] = bv[j++]!;
    } else {
      ts[w] = y;
      vals[w++] = bv[j++]!;
      i++;
    }
  }
  while (i < a.length) {
    ts[w] = a[i]!;
    vals[w++] = av[i++]!;
  }
  while (j < b.length) {
    ts[w] = b[j]!;
    vals[w++] = bv[j++]!;
  }
  return { type: older.type, timestampsNs: ts.subarray(0, w), values: Array.isArray(vals) ? vals.slice(0, w) : vals.subarray(0, w) };
}

function concat(first: Column, second: Column): Column {
  const n1 = first.timestampsNs.length;
  const n = n1 + second.timestampsNs.length;
  const ts = new BigInt64Array(n);
  ts.set(first.timestampsNs);
  ts.set(second.timestampsNs, n1);
  let vals;
  if (Array.isArray(first.values)) {
    vals = (first.values as string[]).concat(second.values as string[]);
  } else {
    const v = allocValues(first.type, n) as Float64Array;
    v.set(first.values as Float64Array);
    v.set(second.values as Float64Array, n1);
    vals = v;
  }
  return { type: first.type, timestampsNs: ts, values: vals };
}
