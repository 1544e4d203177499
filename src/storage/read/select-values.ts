import type { ValueSelector } from '../storage.js';
import { subValues, type Column } from './column.js';
import type { TimeSpan } from './series-reader.js';
import { lowerBound, upperBound } from './time-search.js';

/**
 * `values.select` over `col`, except the points inside the `skip` spans (time order, disjoint,
 * ends inclusive), which are known to fail (their chunks' value ranges rule them out): writes the
 * kept positions (indexes into `col`, ascending) to `keep` and returns how many, or -1 when the
 * selector keeps the whole column (a type it does not decide). `keep` has room for every point.
 */
export function selectOutside(col: Column, values: ValueSelector, skip: readonly TimeSpan[], keep: Uint32Array): number {
  if (skip.length === 0) return values.select(col.type, col.values, keep);
  const ts = col.timestampsNs;
  let m = 0;
  let i = 0;
  for (const s of skip) {
    const from = lowerBound(ts, s.fromNs, i);
    if (from > i) {
      m = selectSegment(col, values, i, from, keep, m);
      if (m < 0) return -1;
    }
    i = upperBound(ts, s.toNs, from);
  }
  if (i < ts.length) m = selectSegment(col, values, i, ts.length, keep, m);
  return m;
}

/** Selects in `col[from, to)`, appending to `keep[m..]` positions into `col`; returns the new count or -1. */
function selectSegment(col: Column, values: ValueSelector, from: number, to: number, keep: Uint32Array, m: number): number {
  const got = values.select(col.type, subValues(col.values, from, to), keep.subarray(m));
  if (got < 0) return -1;
  if (from > 0) for (let w = m; w < m + got; w++) keep[w] = keep[w]! + from;
  return m + got;
}
